"""Speakers on the five seed articles (../shared/seeds, real news, read in
place): entities then quotes (no normalize, so offsets are the file's),
each direct or partial quote judged by hand, by where it starts (code
points into the file, give or take 3) and words its speaker must contain
(case aside; None: no speaker, e.g. a scare quote). Accuracy is the share
of these quotes found with a right speaker; before the model it was 0.46.
Skipped when the seeds are not there."""
import json
import os
import subprocess
from galleytest import ok, skip, done, GALLEY, TOP_SRCDIR, tmpdir, write, config

SEEDS = os.path.join(TOP_SRCDIR, "..", "shared", "seeds")

# file prefix, quote start, words one of which the speaker contains
JUDGED = [
    ("000", 233, ["kanaani"]), ("000", 412, ["treasury"]), ("000", 507, ["treasury"]),
    ("000", 741, ["statement", "treasury"]), ("000", 1175, ["kanaani"]), ("000", 1322, ["kanaani"]),
    ("000", 1411, ["kanaani"]), ("000", 1474, ["kanaani"]), ("000", 1664, ["kanaani"]),
    ("000", 2150, ["kanaani"]),
    ("001", 196, ["ofac", "foreign assets", "treasury"]), ("001", 611, ["nelson"]), ("001", 1441, ["scita"]),
    ("001", 2206, ["foreign ministry"]), ("001", 3523, ["diplomat", "kanaani"]), ("001", 4304, ["mission"]),
    ("001", 4934, None), ("001", 4957, ["nato"]), ("001", 5092, ["nato"]), ("001", 5439, ["jean-pierre"]),
    ("001", 5576, ["jean-pierre"]), ("001", 6015, ["nato"]), ("001", 7194, ["nato"]),
    ("001", 8759, ["prime minister", "rama"]), ("001", 9032, ["u.s.", "united states"]),
    ("001", 9447, ["white house"]),
    ("002", 390, ["ncc", "national center"]), ("002", 466, ["ncc", "national center"]), ("002", 1362, ["rama"]),
    ("002", 1495, ["rama"]), ("002", 1940, ["prime minister", "rama"]), ("002", 2044, ["rama"]),
    ("002", 2295, None), ("002", 2485, ["ncc", "national center"]),
    ("002", 3251, ["ncc", "national center"]), ("002", 5318, ["letter", "iravani"]),
    ("004", 88, ["iran"]), ("004", 163, ["foreign ministry"]), ("004", 387, ["iran"]),
    ("004", 1013, ["iran"]), ("004", 1059, ["prime minister", "rama"]), ("004", 1325, ["foreign ministry"]),
    ("004", 1773, ["iran"]),
]

if not os.path.isdir(SEEDS):
    skip("speakers on the seed articles", "no seeds at %s" % SEEDS)
    done()

d = tmpdir()
files = sorted(f for f in os.listdir(SEEDS) if f.endswith(".txt"))
with open(os.path.join(d, "seeds.jsonl"), "w", encoding="utf-8") as f:
    for name in files:
        text = open(os.path.join(SEEDS, name), encoding="utf-8").read()
        f.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
cfg = config(d, '{ use = "entities"; }, { use = "quotes"; }')
p = subprocess.run([GALLEY, "run", cfg, os.path.join(d, "seeds.jsonl"), "-q"], capture_output=True, text=True)
ok(p.returncode == 0, "galley runs over the seeds", p.stderr)
quotes = {}
for line in p.stdout.splitlines():
    doc = json.loads(line)
    quotes[doc["id"][:3]] = doc["quotes"]

right, wrong = 0, []
for prefix, start, words in JUDGED:
    found = [q for q in quotes.get(prefix, []) if abs(q["start"] - start) <= 3]
    spk = found[0]["speaker"] if found else "(quote not found)"
    good = bool(found) and (spk is None if words is None else
                            spk is not None and any(w in spk.lower() for w in words))
    right += good
    if not good:
        wrong.append("%s@%d: %r, want %s" % (prefix, start, spk, words or "none"))
acc = right / len(JUDGED)
ok(acc >= 0.90, "seed speaker accuracy >= 0.90 (%.3f, %d of %d)" % (acc, right, len(JUDGED)), "\n".join(wrong))
for prefix, start, want, what in (
        ("001", 196, ("ofac", "foreign assets", "treasury"), "the Treasury's statement is not the Intelligence Ministry's"),
        ("000", 507, ("treasury",), "\"It accused...\" is the US Treasury")):
    q = [q for q in quotes.get(prefix, []) if abs(q["start"] - start) <= 3]
    spk = ((q[0]["speaker"] or "") if q else "").lower()
    ok("intelligence ministry" not in spk and any(w in spk for w in want), "%s (%r)" % (what, spk))
done()
