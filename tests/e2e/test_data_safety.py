"""No run destroys or loses the user's data (issue 13): an output that is an
input is refused before anything is read, outputs get their final names only
when complete, the first output error stops the run and the account says what
really reached the output, SIGINT and SIGTERM leave no final-named partial
file, missing inputs are usage errors."""
import gzip
import json
import os
import signal
import subprocess
import time
from galleytest import ok, eq, skip, done, run, tmpdir, write, config, GALLEY

d = tmpdir()
lines = "".join(json.dumps({"id": "d%d" % i, "text": "Article number %d about the port of Riga." % i}) + "\n"
                for i in range(50))
inp = write(d, "in/a.jsonl", lines)
cfg = config(d, "")

# 1. The output inside an input folder: refused, nothing read or written.
status, out, err = run(["run", cfg, os.path.join(d, "in"), "-o", os.path.join(d, "in", "out.jsonl")])
eq(status, 2, "output under an input folder: exit 2")
ok("lies in an input folder" in err, "output under an input folder: says why", err)
ok(not os.path.exists(os.path.join(d, "in", "out.jsonl")), "output under an input folder: nothing written")
status, out, err = run(["run", cfg, os.path.join(d, "in"), "-o", os.path.join(d, "in", "sub", "x", "o.jsonl")])
eq(status, 2, "output deeper under an input folder: exit 2")
status, out, err = run(["run", cfg, inp, "--stats", os.path.join(d, "in", "st.json")])
ok(status == 0, "--stats beside an input file (not under an input folder) is fine", err)

# 2. The output is the input: refused, the input untouched.
status, out, err = run(["run", cfg, inp, "-o", inp])
eq(status, 2, "output = input: exit 2")
ok("is one of the inputs" in err, "output = input: says why", err)
eq(open(inp).read(), lines, "output = input: the input is untouched")
os.symlink(inp, os.path.join(d, "link.jsonl"))
status, out, err = run(["run", cfg, inp, "-o", os.path.join(d, "link.jsonl")])
eq(status, 2, "output = input through a link: exit 2")

# 3. A full disk: exit 3 at the first error, the account says nothing was written.
stats = os.path.join(d, "full.json")
status, out, err = run(["run", cfg, inp, "-o", "/dev/full", "--stats", stats])
eq(status, 3, "a full disk: exit 3")
ok("No space left on device" in err, "a full disk: says so", err)
st = json.load(open(stats))
eq(st["written"], 0, "a full disk: the account writes 0")
eq(st["not_written"], 50, "a full disk: every document counted as not written")
eq(st["not_written_reason"], "output_failed", "a full disk: why")
eq(st["read"], st["written"] + st["dropped"] + st["rejected"] + st["not_written"], "the account balances")

# Outputs appear only complete, and temporary files are hidden and removed.
out_path = os.path.join(d, "done.jsonl.gz")
status, out, err = run(["run", cfg, inp, "-o", out_path, "--rejects", os.path.join(d, "rej.jsonl")])
eq(status, 0, "a good run: exit 0")
eq(len(gzip.open(out_path, "rt").read().splitlines()), 50, "a good run: the whole output under its name")
eq(sorted(f for f in os.listdir(d) if f.startswith(".")), [], "no temporary file is left")
stale = os.path.join(d, ".done.jsonl.gz.galley-tmp-999999999")
write(d, ".done.jsonl.gz.galley-tmp-999999999", "left by a killed run")
run(["run", cfg, inp, "-o", out_path])
ok(not os.path.exists(stale), "a killed run's temporary file is removed by the next run")

# 5. SIGINT and SIGTERM: no final-named output, the account says interrupted.
# The input comes from a pipe this test holds open, so the signal always
# arrives mid-run (galley has read part of it and waits for more).
chunk = "".join(json.dumps({"id": "b%d" % i, "text": "Word " * 60}) + "\n" for i in range(3000)).encode()
slow = config(d, '{ use = "normalize"; }, { use = "entities"; }, { use = "quotes"; }', name="slow.cfg")


def interrupted_run(dest, signals, extra=()):
    """Starts galley on a pipe, feeds it, sends the signals; returns
    (exit status, stderr)."""
    p = subprocess.Popen([GALLEY, "run", slow, "-", "-o", dest, "--shard-size", "1000"] + list(extra),
                         stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdin.write(chunk)
    p.stdin.flush()
    time.sleep(0.5)
    for sig in signals:
        p.send_signal(sig)
        time.sleep(0.05)
    try:
        _, perr = p.communicate(timeout=60)
    except BrokenPipeError:
        perr = p.stderr.read()
        p.wait()
    return p.returncode, perr


for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
    for target in ("sig.jsonl", "sig.jsonl.gz"):
        st_path = os.path.join(d, "sig-stats.json")
        status, perr = interrupted_run(os.path.join(d, target), [sig], ["--stats", st_path])
        eq(status, code, "%s during -o %s: exit %d" % (sig.name, target, code))
        left = [f for f in os.listdir(d) if f.startswith("sig") and "stats" not in f]
        eq(left, [], "%s during -o %s: no output file, numbered or not, is left" % (sig.name, target))
        ok(b"interrupted" in perr, "%s: the account says interrupted" % sig.name, perr[-300:])
        st = json.load(open(st_path))
        ok(st["interrupted"] and st["written"] == 0 and st["not_written"] == st["read"] > 0,
           "%s: --stats says interrupted, 0 written, the rest not written" % sig.name, st)
status, perr = interrupted_run(os.path.join(d, "twice.jsonl"), [signal.SIGINT, signal.SIGINT])
eq(status, 130, "a second SIGINT exits at once with 130")
eq([f for f in os.listdir(d) if "twice" in f], [], "a second SIGINT leaves no file either")

# Missing inputs and URLs are usage errors found before the run (issue 14, item 8).
status, out, err = run(["run", cfg, inp, os.path.join(d, "nope.jsonl")])
eq(status, 2, "a missing input: exit 2")
ok("nope.jsonl: no such input file or folder" in err and "read " not in err,
   "a missing input: said before any reading", err)
status, out, err = run(["run", cfg, "https://example.org/news.jsonl.gz"])
eq(status, 2, "a URL: exit 2")
ok("URLs are not supported" in err and "download the file first" in err, "a URL: says what to do", err)

# A folder that cannot be written: exit 2 at the start, for -o and --stats alike.
ro = os.path.join(d, "ro")
os.mkdir(ro)
os.chmod(ro, 0o500)
if os.geteuid() != 0:
    for flag in ("-o", "--stats"):
        status, out, err = run(["run", cfg, inp, flag, os.path.join(ro, "x.json")])
        eq(status, 2, "%s into a read-only folder: exit 2 before the run" % flag)
else:
    for flag in ("-o", "--stats"):
        skip("%s into a read-only folder: exit 2 before the run" % flag, "running as root, who may write anywhere")
done()
