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

done()
