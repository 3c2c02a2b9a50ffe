"""dedup end to end: marks and drops through `galley run`, the account,
identical output for any thread count, and the index across runs (and a
damaged index refused with exit status 2)."""
import json
import os
import subprocess
import sys
from galleytest import ok, eq, done, run, run_docs, tmpdir, write, config, TOP_SRCDIR

d = tmpdir()
corpus = os.path.join(d, "c.jsonl.gz")
subprocess.run([sys.executable, os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py"), "--docs", "600",
                "--seed", "3", "--near-share", "0.2", "--out", corpus,
                "--truth", os.path.join(d, "truth.jsonl")], check=True)
truth = {}
for line in open(os.path.join(d, "truth.jsonl")):
    t = json.loads(line)
    truth[t["id"]] = t

mark = config(d, '{ use = "dedup"; }', name="mark.cfg")
outs = []
for threads in ("1", "2", "3"):
    status, out, err = run(["run", mark, corpus, "-j", threads, "-q"])
    outs.append(out)
eq(status, 0, "mark: exit 0")
ok(outs[0] == outs[1] == outs[2], "output identical for 1, 2 and 3 threads")
docs = [json.loads(l) for l in outs[0].splitlines()]
eq(len(docs), 600, "mark: every document written")
marked = {x["id"]: x["metadata"]["duplicate"] for x in docs if "duplicate" in x["metadata"]}
exact = [i for i, t in truth.items() if t["kind"] == "exact"]
ok(all(marked.get(i, {}).get("of") == truth[i]["of"] and marked[i]["kind"] == "exact" for i in exact),
   "every exact copy marked with its original")
ok(all(i in truth and truth[i]["of"] == m["of"] for i, m in marked.items()), "no original marked")

drop = config(d, '{ use = "dedup"; action = "drop"; }', name="drop.cfg")
status, dropped, err = run_docs(["run", drop, corpus, "--stats", os.path.join(d, "s.json")])
stats = json.load(open(os.path.join(d, "s.json")))
eq(len(dropped), 600 - len(marked), "drop: copies left out")
eq(stats["dropped_by_reason"], {"duplicate": len(marked)}, "drop: counted as dropped duplicates")
eq(stats["read"], stats["written"] + stats["dropped"] + stats["rejected"], "the account balances")

# Across runs: the second run sees the first run's articles through the index.
idx = os.path.join(d, "news.idx")
first = write(d, "day1.jsonl", json.dumps({"id": "day1", "text": "The port authority in Klaipeda said on "
              "Monday that it would reopen the northern terminal after a two-week closure caused by a storm."}) + "\n")
second = write(d, "day2.jsonl", json.dumps({"id": "day2", "text": "The port authority in Klaipeda said on "
               "Monday that it would reopen the northern terminal after a two-week closure caused by a storm."}) + "\n")
cfg = config(d, '{ use = "dedup"; index = "news.idx"; }', name="idx.cfg")
status, docs1, err = run_docs(["run", cfg, first])
ok(os.path.exists(idx), "index written at the end of the first run")
status, docs2, err = run_docs(["run", cfg, second])
eq(docs2[0]["metadata"].get("duplicate", {}).get("of"), "day1", "second run finds the first run's article")
with open(idx, "r+b") as f:
    f.seek(80)
    f.write(b"\xff\xff")
status, out, err = run(["run", cfg, second])
eq(status, 2, "damaged index: exit status 2")
ok("checksum mismatch" in err and "idx.cfg" in err and "dedup" in err, "damaged index: clear message", err)
done()
