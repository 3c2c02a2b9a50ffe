"""The GNU parallel recipe (examples/cluster/parallel.sh, issue 18) runs
the sharded flow (pass 1, the merge, pass 2) and its output, in shard
order, is the output of one run of the same pipeline over the same
inputs: on this machine, and through parallel's --sshlogin (with ":",
parallel's name for this machine, so no ssh server is needed here)."""
import gzip
import os
import shutil
import subprocess
import sys
from galleytest import ok, eq, done, skip, run, tmpdir, GALLEY, TOP_SRCDIR

recipe = os.path.join(TOP_SRCDIR, "examples", "cluster", "parallel.sh")
if not shutil.which("parallel"):
    skip("the GNU parallel flow", "GNU parallel is not installed (Debian's parallel; ./bootstrap installs it)")
    done()

d = tmpdir()
corpus = os.path.join(d, "all.jsonl.gz")
subprocess.run([sys.executable, os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py"), "--docs", "900",
                "--seed", "21", "--dup-share", "0.1", "--near-share", "0.2", "--out", corpus], check=True)
lines = gzip.open(corpus, "rt", encoding="utf-8").read().splitlines(True)
inputs = os.path.join(d, "in")
os.mkdir(inputs)
for i in range(6):
    with open(os.path.join(inputs, "part-%d.jsonl" % i), "w", encoding="utf-8") as f:
        f.writelines(lines[i * 150:(i + 1) * 150])

pass2 = os.path.join(TOP_SRCDIR, "examples", "cluster", "pass2.cfg")
status, single, err = run(["run", pass2, inputs, "-q", "--set", "dedup.pass=single", "--set", "threads=1"])
eq(status, 0, "one run of pass2.cfg with pass = \"single\"")
ok(single.count('"duplicate"') > 50, "with copies to find (%d)" % single.count('"duplicate"'))

for name, extra in (("this machine", {}), ("--sshlogin", {"SSHLOGIN": "2/:"})):
    work = os.path.join(d, "work-%d" % len(extra))
    env = dict(os.environ, GALLEY=GALLEY, THREADS="1", JOBS="2", **extra)
    p = subprocess.run(["bash", recipe, "3", work, inputs], env=env, capture_output=True, text=True,
                       timeout=300)
    eq(p.returncode, 0, "parallel.sh on %s: exit 0" % name)
    parts = [os.path.join(work, "out", "out.shard-%05d-of-00003.jsonl" % i) for i in range(3)]
    got = "".join(open(x, encoding="utf-8").read() for x in parts if os.path.exists(x))
    ok(got == single, "parallel.sh on %s: the shards' output is the single run's" % name, p.stderr)
    ok("galley dedup merge: 3 shard indexes, 900 documents" in p.stderr, "the merge saw every document",
       p.stderr)
done()
