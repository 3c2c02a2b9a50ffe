"""galley run --shard I/N (issue 18): each shard processes a contiguous run of
the input files in the sorted order of a single run, so the shards' outputs,
concatenated in shard order, are the single run's output byte for byte; each
shard's outputs are named by shard; FILE.done marks a finished shard, and a
rerun of a finished shard does nothing unless --force."""
import json
import os
from galleytest import ok, eq, done, run, tmpdir, write, config

d = tmpdir()
files = []
for i in range(10):
    # Sizes differ so that the split by bytes is not a split by count.
    n = 3 + (i * 7) % 11
    text = "".join(json.dumps({"id": "f%d-%d" % (i, k), "text": "Story %d of file %d. " % (k, i) * (1 + i % 4)})
                   + "\n" for k in range(n))
    files.append(write(d, "in/part-%02d.jsonl" % i, text))
write(d, "in/sub/late.jsonl", json.dumps({"id": "late", "text": "In a sub-folder."}) + "\n")
cfg = config(d, '{ use = "stats"; }')
single = os.path.join(d, "single.jsonl")
status, out, err = run(["run", cfg, os.path.join(d, "in"), "-o", single])
eq(status, 0, "the single run: exit 0")
want = open(single).read()

for n in (1, 2, 3, 7):
    parts = []
    for i in range(n):
        dest = os.path.join(d, "n%d" % n, "out.jsonl")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        status, out, err = run(["run", cfg, os.path.join(d, "in"), "-o", dest, "--shard", "%d/%d" % (i, n)])
        eq(status, 0, "N=%d shard %d: exit 0" % (n, i))
        name = dest if n == 1 else os.path.join(d, "n%d" % n, "out.shard-%05d-of-%05d.jsonl" % (i, n))
        ok(os.path.exists(name), "N=%d shard %d: output named by shard (%s)" % (n, i, os.path.basename(name)))
        if n > 1:
            ok(os.path.exists(name + ".done"), "N=%d shard %d: completion marker" % (n, i))
            marker = json.load(open(name + ".done"))
            eq(marker["written"], len(open(name).read().splitlines()), "the marker holds the shard's account")
        parts.append(open(name).read() if os.path.exists(name) else "")
    eq("".join(parts), want, "N=%d: the shards' outputs, in shard order, are the single run's output" % n)
    if n == 3:
        sizes = [len(p) for p in parts]
        ok(max(sizes) < 2.2 * min(sizes), "N=3: shares balanced by size (%s)" % sizes)

# A finished shard is not run again unless forced.
dest = os.path.join(d, "n3", "out.jsonl")
shard1 = os.path.join(d, "n3", "out.shard-00001-of-00003.jsonl")
os.truncate(shard1, 0)
status, out, err = run(["run", cfg, os.path.join(d, "in"), "-o", dest, "--shard", "1/3"])
eq(status, 0, "a rerun of a finished shard: exit 0")
ok("already done" in err and "--force" in err, "a rerun of a finished shard says so", err)
eq(os.path.getsize(shard1), 0, "a rerun of a finished shard does nothing")
status, out, err = run(["run", cfg, os.path.join(d, "in"), "-o", dest, "--shard", "1/3", "--force"])
eq(status, 0, "--force: exit 0")
ok(os.path.getsize(shard1) > 0, "--force runs the shard again")

# A shard that fails leaves no marker.
gone = os.path.join(d, "missing-folder", "out.jsonl")
status, out, err = run(["run", cfg, os.path.join(d, "in"), "-o", gone, "--shard", "0/2"])
eq(status, 2, "a shard whose output cannot be opened: exit 2")
ok(not os.path.exists(os.path.dirname(gone)), "a failed shard leaves no marker")

# Bad shard specs and a shard without an output file are usage errors.
for spec in ("3/2", "2/2", "1", "a/b", "-1/2", "0/0", "1/2/3"):
    status, out, err = run(["run", cfg, files[0], "-o", os.path.join(d, "x.jsonl"), "--shard", spec])
    eq(status, 2, "--shard %s: exit 2" % spec)
    ok("expected I/N" in err, "--shard %s: says what is expected" % spec, err)
status, out, err = run(["run", cfg, files[0], "-o", "/dev/null", "--shard", "0/2"])
eq(status, 2, "--shard onto a device: exit 2")
ok("not a device or a pipe" in err and not os.path.exists("/dev/null.shard-00000-of-00002"),
   "--shard onto a device: refused, nothing made beside it", err)
status, out, err = run(["run", cfg, files[0], "--shard", "0/2"])
eq(status, 2, "--shard to standard output: exit 2")
ok("--shard needs an output file" in err, "--shard to standard output: says why", err)
done()
