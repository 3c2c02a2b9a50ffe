"""normalize end to end: names in angle brackets are text, not tags. Wire
copy marks companies as <Airbus Industrie>; a plain-text article with
such names comes out unchanged (fixtures/wire-names.txt), and in real
HTML only the markup goes (fixtures/html-names.txt)."""
import json
import os
from galleytest import eq, done, run_docs, tmpdir, write, config, SRCDIR

FIXTURES = os.path.join(SRCDIR, "tests", "fixtures")
d = tmpdir()
cfg = config(d, '{ use = "normalize"; keep_removed = true; }')

wire = open(os.path.join(FIXTURES, "wire-names.txt"), encoding="utf-8").read()
title, _, story = wire.partition("\n\n")
status, docs, err = run_docs(["run", cfg, "-q", os.path.join(FIXTURES, "wire-names.txt")])
eq(status, 0, "wire text: exit 0")
doc = docs[0]
eq(doc["text"], story.rstrip("\n"), "wire text: the story comes out unchanged, every <Name> in place")
eq(doc["metadata"]["title"], title, "wire text: the title line is the title")
eq(doc["metadata"]["normalize"]["tags_removed"], 0, "wire text: no tag removed")
eq(doc["metadata"]["normalize"]["lines_removed"], {}, "wire text: no line removed")

# The same story as JSONL, and with a character reference (which alone
# makes no HTML of it).
lines = [json.dumps({"id": "w1", "text": story}),
         json.dumps({"id": "w2", "text": "Shares of <Boeing Co> rose 3&nbsp;pct; <Airbus Industrie> declined comment."})]
inp = write(d, "wire.jsonl", "\n".join(lines) + "\n")
status, docs, err = run_docs(["run", cfg, "-q", inp])
eq([x["text"] for x in docs], [story.rstrip("\n"), "Shares of <Boeing Co> rose 3 pct; <Airbus Industrie> declined comment."],
   "JSONL wire text: names kept, the reference decoded")
eq([x["metadata"]["normalize"]["tags_removed"] for x in docs], [0, 0], "JSONL wire text: no tag removed")

status, docs, err = run_docs(["run", cfg, "-q", os.path.join(FIXTURES, "html-names.txt")])
doc = docs[0]
eq(doc["text"], "European consortium <Airbus Industrie> said on Tuesday it had won an order from Northeast Air.\n\n"
   "Shares of <McDonnell Douglas Corp.> fell 2 percent.", "HTML: the markup goes, the names in brackets stay")
eq(doc["metadata"]["normalize"]["tags_removed"], 8, "HTML: eight tags removed (div, p, b and their ends)")
eq(doc["metadata"]["normalize"]["entities_decoded"], 1, "HTML: &nbsp; decoded")
done()
