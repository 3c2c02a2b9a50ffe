"""Output formats end to end: JSONL offsets (code points and bytes, offset
fields), CoNLL (BIO tags, sentences, -DOCSTART-, conll_map) and CSV
(columns from span fields, document fields and metadata; quoting).
Layers come from the test stage `layers` (tests/formats/layers.c)."""
import csv
import io
import json
import os
from galleytest import ok, eq, done, run, run_docs, tmpdir, write

BUILD = os.environ["BUILDDIR"]
d = tmpdir()
text = "Zürich’s mayor Anna Keller said: “We are ready.”\nGeneva agreed."
doc = {"id": "z1", "text": text, "title": "Mayor, \"ready\"", "date": "2026-09-01",
       "layers": {
           "entities": [{"start": 0, "end": 6, "type": "LOC"},
                        {"start": 15, "end": 26, "type": "PERSON"},
                        {"start": 49, "end": 55, "type": "LOC"}],
           "quotes": [{"start": 34, "end": 47, "kind": "direct", "speaker": "Anna Keller",
                       "cue": "said", "at_speaker_start": 15, "at_speaker_end": 26}]}}
inp = write(d, "in.jsonl", json.dumps(doc, ensure_ascii=False) + "\n")
plug = 'plugin_path = "%s";\n' % os.path.join(BUILD)


def cfg(name, output):
    return write(d, name, plug + 'output = %s;\nstages = ( { use = "layers"; } );\n' % output)


# JSONL: code point offsets by default, the fields of each span, offset fields.
status, docs, err = run_docs(["run", cfg("j.cfg", '{ format = "jsonl"; }'), inp])
eq(status, 0, "jsonl: exit 0")
out = docs[0]
eq([text[e["start"]:e["end"]] for e in out["entities"]], ["Zürich", "Anna Keller", "Geneva"],
   "jsonl: entity offsets are code points")
q = out["quotes"][0]
eq(text[q["start"]:q["end"]], "We are ready.", "jsonl: quote span")
eq(text[q["speaker_start"]:q["speaker_end"]], "Anna Keller", "jsonl: offset fields converted too")
eq(list(q.keys()), ["start", "end", "kind", "speaker", "cue", "speaker_start", "speaker_end"],
   "jsonl: start and end first, then fields in order")
ok("layers" not in out["metadata"], "jsonl: test input consumed")

# Byte offsets on request.
status, docs, err = run_docs(["run", cfg("b.cfg", '{ offsets = "bytes"; }'), inp])
raw = text.encode()
eq([raw[e["start"]:e["end"]].decode() for e in docs[0]["entities"]],
   ["Zürich", "Anna Keller", "Geneva"], "bytes: offsets index the UTF-8 bytes")

# CoNLL: one token a line with its tag, blank line between sentences.
status, out, err = run(["run", cfg("c.cfg", '{ format = "conll"; }'), inp])
eq(status, 0, "conll: exit 0")
lines = out.split("\n")
eq(lines[0], "-DOCSTART- -X- -X- O", "conll: document marker")
eq(lines[1], "", "conll: blank line after the marker")
eq(lines[2:7], ["Zürich B-LOC", "’s O", "mayor O", "Anna B-PERSON", "Keller I-PERSON"],
   "conll: BIO tags, possessive split")
ok("Geneva B-LOC" in lines, "conll: second sentence tagged")
gi = lines.index("Geneva B-LOC")
eq(lines[gi - 1], "", "conll: blank line between sentences")
status, out, err = run(["run", cfg("c2.cfg", '{ format = "conll"; conll_map = ["PERSON=PER", "LOC=O"]; }'), inp])
ok("Anna B-PER" in out and "Zürich O" in out, "conll: conll_map renames and hides types", out[:300])

# CSV: a row a quote, columns from the span, the document and metadata.
status, out, err = run(["run", cfg("s.cfg", '{ format = "csv"; layer = "quotes"; }'), inp])
eq(status, 0, "csv: exit 0")
rows = list(csv.reader(io.StringIO(out)))
eq(rows[0], ["id", "speaker", "kind", "cue", "text", "title", "date", "source"], "csv: header")
eq(rows[1][:5], ["z1", "Anna Keller", "direct", "said", ""], "csv: span fields (no text field here)")
eq(rows[1][5:7], ["Mayor, \"ready\"", "2026-09-01"], "csv: metadata fields, quoted when needed")
ok(rows[1][7].endswith("in.jsonl:1"), "csv: source")
status, out, err = run(["run", cfg("s2.cfg", '{ format = "csv"; layer = "entities"; columns = ["id", "start", "end", "type"]; }'), inp])
rows = list(csv.reader(io.StringIO(out)))
eq(rows[1:], [["z1", "0", "6", "LOC"], ["z1", "15", "26", "PERSON"], ["z1", "49", "55", "LOC"]],
   "csv: any layer, offsets as columns")
done()
