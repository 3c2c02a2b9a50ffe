"""The dedup index is never lost or corrupted (issue 13): one run at a
time (a lock, with the holder named, or waited for), every option that
shapes it compared on load, killed runs' temporary files cleared, paths
that are not regular files refused at once, `galley check` refusing the
band settings that run refuses, and the index saved only after a run
whose output is complete, so that a retry after a failure gives what a
clean first run gives."""
import json
import os
import signal
import subprocess
import sys
import time
from galleytest import ok, eq, done, run, tmpdir, write, config, GALLEY, TOP_SRCDIR

d = tmpdir()
TEXT = ("The port authority in Klaipeda said on Monday that it would reopen the northern terminal "
        "after a two-week closure caused by a storm that damaged three cranes and a pier.\n"
        "Harbour master Jonas Petraitis told reporters that ships had waited for days outside the port "
        "and that the repairs had cost more than two million euros so far this month.")
idx = os.path.join(d, "news.idx")
cfg = config(d, '{ use = "dedup"; index = "news.idx"; paragraphs = true; }', name="idx.cfg")
day1 = write(d, "day1.jsonl", json.dumps({"id": "day1", "text": TEXT}) + "\n")
day2 = write(d, "day2.jsonl", json.dumps({"id": "day2", "text": TEXT}) + "\n")


def start_holder(cfg_path):
    """A run that holds the index: it reads standard input, kept open."""
    p = subprocess.Popen([GALLEY, "run", cfg_path, "-", "-q"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The lock is taken at create, before the first read.
    for _ in range(200):
        if os.path.exists(idx + ".lock"):
            break
        time.sleep(0.02)
    time.sleep(0.3)
    return p


# ---- the lock -----------------------------------------------------------------
holder = start_holder(cfg)
t0 = time.time()
status, out, err = run(["run", cfg, day2, "-q"])
eq(status, 2, "a second run on a locked index: exit 2")
ok(time.time() - t0 < 5, "it fails at once")
ok(idx in err and "in use by process %d" % holder.pid in err and "wait_for_index" in err,
   "the message names the index, the holder's pid and the option to wait", err)

waiter = subprocess.Popen([GALLEY, "run", cfg, day2, "-q", "--set", "dedup.wait_for_index=true"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
time.sleep(0.5)
ok(waiter.poll() is None, "with wait_for_index = true it waits for the holder")
holder.communicate((json.dumps({"id": "day1", "text": TEXT}) + "\n").encode(), timeout=60)
eq(holder.returncode, 0, "the holder finishes")
wout, werr = waiter.communicate(timeout=60)
eq(waiter.returncode, 0, "the waiting run then goes on", )
got = json.loads(wout.decode().splitlines()[0])
eq(got["metadata"].get("duplicate", {}).get("of"), "day1",
   "and it sees what the holder saved (it loads after the lock is its)")
two = config(d, '{ use = "dedup"; index = "news.idx"; paragraphs = true; },'
             '{ use = "dedup"; name = "again"; index = "news.idx"; paragraphs = true; }', name="two.cfg")
status, out, err = run(["run", two, day2, "-q"])
eq(status, 2, "two stages of one run on one index: exit 2")
ok("already used by another dedup stage" in err, "with a message that says so", err)

# ---- every option that shapes the index is compared -------------------------
for option, value, shown in (("paragraphs", "false", "paragraphs = true, but this stage has paragraphs = false"),
                             ("min_paragraph", "40", "min_paragraph = 80, but this stage has min_paragraph = 40"),
                             ("normalize_exact", "true", "normalize_exact = false, but this stage has normalize_exact = true"),
                             ("seed", "9", "seed = 1, but this stage has seed = 9"),
                             ("bands", "12", "bands = 10, but this stage has bands = 12"),
                             ("rows", "6", "rows = 7, but this stage has rows = 6"),
                             ("shingle", "4", "shingle = 5, but this stage has shingle = 4")):
    status, out, err = run(["run", cfg, day2, "-q", "--set", "dedup.%s=%s" % (option, value)])
    eq(status, 2, "index built with another %s: exit 2" % option)
    ok(shown in err and idx in err, "the message names %s and both values" % option, err)

# ---- stale temporary files, and paths that are not files --------------------
dead = subprocess.Popen(["true"])
dead.wait()
stale = idx + ".tmp.%d" % dead.pid
live = idx + ".tmp.%d" % os.getpid()
write(d, os.path.basename(stale), "left by kill -9")
write(d, os.path.basename(live), "still being written")
status, out, err = run(["run", cfg, day2, "-q"])
eq(status, 0, "a run beside stale temporary files")
ok(not os.path.exists(stale), "the temporary file of a dead process is removed")
ok(os.path.exists(live), "the one of a live process is left alone")
os.unlink(live)

fifo = os.path.join(d, "fifo.idx")
os.mkfifo(fifo)
os.mkdir(os.path.join(d, "folder.idx"))
for name, what in (("fifo.idx", "a FIFO"), ("folder.idx", "a folder"), ("/dev/null", "a device")):
    c = config(d, '{ use = "dedup"; index = "%s"; }' % name, name="odd.cfg")
    t0 = time.time()
    status, out, err = run(["run", c, day2, "-q"], timeout=20)
    eq(status, 2, "index at %s: exit 2" % what)
    ok(time.time() - t0 < 5 and "is %s, not a regular file" % what in err,
       "refused at once with a clear message (%s)" % what, err)

# ---- galley check refuses what run refuses ---------------------------------
for sets in (["dedup.bands=20", "dedup.rows=6"], ["dedup.bands=16", "dedup.rows=9"]):
    args = sum((["--set", s] for s in sets), [])
    cstatus, cout, cerr = run(["check", cfg] + args)
    rstatus, rout, rerr = run(["run", cfg, day2, "-q"] + args)
    ok(cstatus == 2 and rstatus == 2, "check and run both refuse %s" % " ".join(sets), cerr + rerr)
    eq(cerr.strip(), rerr.strip(), "with the same message (%s)" % " ".join(sets))
cstatus, cout, cerr = run(["check", cfg, "--set", "dedup.bands=16", "--set", "dedup.rows=8"])
eq(cstatus, 0, "check accepts 16 bands of 8 rows, the most that fit")

# ---- the index follows the output --------------------------------------------
corpus = os.path.join(d, "c.jsonl.gz")
subprocess.run([sys.executable, os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py"), "--docs", "3000",
                "--seed", "5", "--out", corpus], check=True)
fresh = os.path.join(d, "fresh")
os.mkdir(fresh)
fcfg = config(fresh, '{ use = "dedup"; index = "c.idx"; paragraphs = true; }', name="f.cfg")
clean_out = os.path.join(fresh, "clean.jsonl")
status, out, err = run(["run", fcfg, corpus, "-o", clean_out, "-q"])
eq(status, 0, "a clean first run")
clean = open(clean_out).read()
os.rename(os.path.join(fresh, "c.idx"), os.path.join(fresh, "clean.idx"))

status, out, err = run(["run", fcfg, corpus, "-o", "/dev/full", "-q"])
eq(status, 3, "output on a full disk: exit 3")
ok(not os.path.exists(os.path.join(fresh, "c.idx")), "and no index is saved")
retry_out = os.path.join(fresh, "retry.jsonl")
status, out, err = run(["run", fcfg, corpus, "-o", retry_out, "-q"])
eq(status, 0, "the retry on a good disk")
ok(open(retry_out).read() == clean, "gives what the clean first run gave")
before = open(os.path.join(fresh, "c.idx"), "rb").read()
status, out, err = run(["run", fcfg, corpus, "-o", "/dev/full", "-q"])
ok(status == 3 and open(os.path.join(fresh, "c.idx"), "rb").read() == before,
   "a failed run leaves an existing index as it was")

big = os.path.join(d, "big.jsonl.gz")
subprocess.run([sys.executable, os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py"), "--docs", "40000",
                "--seed", "6", "--out", big], check=True)
for sig, name in ((signal.SIGKILL, "SIGKILL"), (signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")):
    p = subprocess.Popen([GALLEY, "run", fcfg, big, "-o", os.path.join(fresh, "cut.jsonl"), "-q", "-j", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.7)
    running = p.poll() is None
    p.send_signal(sig)
    p.communicate(timeout=60)
    ok(running and open(os.path.join(fresh, "c.idx"), "rb").read() == before,
       "a run stopped by %s leaves the index as it was" % name)
done()
