"""The Quick start: the news pipeline on the bundled sample, checked field
by field where the sample was written to test it."""
import json
from galleytest import ok, eq, done, run_docs, path, tmpdir

d = tmpdir()
status, docs, err = run_docs(["run", path("pipelines", "news.cfg"), path("examples", "sample.jsonl.gz"),
                              "--stats", d + "/stats.json"])
eq(status, 0, "exit 0")
eq(len(docs), 8, "eight articles written")
byid = {x["id"]: x for x in docs}
a = byid["bw-2026-0915-001"]
eq(a["metadata"]["dateline"], "KAUNAS, Lithuania (Baltic Wire)", "dateline")
eq(a["source"], path("examples", "sample.jsonl.gz") + ":1", "source names the file and line")
ok({"text": "Rasa Vaitkutė", "type": "PERSON"}.items() <= next(
    e for e in a["entities"] if e["text"] == "Rasa Vaitkutė").items(), "a person found")
q = [x for x in a["quotes"] if x["kind"] == "direct"][0]
eq((q["speaker"], q["cue"]), ("Rasa Vaitkutė", "told"), "first direct quote attributed")
eq(byid["bw-2026-0915-001-dup"]["metadata"]["duplicate"]["kind"], "exact", "exact copy marked")
eq(byid["nd-88231"]["metadata"]["duplicate"]["of"], "bw-2026-0915-001", "syndicated copy marked near")
ok("’s grid operator" in byid["gcn-771"]["text"], "mojibake repaired")
ok('"elevated"' in byid["ttc-0917-17"]["text"], "entities decoded")
stats = json.load(open(d + "/stats.json"))
eq((stats["read"], stats["written"], stats["dropped"], stats["rejected"]), (8, 8, 0, 0), "account")
ok(stats["stages"]["dedup"]["exact_duplicates"] == 1, "dedup report in --stats")
done()
