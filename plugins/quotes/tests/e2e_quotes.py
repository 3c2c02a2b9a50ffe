"""quotes end to end: the news stages through `galley run`, quotes checked
field by field (code point offsets of quote, pieces, speaker and cue), the
layer's fields against the stage's declared table, and the CSV table of
pipelines/quotes-table.cfg."""
import csv
import io
import json
from galleytest import ok, eq, done, run, run_docs, tmpdir, write, config, path

d = tmpdir()
text = ("VILNIUS (Baltic Wire) — Energy Minister Tomas Giedraitis said on Friday that the grid was safe.\n"
        "“We have restored every line,” Giedraitis said, “and the last one came back at noon.”\n"
        "He called the attack “an act of sabotage.”")
inp = write(d, "in.jsonl", json.dumps({"id": "q1", "title": "Grid safe", "date": "2026-09-18",
                                       "text": text}, ensure_ascii=False) + "\n")
cfg = config(d, '{ use = "normalize"; }, { use = "entities"; }, { use = "quotes"; }')
status, docs, err = run_docs(["run", cfg, inp])
eq(status, 0, "exit 0")
doc = docs[0]
t = doc["text"]
qs = [(q["kind"], q["text"], q["speaker"], q["speaker_kind"], q["cue"], q["flagged"]) for q in doc["quotes"]]
eq(qs, [("indirect", "that the grid was safe", "Tomas Giedraitis", "named", "said", False),
        ("direct", "We have restored every line and the last one came back at noon.", "Tomas Giedraitis",
         "named", "said", False),
        ("partial", "an act of sabotage.", "Tomas Giedraitis", "pronoun", "called", False)],
   "quotes: kind, text, speaker, speaker kind, cue")
q = doc["quotes"][1]
eq([t[p["start"]:p["end"]] for p in q["pieces"]],
   ["We have restored every line", "and the last one came back at noon."], "an interrupted quote: two pieces")
eq((q["start"], q["end"]), (q["pieces"][0]["start"], q["pieces"][-1]["end"]), "the element spans its pieces")
eq(t[q["speaker_start"]:q["speaker_end"]], "Giedraitis", "speaker mention offsets point at the name")
eq(t[q["cue_start"]:q["cue_end"]], "said", "cue offsets point at the cue")
ok(0 < q["confidence"] <= 1, "a confidence in (0, 1]: %s" % q["confidence"])
q = doc["quotes"][2]
eq(t[q["speaker_start"]:q["speaker_end"]], "He", "a pronoun speaker's mention is the pronoun")

# An interview transcript: each turn led by a label in capitals and a colon
# is one attribution (kind transcript), with or without a quotation mark
# that opens the paragraph and never closes; notes ("UPDATE:", "NOTE:") are no
# transcript.
turns = ("Partial transcript as follows:\n\n"
         "JAKE TAPPER: Donald Trump released a video on Friday. Take a listen.\n\n"
         "FALLIN: Well, I think the whole nation needs to work together.\n\n"
         "\"WALLACE: Why would Trump do that?\n\n"
         "\"PENCE: Well, look, this is serious business.\n\n"
         "\"(CROSSTALK.)\n\n"
         "\"WALLACE: If I may, sir. Will she be there?\"")
lone = ("UPDATE: The minister resigned on Friday, officials said.\n\nShe gave no reason.\n\n"
        "NOTE: An earlier version misspelled her name.")
inp2 = write(d, "turns.jsonl", "".join(json.dumps({"id": i, "text": x}) + "\n"
                                       for i, x in (("turns", turns), ("lone", lone))))
status, tdocs, err = run_docs(["run", cfg, inp2])
eq(status, 0, "transcript: exit 0")
tt = tdocs[0]["text"]
tq = [q for q in tdocs[0]["quotes"] if q["kind"] != "scare"]
eq([(q["kind"], q["text"], q["speaker"], q["speaker_kind"], q["cue"], q["confidence"]) for q in tq],
   [("transcript", "Donald Trump released a video on Friday. Take a listen.", "JAKE TAPPER", "named", ":", 0.5),
    ("transcript", "Well, I think the whole nation needs to work together.", "FALLIN", "named", ":", 0.5),
    ("transcript", "Why would Trump do that?", "WALLACE", "named", ":", 0.5),
    ("transcript", "Well, look, this is serious business.", "PENCE", "named", ":", 0.5),
    ("transcript", "If I may, sir. Will she be there?", "WALLACE", "named", ":", 0.5)],
   "transcript turns: kind, words, label as speaker, colon as cue")
q = tq[3]
eq((tt[q["speaker_start"]:q["speaker_end"]], tt[q["cue_start"]:q["cue_end"]]), ("PENCE", ":"),
   "a turn's speaker and cue offsets")
eq([tt[p["start"]:p["end"]] for p in q["pieces"]], ["Well, look, this is serious business."],
   "a turn's words: after the label, without the mark that opens the paragraph")
ok(all(q["kind"] != "transcript" for q in tdocs[1]["quotes"]), "notes are no transcript: %s"
   % tdocs[1]["quotes"])

# A quote whose start an editor cut or recased is still a sentence: direct.
cut = ("The minister spoke on Friday.\n\n“[W]e are rebuilding every line in the region,” Giedraitis said.\n\n"
       "“… and the last one came back at noon,” he added.")
inp3 = write(d, "cut.jsonl", json.dumps({"id": "cut", "text": cut}, ensure_ascii=False) + "\n")
status, cdocs, err = run_docs(["run", cfg, inp3])
eq([(q["kind"], q["text"]) for q in cdocs[0]["quotes"]],
   [("direct", "[W]e are rebuilding every line in the region"), ("direct", "… and the last one came back at noon")],
   "quotes opening with [W]e or an ellipsis are sentences")

# The second pass: the stack model beside the model (X.model: X-stack.model),
# bound to the first pass's bytes. Without it, or with a model that is not
# the stack model of that first pass, the run does not start (exit 2) and
# names the file.
first = open(path("plugins", "quotes", "data", "quotes.model"), "rb").read()
stack = open(path("plugins", "quotes", "data", "quotes-stack.model"), "rb").read()
write(d, "alone.model", first, mode="wb")
write(d, "pair.model", first, mode="wb")
write(d, "pair-stack.model", stack, mode="wb")
write(d, "twice.model", first, mode="wb")
write(d, "twice-stack.model", first, mode="wb")
for name, want, why in (("alone.model", 2, "alone-stack.model"), ("twice.model", 2, "twice-stack.model"),
                        ("pair.model", 0, "")):
    mcfg = config(d, '{ use = "entities"; }, { use = "quotes"; model = "%s"; }' % name, name="m.cfg")
    status, out, err = run(["run", mcfg, inp])
    ok(status == want and why in err, "model %s: exit %d %s" % (name, want, why), "%d %s" % (status, err))
ok("other feature templates" in run(["run", config(d, '{ use = "entities"; }, { use = "quotes"; model = '
                                                   '"twice.model"; }', name="m.cfg"), inp])[2],
   "a stack model of other templates is refused as such")

# second_pass = false: the first pass alone, which needs no stack model
# (alone.model has none); the marks still decide the direct quotes.
one = config(d, '{ use = "normalize"; }, { use = "entities"; }, '
             '{ use = "quotes"; model = "alone.model"; second_pass = false; }', name="one.cfg")
status, odocs, err = run_docs(["run", one, inp])
ok(status == 0, "second_pass = false: runs without a stack model", err)
eq([(q["start"], q["end"]) for q in odocs[0]["quotes"] if q["kind"] == "direct"],
   [(q["start"], q["end"]) for q in doc["quotes"] if q["kind"] == "direct"],
   "second_pass = false: the same direct quotes")
ok(any(q["speaker"] == "Tomas Giedraitis" for q in odocs[0]["quotes"]),
   "second_pass = false: the speaker is found", str(odocs[0]["quotes"]))

# The declared fields are the fields of the real output, and the other way round.
status, out, err = run(["stages", "quotes"])
declared = [line.split()[0][len("quotes."):] for line in out.splitlines() if line.strip().startswith("quotes.")]
for q in doc["quotes"] + tq[:1]:
    eq(sorted(set(q) - {"start", "end", "text"}), sorted(declared), "fields of a %s quote as declared" % q["kind"])

status, out, err = run(["run", path("pipelines", "quotes-table.cfg"), inp])
eq(status, 0, "quotes-table.cfg: exit 0")
rows = list(csv.reader(io.StringIO(out)))
eq(rows[0], ["id", "speaker", "speaker_kind", "kind", "cue", "text", "confidence", "start", "end", "pieces",
             "speaker_start", "speaker_end", "cue_start", "cue_end", "flagged", "title", "date", "source"],
   "csv header")
eq(rows[2][:6], ["q1", "Tomas Giedraitis", "named", "direct", "said",
                 "We have restored every line and the last one came back at noon."], "csv row")
eq(len(json.loads(rows[2][9])), 2, "csv: the pieces as JSON")
eq(rows[2][15:17], ["Grid safe", "2026-09-18"], "csv: title and date from metadata")
eq(len(rows), 4, "one row a quote")
done()
