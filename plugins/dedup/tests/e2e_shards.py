"""Deduplication across shards (issue 18): pass 1 (`pass = "sign"`) on each
of N shards, `galley dedup merge`, pass 2 (`pass = "apply"`) on each shard
give, concatenated in shard order, exactly the output of one run over the
same inputs (kept documents, duplicate.of, cluster ids, the
repeated_paragraphs layer) for N = 1, 2, 3 and 7, marking and dropping,
on a corpus with exact, near and paragraph copies across the shards. And
the refusals: indexes of other options, a missing, repeated or damaged
shard index, pass 2 over inputs the merged index does not cover."""
import gzip
import json
import os
import subprocess
import sys
from galleytest import ok, eq, done, run, tmpdir, write, config, TOP_SRCDIR

d = tmpdir()
corpus = os.path.join(d, "all.jsonl.gz")
subprocess.run([sys.executable, os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py"), "--docs", "2400",
                "--seed", "11", "--dup-share", "0.1", "--near-share", "0.2", "--out", corpus], check=True)
lines = gzip.open(corpus, "rt", encoding="utf-8").read().splitlines(True)
inputs = os.path.join(d, "in")
os.mkdir(inputs)
# 14 files of unequal sizes, so that every N cuts the copies apart.
cuts = [0]
for i in range(14):
    cuts.append(cuts[-1] + 60 + (i * 53) % 250)
cuts[-1] = len(lines)
for i in range(14):
    with open(os.path.join(inputs, "day-%02d.jsonl" % i), "w", encoding="utf-8") as f:
        f.writelines(lines[cuts[i]:cuts[i + 1]])

OPTS = 'paragraphs = true; min_paragraph = 60;'


def flow(action, n, tag):
    """Pass 1 on N shards, the merge, pass 2 on N shards; the outputs of
    pass 2 in shard order, the merge's status and stderr."""
    w = os.path.join(d, "%s-%d" % (tag, n))
    os.makedirs(w, exist_ok=True)
    sign = config(w, '{ use = "dedup"; %s action = "%s"; pass = "sign"; index = "sigs.idx"; }'
                  % (OPTS, action), name="sign.cfg")
    apply = config(w, '{ use = "dedup"; %s action = "%s"; pass = "apply"; index = "global.idx"; }'
                   % (OPTS, action), name="apply.cfg")
    for i in range(n):
        status, out, err = run(["run", sign, inputs, "-o", os.path.join(w, "p1.jsonl"), "-q", "--shard",
                                "%d/%d" % (i, n)])
        if status != 0:
            return None, status, err
    idx = [os.path.join(w, "sigs.idx")] if n == 1 else \
        [os.path.join(w, "sigs.shard-%05d-of-%05d.idx" % (i, n)) for i in range(n)]
    status, out, merr = run(["dedup", "merge", "-o", os.path.join(w, "global.idx")] + idx)
    if status != 0:
        return None, status, merr
    parts = []
    for i in range(n):
        status, out, err = run(["run", apply, inputs, "-o", os.path.join(w, "out.jsonl"), "-q", "--shard",
                                "%d/%d" % (i, n)])
        if status != 0:
            return None, status, err
        name = "out.jsonl" if n == 1 else "out.shard-%05d-of-%05d.jsonl" % (i, n)
        parts.append(open(os.path.join(w, name), encoding="utf-8").read())
    return "".join(parts), 0, merr


for action in ("mark", "drop"):
    single_cfg = config(d, '{ use = "dedup"; %s action = "%s"; }' % (OPTS, action), name="single.cfg")
    status, single, err = run(["run", single_cfg, inputs, "-q"])
    eq(status, 0, "%s: the single run" % action)
    docs = [json.loads(x) for x in single.splitlines()]
    if action == "mark":
        dups = [x for x in docs if "duplicate" in x["metadata"]]
        kinds = {x["metadata"]["duplicate"]["kind"] for x in dups}
        reps = sum(len(x.get("repeated_paragraphs", [])) for x in docs)
        ok(len(dups) > 300 and kinds == {"exact", "near"} and reps > 300,
           "the corpus has exact, near and paragraph copies (%d copies, %d repeated paragraphs)"
           % (len(dups), reps))
    for n in (1, 2, 3, 7):
        got, status, err = flow(action, n, action)
        eq(status, 0, "%s, N = %d: pass 1, merge and pass 2 succeed" % (action, n))
        ok(got == single, "%s, N = %d: the output is the single run's, byte for byte" % (action, n),
           err)

# ---- refusals -------------------------------------------------------------------
w = os.path.join(d, "mark-3")
shards = [os.path.join(w, "sigs.shard-%05d-of-00003.idx" % i) for i in range(3)]
status, out, err = run(["dedup", "merge", "-o", os.path.join(w, "g2.idx"), shards[0], shards[2]])
eq(status, 2, "a missing shard index: exit 2")
ok("shard 1 of 3 is missing" in err, "the message names the missing shard", err)
status, out, err = run(["dedup", "merge", "-o", os.path.join(w, "g2.idx"), shards[0], shards[1], shards[1]])
eq(status, 2, "a shard index given twice: exit 2")
ok("are both shard 1 of 3" in err, "says so", err)
status, out, err = run(["dedup", "merge", "-o", os.path.join(w, "g2.idx"), shards[0], shards[1],
                        os.path.join(w, "nothing.idx")])
eq(status, 2, "a shard index that does not exist: exit 2")
ok("nothing.idx" in err and "No such file" in err, "says which", err)
damaged = os.path.join(w, "damaged.idx")
data = bytearray(open(shards[1], "rb").read())
data[len(data) // 2] ^= 0x40
open(damaged, "wb").write(bytes(data))
status, out, err = run(["dedup", "merge", "-o", os.path.join(w, "g2.idx"), shards[0], damaged, shards[2]])
eq(status, 2, "a damaged shard index: exit 2")
ok("damaged.idx" in err and "checksum mismatch" in err, "says which and why", err)
open(damaged, "wb").write(bytes(data[:len(data) // 3]))
status, out, err = run(["dedup", "merge", "-o", os.path.join(w, "g2.idx"), shards[0], damaged, shards[2]])
ok(status == 2 and "damaged" in err, "a truncated shard index: exit 2", err)
ok(not os.path.exists(os.path.join(w, "g2.idx")), "a refused merge writes nothing")

other = os.path.join(d, "other")
os.mkdir(other)
sign4 = config(other, '{ use = "dedup"; %s shingle = 4; pass = "sign"; index = "sigs.idx"; }' % OPTS,
               name="sign.cfg")
run(["run", sign4, inputs, "-o", os.path.join(other, "p1.jsonl"), "-q", "--shard", "1/3"])
status, out, err = run(["dedup", "merge", "-o", os.path.join(other, "g.idx"), shards[0],
                        os.path.join(other, "sigs.shard-00001-of-00003.idx"), shards[2]])
eq(status, 2, "a shard index built with other options: exit 2")
ok("shingle = 4" in err and "shingle = 5" in err, "the message names the option and both values", err)
status, out, err = run(["dedup", "merge", "-o", os.path.join(other, "g.idx"),
                        os.path.join(w, "global.idx")])
ok(status == 2 and "a merged index" in err and "shard index of pass" in err,
   "a merged index given as a shard index: exit 2, says what it is", err)

apply_other = config(w, '{ use = "dedup"; %s threshold = 0.9; pass = "apply"; index = "global.idx"; }'
                     % OPTS, name="apply-other.cfg")
status, out, err = run(["run", apply_other, inputs, "-o", os.path.join(w, "x.jsonl"), "-q"])
eq(status, 2, "pass 2 with another threshold than the merge's: exit 2")
ok("threshold = 0.80000000000000004" in err or "threshold" in err, "names the option", err)
extra = write(d, "extra/late.jsonl", json.dumps({"id": "late", "text": "A story pass 1 never saw, "
              "long enough to have shingles of its own words."}) + "\n")
apply_cfg = os.path.join(w, "apply.cfg")
status, out, err = run(["run", apply_cfg, inputs, extra, "-o", os.path.join(w, "y.jsonl"), "-q"])
ok(status != 0 and "does not cover" in err and '"late"' in err,
   "pass 2 over a document the merged index does not cover fails, naming it (exit %d)" % status, err)
ok(not os.path.exists(os.path.join(w, "y.jsonl")), "and keeps no output")
nosign = config(d, '{ use = "dedup"; pass = "sign"; }', name="nosign.cfg")
status, out, err = run(["run", nosign, inputs, "-o", os.path.join(d, "z.jsonl"), "-q"])
ok(status == 2 and "needs index" in err, "pass = \"sign\" without an index: exit 2", err)
status, out, err = run(["dedup", "merge", shards[0]])
ok(status == 2 and "-o" in err, "merge without -o: exit 2 with the usage", err)
done()
