"""The stats stage end to end: galley run with a config, output checked
field by field."""
import json
from galleytest import ok, eq, done, run_docs, tmpdir, write, config

d = tmpdir()
inp = write(d, "in.jsonl",
            json.dumps({"id": "a", "text": "One two. Three four five.\nSix.", "title": "T"}) + "\n" +
            json.dumps({"id": "b", "text": "Tiny"}) + "\n")
cfg = config(d, '{ use = "stats"; min_words = 2; }')
status, docs, err = run_docs(["run", cfg, inp])
eq(status, 1, "exit status 1: a document was rejected")
eq(len(docs), 1, "one document written")
doc = docs[0]
eq(doc["id"], "a", "id kept")
eq(doc["text"], "One two. Three four five.\nSix.", "text unchanged")
eq(doc["metadata"]["title"], "T", "title passed through")
eq(doc["metadata"]["stats"], {"words": 6, "sentences": 3, "paragraphs": 2}, "counts")
ok("rejected 1 (too_short 1)" in err, "account names the rejection", err)
ok('"stats":{"documents":1,"words":6}' in err.replace(" ", ""), "stage report in the account", err)
done()
