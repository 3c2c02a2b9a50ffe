"""galley view: galley's output as one HTML page, opened in a real headless
browser (Debian's chromium). The page must highlight the spans the file
gives, by type, at the right characters (offsets are code points, the
page's JavaScript indexes UTF-16), list who said what, page and search,
run without a script error, and never turn article text or metadata into
markup. Without chromium the browser checks are skipped with the reason."""
import gzip
import html.parser
import json
import os
import shutil
import subprocess
import tempfile
from galleytest import ok, eq, skip, done, run, path, tmpdir, write

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
NO_BROWSER = "chromium is not installed (apt-get install chromium)"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--enable-logging=stderr", "--v=0"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    """An element of the dumped DOM: tag, attributes, children, text."""

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find(self, tag=None, cls=None, **attrs):
        """Every element below with this tag, class and attributes."""
        for n in self.walk():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.attrs.get("class", "").split():
                continue
            if all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                yield n


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html_text):
    b = TreeBuilder()
    b.feed(html_text)
    b.close()
    return b.root


def chromium(args, url):
    """Runs headless chromium on url; returns (status, stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="galley-chromium-")
    try:
        p = subprocess.run([CHROMIUM] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + args + [url],
                           capture_output=True, timeout=120)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(stderr):
    """The page's console errors chromium logged (script errors, blocked
    content), not the browser's own complaints about the machine."""
    return [l for l in stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l or "Refused to" in l]


def open_page(page, fragment=""):
    """The page after its script ran, as a tree, and the console errors."""
    status, out, err = chromium(["--dump-dom"], "file://" + os.path.abspath(page) + fragment)
    return status, parse(out), console_errors(err)


def body_of(dom):
    return next(dom.find("body"))


def marks(node):
    """(type, text) of every entity highlight below node."""
    return [(m.attrs.get("data-type"), m.text()) for m in node.find("mark", cls="ent")]


def page_healthy(dom, errors, name):
    body = body_of(dom)
    eq(body.attrs.get("data-ready"), "1", name + ": the page's script ran to the end")
    ok("data-errors" not in body.attrs and not next(dom.find(id="errors")).text().strip(),
       name + ": no script error on the page", next(dom.find(id="errors")).text())
    eq(errors, [], name + ": no console error")


def span(text, s, **fields):
    i = text.index(s)
    return dict(start=i, end=i + len(s), text=s, **fields)


# ---- a file with known spans -------------------------------------------

# A character outside the BMP first: one code point, two UTF-16 units.
TEXT = ("\U0001F4F0 Rasa Vaitkutė told reporters in Vilnius: \u201cWe have clear evidence.\u201d "
        "Litgrid said the grid was safe. The Zorblax Treaty was signed.")
known = {
    "id": "known-1",
    "text": TEXT,
    "metadata": {"title": "Grid chief speaks", "date": "2026-09-15", "outlet": "Baltic Wire"},
    "source": "fixture.jsonl:1",
    "entities": [span(TEXT, "Rasa Vaitkutė", type="PERSON", canonical="Rasa Vaitkutė"),
                 span(TEXT, "Vilnius", type="LOC", canonical="Vilnius"),
                 span(TEXT, "Litgrid", type="ORG", canonical="Litgrid"),
                 span(TEXT, "Zorblax Treaty", type="TREATY", canonical="Zorblax Treaty")],
    "quotes": [],
    "sentences": [span(TEXT, "The Zorblax Treaty was signed.")],
}
rs = TEXT.index("Rasa Vaitkutė")
known["quotes"] = [
    span(TEXT, "We have clear evidence.", kind="direct", speaker="Rasa Vaitkutė", speaker_start=rs,
         speaker_end=rs + len("Rasa Vaitkutė"), cue="told reporters", flagged=False),
    span(TEXT, "the grid was safe", kind="indirect", speaker="Litgrid",
         speaker_start=TEXT.index("Litgrid"), speaker_end=TEXT.index("Litgrid") + 7, cue="said",
         flagged=False),
]

# Everything an attacker controls: text, title, id, types, kinds, names,
# metadata keys and values, layer names.
PWN = "document.documentElement.setAttribute('data-pwned','1')"
HOSTILE = ("</script><script>%s</script> <img src=x onerror=\"%s\"> <!-- <script> "
           "<b>bold</b> & \u2028 end" % (PWN, PWN))
hostile = {
    "id": "\"><img src=x onerror=\"%s\">" % PWN,
    "text": HOSTILE,
    "metadata": {"title": "<b>Title</b></script><script>%s</script>" % PWN,
                 "<img src=x onerror=%s>" % PWN: "<svg onload=\"%s\">" % PWN,
                 "url": "javascript:%s" % PWN},
    "entities": [dict(start=0, end=9, text="</script>", type="\"><svg onload=\"%s\">" % PWN,
                      canonical="</script><script>%s</script>" % PWN)],
    "quotes": [dict(start=10, end=30, text="x", kind="<i>kind</i>", speaker="<img src=x>",
                    speaker_start=0, speaker_end=9, cue="</style>", flagged=True)],
    "</script><b>layer</b>": [dict(start=0, end=3, note="<b>x</b>")],
}

d = tmpdir()
fixture = write(d, "fixture.jsonl", json.dumps(known, ensure_ascii=False) + "\n" +
                json.dumps(hostile) + "\n")
page = os.path.join(d, "view.html")
status, out, err = run(["view", fixture, "-o", page])
eq(status, 0, "view: exit 0")
ok("view of 2 articles" in err, "view: says how many articles", err)
raw = open(page, encoding="utf-8").read()
ok(raw.startswith("<!DOCTYPE html>") and raw.rstrip().endswith("</html>"), "one whole HTML file")
ok("Content-Security-Policy" in raw and "default-src 'none'" in raw, "the page forbids the network")
ok("</script><script>" not in raw and "<img src=x" not in raw and "<b>" not in raw,
   "no markup from the articles in the file as written")
eq(raw.count("<script"), 3, "three script elements: two of data, one of code")

status, out, err = run(["view", fixture])
eq(status, 0, "view: without -o the page goes to standard output")
ok(out.startswith("<!DOCTYPE html>"), "the page on standard output")

gz = os.path.join(d, "fixture.jsonl.gz")
with open(fixture, "rb") as f, gzip.open(gz, "wb") as g:
    g.write(f.read())
gzpage = os.path.join(d, "gz.html")
status, out, err = run(["view", gz, "-o", gzpage])
eq(status, 0, "view of a .gz: exit 0")
ok("view of 2 articles" in err, "view of a .gz: both articles", err)

bad = write(d, "bad.jsonl", json.dumps(known) + "\n{not json\n[1, 2]\n\n" + json.dumps(known) + "\n")
badpage = os.path.join(d, "bad.html")
status, out, err = run(["view", bad, "-o", badpage])
eq(status, 1, "unreadable lines: exit 1, like run's rejections")
ok("view of 2 articles" in err and "2 lines unreadable" in err, "unreadable lines counted", err)

status, out, err = run(["view", os.path.join(d, "missing.jsonl"), "-o", os.path.join(d, "m.html")])
eq(status, 2, "a missing input: exit 2")
ok("missing.jsonl: cannot open" in err, "a missing input: says which", err)
ok(not os.path.exists(os.path.join(d, "m.html")), "a missing input: no page written")
status, out, err = run(["view", fixture, "-j", "4"])
eq(status, 2, "view refuses run's options")
status, out, err = run(["view"])
eq(status, 2, "view without a file: usage error")

# The same spans in byte offsets, as output.offsets = "bytes" writes them.
def to_bytes(doc):
    b = dict(doc)
    cut = lambda i: len(doc["text"][:i].encode("utf-8"))
    for layer in ("entities", "quotes", "sentences"):
        b[layer] = [dict(x, start=cut(x["start"]), end=cut(x["end"]),
                         **({"speaker_start": cut(x["speaker_start"]), "speaker_end": cut(x["speaker_end"])}
                            if x.get("speaker_start") is not None else {}))
                    for x in doc[layer]]
    return b
bytes_file = write(d, "bytes.jsonl", json.dumps(to_bytes(known)) + "\n")
bytes_page = os.path.join(d, "bytes.html")
status, out, err = run(["view", bytes_file, "-o", bytes_page, "--set", "output.offsets=bytes"])
eq(status, 0, "view of a file with byte offsets: exit 0")
ok("0 spans left out" in err, "byte offsets: every span fits", err)

# Forty-five articles for the pages; one with the word "needle".
many = []
for i in range(45):
    t = "Article %d. Marta Nowak said the port was closed.%s" % (i, " A needle here." if i == 31 else "")
    many.append({"id": "m%02d" % i, "text": t, "metadata": {"title": "Port story %d" % i},
                 "entities": [span(t, "Marta Nowak", type="PERSON", canonical="Marta Nowak")],
                 "quotes": [span(t, "the port was closed", kind="indirect", speaker="Marta Nowak"
                                 if i % 3 else None, speaker_start=None, speaker_end=None,
                                 cue="said", flagged=False)]})
many_file = write(d, "many.jsonl", "".join(json.dumps(x) + "\n" for x in many))
many_page = os.path.join(d, "many.html")
status, out, err = run(["view", many_file, "-o", many_page])
eq(status, 0, "view of 45 articles: exit 0")

if not CHROMIUM:
    for name in ("known spans highlighted by type", "who said what", "summary", "no injection",
                 "byte offsets", "paging", "search", "screenshot", "the sample"):
        skip("browser: " + name, NO_BROWSER)
    done()

# ---- in the browser --------------------------------------------------------

status, dom, errors = open_page(page)
eq(status, 0, "chromium ran")
page_healthy(dom, errors, "fixture")
ok(next(dom.find("body")).attrs.get("data-pwned") is None and
   dom.find(tag="html").__next__().attrs.get("data-pwned") is None, "no injected script ran")
cards = list(dom.find("article", cls="doc"))
eq(len(cards), 2, "both articles drawn")
first = cards[0]
eq(next(first.find("h2")).text(), "Grid chief speaks", "the title")
eq(marks(first), [("PERSON", "Rasa Vaitkutė"), ("LOC", "Vilnius"), ("ORG", "Litgrid"),
                  ("TREATY", "Zorblax Treaty")],
   "known spans highlighted by type, at the right characters after a non-BMP one")
text_box = next(first.find("div", cls="text"))
eq(text_box.text(), TEXT, "the text drawn whole, nothing added or lost")
quotes = list(first.find("span", cls="quote"))
eq([(q.attrs.get("data-kind"), q.text(), q.attrs.get("data-label")) for q in quotes],
   [("direct", "We have clear evidence.", "Rasa Vaitkutė \u00b7 told reporters"),
    ("indirect", "the grid was safe", "Litgrid \u00b7 said")],
   "quotes marked with their kind, speaker and cue")
speakers = [(s.attrs.get("data-of"), s.text()) for s in first.find("span", cls="speaker")]
eq(speakers, [("1", "Rasa Vaitkutė"), ("2", "Litgrid")], "the speakers' mentions point at their quotes")
eq([m.attrs.get("data-type") for s in first.find("span", cls="speaker") for m in s.find("mark")],
   ["PERSON", "ORG"], "a speaker's mention is still highlighted as an entity")
who = next(first.find("table", cls="who"))
rows = [[td.text() for td in tr.find("td")] for tr in next(who.find("tbody")).find("tr")]
eq(rows, [["1", "Rasa Vaitkutė", "told reporters", "direct", "We have clear evidence."],
          ["2", "Litgrid", "said", "indirect", "the grid was safe"]], "who said what, per article")
ok("The Zorblax Treaty was signed." in first.text() and "sentences (1)" in first.text(),
   "another layer listed with its spans")

summary = next(dom.find(id="summary"))
stext = summary.text()
ok("Top speakers" in stext and "Top entities" in stext, "the corpus summary")
sp_rows = [[td.text() for td in tr.find("td")] for t in summary.find("table")
           for tr in t.find("tr") if tr.find("td")]
ok(["Rasa Vaitkutė", "1", "1"] in sp_rows and ["Litgrid", "1", "1"] in sp_rows,
   "top speakers with quotes and articles", sp_rows)
ok(["Rasa Vaitkutė", "PERSON", "1", "1"] in sp_rows, "top entities with type, mentions and articles")
ok(["PERSON", "1", "1"] in sp_rows and ["direct", "1", "1"] in sp_rows, "counts by type and by kind")

evil = cards[1]
ok(not list(evil.find("img")) and not list(evil.find("svg")) and not list(evil.find("b")) and
   not list(evil.find("i")) and not list(evil.find("script")), "no markup from hostile text or metadata")
ok(not list(dom.find("img")) and not list(dom.find("svg")), "no image anywhere on the page")
eq(next(evil.find("div", cls="text")).text(), HOSTILE, "hostile text shown as text, whole")
eq(next(evil.find("h2")).text(), hostile["metadata"]["title"], "hostile title shown as text")
eq(marks(evil), [(hostile["entities"][0]["type"], "</script>")], "hostile type kept as an attribute value")
ok(all(not a.startswith("on") for n in dom.walk() for a in n.attrs), "no event-handler attribute")
ok(not [n for n in dom.find("a")], "no link (a javascript: url stays text)")

status, bdom, errors = open_page(bytes_page)
page_healthy(bdom, errors, "byte offsets")
eq(marks(next(bdom.find("article"))), marks(first), "byte offsets: the same highlights")

status, mdom, errors = open_page(many_page)
page_healthy(mdom, errors, "45 articles")
eq(len(list(mdom.find("article"))), 20, "paging: twenty articles on a page, not all")
ok("page 1 of 3" in next(mdom.find(id="pageno")).text(), "paging: three pages")
status, mdom, errors = open_page(many_page, "#p=3")
eq([a.attrs.get("id") for a in mdom.find("article")], ["a%d" % i for i in range(40, 45)],
   "paging: the third page from the address")
status, mdom, errors = open_page(many_page, "#q=needle")
page_healthy(mdom, errors, "search")
eq([next(a.find("h2")).text() for a in mdom.find("article")], ["Port story 31"], "search: a word")
status, mdom, errors = open_page(many_page, "#q=" + "speaker%3A%22marta%22%20kind%3Aindirect")
eq(len(list(mdom.find("article"))), 20, "search: speaker and kind")
ok("of 30 matching" in next(mdom.find(id="count")).text(), "search: 30 articles have Marta Nowak speak",
   next(mdom.find(id="count")).text())

shot = os.path.join(d, "view.png")
status, out, err = chromium(["--hide-scrollbars", "--window-size=1280,1600", "--screenshot=" + shot],
                            "file://" + page)
ok(os.path.exists(shot) and os.path.getsize(shot) > 20000, "a screenshot of the page")
eq(console_errors(err), [], "screenshot: no console error")

# The bundled sample through the news pipeline, then viewed.
out_file = os.path.join(d, "sample.jsonl.gz")
status, out, err = run(["run", path("pipelines", "news.cfg"), path("examples", "sample.jsonl.gz"), "-o",
                        out_file, "-q"])
sample_page = os.path.join(d, "sample.html")
status, out, err = run(["view", out_file, "-o", sample_page])
eq(status, 0, "the sample's view: exit 0")
status, sdom, errors = open_page(sample_page)
page_healthy(sdom, errors, "the sample")
a = next(sdom.find("article"))
ok(("PERSON", "Rasa Vaitkutė") in marks(a) and ("ORG", "NATO") in marks(a), "the sample: entities")
ok(any(q.attrs.get("data-label") == "Rasa Vaitkutė \u00b7 told" for q in a.find("span", cls="quote")),
   "the sample: a quote with its speaker and cue")
eq(len(list(sdom.find("article"))), 8, "the sample: eight articles")
done()
