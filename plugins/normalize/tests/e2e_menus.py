"""normalize end to end: lists that belong to the article stay, site menus
go (fixtures/list-*.txt, menu-*.txt, not-a-menu.txt), checked field by
field: the text, metadata.normalize.lines_removed and each removed line
with its reason. Bullets alone decide nothing: a menu is a run of short
link-like lines outside the article's sentences (or made of known menu
labels), and a list the article introduces is never one."""
import os
import subprocess
from galleytest import eq, ok, done, run_docs, tmpdir, config, GALLEY, SRCDIR

FIXTURES = os.path.join(SRCDIR, "tests", "fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return f.read()


def body(name):
    """The fixture's lines, one string, as normalize writes a clean text."""
    return fixture(name).rstrip("\n")


d = tmpdir()
cfg = config(d, '{ use = "normalize"; keep_removed = true; }')
names = sorted(n for n in os.listdir(FIXTURES) if n.startswith(("list-", "menu-", "not-a-menu")))
status, docs, err = run_docs(["run", cfg, "-q"] + [os.path.join(FIXTURES, n) for n in names])
eq(status, 0, "lists and menus: exit 0")
got = {os.path.basename(doc["id"]): doc for doc in docs}
eq(sorted(got), names, "one document per fixture")


def removed(doc):
    return [(r["line"], r["reason"]) for r in doc["metadata"].get("removed_lines", [])]


# Lists inside articles: nothing removed, the text as written.
for name, what in [("list-budget.txt", "budget measures after a lead-in, lower case and capitalised"),
                   ("list-court.txt", "the terms of a court order, capitalised, between two sentences"),
                   ("list-queries.txt", "example search queries in the middle of a sentence"),
                   ("list-events.txt", "capitalised event names after a lead-in, at the end"),
                   ("list-keypoints.txt", "bulleted key points before the story")]:
    doc = got[name]
    eq(doc["text"], body(name), "%s: the list stays (%s)" % (name, what))
    eq(doc["metadata"]["normalize"]["lines_removed"], {}, "%s: no line removed" % name)
    eq(removed(doc), [], "%s: removed_lines is empty" % name)

# Short capitalised lines that are no menu: a byline, a name between sentences.
doc = got["not-a-menu.txt"]
eq(doc["text"], body("not-a-menu.txt"), "not-a-menu.txt: publication, byline and a lone name stay")
eq(removed(doc), [], "not-a-menu.txt: nothing removed")

# Menus.
doc = got["menu-top-bottom.txt"]
eq(doc["text"], "The harbour in Klaipėda reopened on Monday after a two-week closure, the port authority said.\n"
   "Ships had waited at anchor outside the harbour since the storm damaged the northern pier.",
   "menu-top-bottom.txt: the section menu above and the service menu below go")
eq(doc["metadata"]["normalize"]["lines_removed"], {"nav": 10}, "menu-top-bottom.txt: ten lines as nav")
eq(removed(doc), [(x, "nav") for x in ["Home", "News", "World", "Business", "Sport", "Opinion",
                                       "About us", "Contact us", "Privacy policy", "Terms of use"]],
   "menu-top-bottom.txt: each menu item with its reason")

doc = got["menu-bullets.txt"]
eq(doc["text"], "Lithuania's grid operator said on Tuesday that hackers had caused the blackout.\n"
   "The operator said power was restored to all homes by the evening.",
   "menu-bullets.txt: a bulleted menu goes, then the dateline")
eq(doc["metadata"]["dateline"], "KAUNAS (Baltic Wire)", "menu-bullets.txt: the dateline under the menu is found")
eq(removed(doc), [(x, "nav") for x in ["• Home", "• Politics", "• Economy", "• Culture", "• Baltic States"]],
   "menu-bullets.txt: the menu's items, an unknown label among known ones too")

doc = got["menu-sections.txt"]
eq(doc["text"], "The ministers of the five countries met in Helsinki on Thursday to discuss a shared power market.\n"
   "They agreed to meet again in the spring.", "menu-sections.txt: a long run of section names above the story goes")
eq(removed(doc), [(x, "nav") for x in ["Lithuania", "Latvia", "Estonia", "Poland", "Finland"]],
   "menu-sections.txt: five items as nav")

doc = got["menu-middle.txt"]
eq(doc["text"], "Prime Minister Ingrid Solheim arrived in Tromsø late on Tuesday for talks with local leaders.\n"
   "Solheim said the government would listen first and decide later.",
   "menu-middle.txt: a menu of known labels between paragraphs goes")
eq(doc["metadata"]["normalize"]["lines_removed"], {"nav": 4}, "menu-middle.txt: four lines as nav")

# Each document is judged on its own lines: the same bytes for any number of threads.
outs = []
for threads in ("1", "4"):
    p = subprocess.run([GALLEY, "run", cfg, "-q", "-j", threads, FIXTURES], capture_output=True)
    outs.append(p.stdout)
ok(outs[0] == outs[1] and outs[0], "the output is the same with 1 and 4 threads")
done()
