"""The seed articles (../shared/seeds, real news read in place): the key
entities of each come out with their types and canonical forms, and the
known traps stay untagged (sentence openers; a headline repeated in the
body is no person). Skips when the seeds are absent."""
import json
import os
from galleytest import ok, skip, done, run, tmpdir, write, config, TOP_SRCDIR

SEEDS = os.path.join(TOP_SRCDIR, "..", "shared", "seeds")
# (file prefix, text, type, canonical)
WANT = [
    ("000", "Nasser Kanaani", "PERSON", "Nasser Kanaani"),
    ("000", "Kanaani", "PERSON", "Nasser Kanaani"),
    ("000", "Albania", "LOC", "Albania"),
    ("000", "Tirana", "LOC", "Tirana"),
    ("000", "NATO", "ORG", "NATO"),
    ("000", "Foreign Ministry", "ORG", "Foreign Ministry"),
    ("001", "Brian E. Nelson", "PERSON", "Brian E. Nelson"),
    ("001", "JCPOA", "ORG", "Joint Comprehensive Plan of Actions"),
    ("001", "Article 5", "MISC", "Article 5"),
    ("001", "Tehran", "LOC", "Tehran"),
    ("002", "National Center for Cyberspace", "ORG", "National Center for Cyberspace"),
    ("002", "NCC", "ORG", "National Center for Cyberspace"),
    ("002", "Edi Rama", "PERSON", "Edi Rama"),
    ("002", "Vienna Convention", "MISC", "Vienna Convention"),
    ("002", "United Nations", "ORG", "United Nations"),
    ("003", "Amir Saeed Iravani", "PERSON", "Amir Saeed Iravani"),
    ("003", "Iravani", "PERSON", "Amir Saeed Iravani"),
    ("003", "UN Security Council", "ORG", "UN Security Council"),
    ("004", "Edi Rama", "PERSON", "Edi Rama"),
    ("004", "7 September 2022", "DATE", "7 September 2022"),
    ("004", "Iranian", "NORP", "Iranian"),
]
NOT_PERSONS = ["Furthermore", "However", "Move", "Clear"]

files = sorted(f for f in os.listdir(SEEDS) if f.endswith(".txt")) if os.path.isdir(SEEDS) else []
if not files:
    for w in WANT:
        skip("seed %s: %s" % (w[0], w[1]), "no ../shared/seeds beside the project")
    done()

d = tmpdir()
lines = [json.dumps({"id": f, "text": open(os.path.join(SEEDS, f), encoding="utf-8").read()})
         for f in files]
inp = write(d, "seeds.jsonl", "\n".join(lines) + "\n")
cfg = config(d, '{ use = "normalize"; }, { use = "entities"; }')
status, out, err = run(["run", cfg, inp])
ok(status == 0, "news run over the seeds exits 0", err)
docs = {json.loads(l)["id"][:3]: json.loads(l) for l in out.splitlines()}
for prefix, text, type_, canonical in WANT:
    ents = docs.get(prefix, {}).get("entities", [])
    got = [(e["type"], e["canonical"]) for e in ents if e["text"] == text]
    ok((type_, canonical) in got, "seed %s: %s is %s (%s)" % (prefix, text, type_, canonical),
       "got %r" % got)
for prefix, doc in sorted(docs.items()):
    bad = [e["text"] for e in doc.get("entities", [])
           if e["type"] == "PERSON" and e["text"] in NOT_PERSONS]
    ok(not bad, "seed %s: no sentence opener or headline word as a person" % prefix, bad)
done()
