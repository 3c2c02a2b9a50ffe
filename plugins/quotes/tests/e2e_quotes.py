"""quotes end to end: the news stages through `galley run`, quotes checked
field by field (code point offsets of quote and speaker), and the CSV
table of pipelines/quotes-table.cfg."""
import csv
import io
import json
from galleytest import ok, eq, done, run, run_docs, tmpdir, write, config, path

d = tmpdir()
text = ("VILNIUS (Baltic Wire) — Energy Minister Tomas Giedraitis said on Friday that the grid was safe.\n"
        "“We have restored every line,” Giedraitis said.\n"
        "He called the attack “an act of sabotage” and left.")
inp = write(d, "in.jsonl", json.dumps({"id": "q1", "title": "Grid safe", "date": "2026-09-18",
                                       "text": text}, ensure_ascii=False) + "\n")
cfg = config(d, '{ use = "normalize"; }, { use = "entities"; }, { use = "quotes"; }')
status, docs, err = run_docs(["run", cfg, inp])
eq(status, 0, "exit 0")
doc = docs[0]
t = doc["text"]
qs = [(q["kind"], t[q["start"]:q["end"]], q["speaker"], q["cue"], q["flagged"]) for q in doc["quotes"]]
eq(qs, [("indirect", "the grid was safe", "Tomas Giedraitis", "said", False),
        ("direct", "We have restored every line", "Tomas Giedraitis", "said", False),
        ("partial", "an act of sabotage", "Tomas Giedraitis", "called", False)],
   "quotes: kind, span, speaker, cue")
q = doc["quotes"][1]
eq(t[q["speaker_start"]:q["speaker_end"]], "Giedraitis", "speaker mention offsets point at the name")
q = doc["quotes"][2]
eq(t[q["speaker_start"]:q["speaker_end"]], "He", "a pronoun speaker's mention is the pronoun")

status, out, err = run(["run", path("pipelines", "quotes-table.cfg"), inp])
eq(status, 0, "quotes-table.cfg: exit 0")
rows = list(csv.reader(io.StringIO(out)))
eq(rows[0], ["id", "speaker", "kind", "cue", "text", "title", "date", "source"], "csv header")
eq(rows[2][:5], ["q1", "Tomas Giedraitis", "direct", "said", "We have restored every line"], "csv row")
eq(rows[2][5:7], ["Grid safe", "2026-09-18"], "csv: title and date from metadata")
eq(len(rows), 4, "one row a quote")
done()
