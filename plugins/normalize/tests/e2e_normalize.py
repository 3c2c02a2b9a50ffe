"""normalize end to end: a messy article through `galley run`, checked
field by field; an all-boilerplate article rejected as empty."""
import json
from galleytest import ok, eq, done, run, run_docs, tmpdir, write, config

d = tmpdir()
messy = ("• Share on Facebook\n"
         "KAUNAS, Lithuania (Baltic Wire) — Lithuaniaâ€™s grid operator said on Tuesday that &quot;hackers&quot; "
         "caused the blackout.\n\n\n"
         "“We have clear evidence,”\u00a0chief executive Rasa Vaitkutė told\u200b reporters.\n"
         "Follow us on X @BalticWire\n"
         "© 2026 Baltic Wire. All rights reserved.")
inp = write(d, "in.jsonl", json.dumps({"id": "n1", "text": messy, "title": "Grid"}) + "\n" +
            json.dumps({"id": "n2", "text": "Share this article\nPost with no comments."}) + "\n")
cfg = config(d, '{ use = "normalize"; keep_removed = true; }')
status, docs, err = run_docs(["run", cfg, inp, "--stats", d + "/stats.json"])
eq(status, 1, "exit 1: one document rejected")
eq(len(docs), 1, "one document written")
doc = docs[0]
eq(doc["text"], "Lithuania’s grid operator said on Tuesday that \"hackers\" caused the blackout.\n\n"
   "“We have clear evidence,” chief executive Rasa Vaitkutė told reporters.", "text cleaned")
m = doc["metadata"]
eq(m["dateline"], "KAUNAS, Lithuania (Baltic Wire)", "dateline moved to metadata")
eq(m["title"], "Grid", "title passed through")
eq(m["normalize"]["mojibake_repaired"], 1, "mojibake counted")
eq(m["normalize"]["entities_decoded"], 2, "entities counted")
eq(m["normalize"]["lines_removed"], {"share": 1, "social": 1, "footer": 1}, "removed lines by reason")
eq([r["reason"] for r in m["removed_lines"]], ["share", "social", "footer"], "removed lines kept with reasons")
stats = json.load(open(d + "/stats.json"))
eq(stats["rejected_by_reason"], {"empty": 1}, "all-boilerplate document rejected as empty")

# The user's own patterns (PCRE2): word boundaries, a back reference (matched
# alone, outside the combined regex), inline options; the first pattern in
# file order names the reason.
write(d, "mine.txt", "# site footers\n"
      "sponsor\t^sponsored by \\w+$\n"
      "echo\t^(\\w+) \\1$\n"
      "spaced\t(?x) ^ zz \\s top $   # a comment\n"
      "late\t^sponsored\\b.*\n")
body = "The council met on Monday, officials said."
inp2 = write(d, "mine.jsonl", json.dumps({"id": "u1", "text": "\n".join(
    ["Sponsored by Acme", body, "bye bye", "ZZ top", "Sponsored content ahead"])}) + "\n")
cfg2 = config(d, '{ use = "normalize"; extra_boilerplate = ["mine.txt"]; keep_removed = true; }',
              name="mine.cfg")
status, docs, err = run_docs(["run", cfg2, inp2])
eq(status, 0, "user patterns: exit 0")
eq(docs[0]["text"], body, "user patterns: only the body stays")
eq([(r["line"], r["reason"]) for r in docs[0]["metadata"]["removed_lines"]],
   [("Sponsored by Acme", "sponsor"), ("bye bye", "echo"), ("ZZ top", "spaced"),
    ("Sponsored content ahead", "late")], "user patterns: each line with its first matching reason")

# A pattern that backtracks without end is stopped by the match limit: the
# line it cannot decide stays, the other patterns still work on it.
write(d, "slow.txt", "slow\t^(a+)+$\n")
slow_line = "a" * 60 + "b"
inp3 = write(d, "slow.jsonl", json.dumps({"id": "s1", "text": "\n".join(
    [slow_line, "aaaa", "Share this article", body])}) + "\n")
cfg4 = config(d, '{ use = "normalize"; extra_boilerplate = ["slow.txt"]; keep_removed = true; }',
              name="slow.cfg")
status, docs, err = run_docs(["run", cfg4, inp3])
eq(docs[0]["text"], slow_line + "\n" + body, "match limit: the undecided line stays")
eq([r["reason"] for r in docs[0]["metadata"]["removed_lines"]], ["slow", "share"],
   "match limit: the other lines are still classified")

# A pattern that does not compile stops the run before it starts.
write(d, "bad.txt", "ok\t^fine$\noops\t^(unclosed\n")
cfg3 = config(d, '{ use = "normalize"; extra_boilerplate = ["bad.txt"]; }', name="bad.cfg")
status, out, err = run(["run", cfg3, inp2])
eq(status, 2, "bad user pattern: exit 2")
ok("bad.txt:2: bad pattern: missing closing parenthesis at offset 10" in err,
   "bad user pattern: file, line, PCRE2's reason and offset", err)
eq(out, "", "bad user pattern: nothing written")

done()
