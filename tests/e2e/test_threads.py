"""The output is byte for byte the same for any number of threads, with
every stage, malformed lines and duplicates in the input."""
import json
import os
import subprocess
import sys
from galleytest import ok, eq, done, run, tmpdir, write, config, TOP_SRCDIR

d = tmpdir()
corpus = os.path.join(d, "c.jsonl.gz")
subprocess.run([sys.executable, os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py"), "--docs", "700",
                "--seed", "5", "--out", corpus], check=True)
extra = write(d, "extra.jsonl", '{"id":"ok1","text":"Fine."}\n{broken\n{"id":"ok2","text":"Also fine."}\n')
news = os.path.join(TOP_SRCDIR, "pipelines", "news.cfg")
outs = {}
for t in ("1", "2", "4"):
    status, out, err = run(["run", news, corpus, extra, "-j", t, "-q"])
    outs[t] = out
    eq(status, 1, "threads %s: exit 1 (one malformed line)" % t)
ok(outs["1"] == outs["2"] == outs["4"], "news pipeline: identical output for 1, 2 and 4 threads")
eq(len(outs["1"].splitlines()), 702, "every good document written")
pas = config(d, "", name="pass.cfg")
a = run(["run", pas, corpus, "-j", "1", "-q"])[1]
b = run(["run", pas, corpus, "-j", "3", "-q"])[1]
ok(a == b and len(a.splitlines()) == 700, "passthrough: identical output for 1 and 3 threads")
done()
