#!/usr/bin/env python3
"""galley benchmark harness: `make bench`.

Generates a deterministic synthetic news corpus (bench/gen-corpus.py), then
runs galley over it and prints documents/s, MB/s of article text and peak
RSS for: the passthrough pipeline, each built-in stage alone, and the full
news pipeline, each with 1 thread and with all cores, beside `zcat FILE >
/dev/null` measured in the same run as the floor.

Then each stage's own speed on one core, from stage-bench (in process,
only the stage's callbacks timed; see stage-bench.c), against its target.

    bench.py [--docs N] [--galley PATH] [--work DIR] [--only NAME,...]
             [--stage-bench PATH]
    bench.py --memory      # peak RSS of passthrough at two input sizes

Wall time is the best of --repeat runs; peak RSS is the child's maxrss.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

# Each stage's own speed target, MB/s of text per core; for an ordered
# stage the target is for `prepare` (its signatures, in the workers).
STAGE_TARGETS = [
    ("tokenize", None, ""),
    ("normalize", 150, "total"),
    ("entities", 30, "total"),
    ("quotes", 50, "total"),
    ("dedup", 50, "prepare"),
]

PIPELINES = [
    ("passthrough", ""),
    ("normalize", '{ use = "normalize"; }'),
    ("entities", '{ use = "entities"; }'),
    ("quotes", '{ use = "quotes"; }'),
    ("dedup", '{ use = "dedup"; }'),
    ("news", '{ use = "normalize"; }, { use = "entities"; }, { use = "quotes"; }, { use = "dedup"; }'),
]


def run_measured(cmd, stdout=subprocess.DEVNULL, env=None):
    """Runs cmd; returns (seconds, peak RSS in MB, exit status)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.monotonic() - t0
    return secs, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def corpus(work, docs, seed=7):
    path = os.path.join(work, "corpus-%d.jsonl.gz" % docs)
    if not os.path.exists(path):
        gen = os.path.join(HERE, "gen-corpus.py")
        subprocess.run([sys.executable, gen, "--docs", str(docs), "--seed", str(seed),
                        "--out", path], check=True, stdout=subprocess.DEVNULL)
    return path


def text_megabytes(path, galley, work):
    """MB of article text, from galley's own account (--stats)."""
    stats = os.path.join(work, "stats.json")
    cfg = write_config(work, "passthrough", "")
    subprocess.run([galley, "run", cfg, path, "-q", "--stats", stats],
                   stdout=subprocess.DEVNULL, check=False)
    with open(stats) as f:
        s = json.load(f)
    return s["text_bytes"] / 1e6, s["read"]


def write_config(work, name, stages):
    path = os.path.join(work, "bench-%s.cfg" % name)
    with open(path, "w") as f:
        f.write('name = "bench-%s";\nstages = ( %s );\n' % (name, stages))
    return path


def best_of(n, cmd):
    runs = [run_measured(cmd) for _ in range(n)]
    secs = min(r[0] for r in runs)
    rss = max(r[1] for r in runs)
    return secs, rss, runs[-1][2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=40000)
    ap.add_argument("--galley", default=os.path.join(TOP, "core", "galley"))
    ap.add_argument("--work", default=os.path.join(os.getcwd(), "bench-work"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", default="")
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--stage-bench", default="")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    galley = args.galley
    cores = os.cpu_count() or 1

    if args.memory:
        cfg = write_config(args.work, "passthrough", "")
        print("%-28s %10s %10s %10s" % ("input", "text MB", "seconds", "peak MB"))
        for docs in (args.docs, args.docs * 4):
            path = corpus(args.work, docs)
            mb, _ = text_megabytes(path, galley, args.work)
            secs, rss, _ = run_measured([galley, "run", cfg, path, "-q", "-j", "0"])
            print("%-28s %10.0f %10.2f %10.1f" % (os.path.basename(path), mb, secs, rss))
        return 0

    path = corpus(args.work, args.docs)
    mb, ndocs = text_megabytes(path, galley, args.work)
    print("corpus: %s, %d documents, %.1f MB of text, %.1f MB compressed, %d cores"
          % (os.path.basename(path), ndocs, mb, os.path.getsize(path) / 1e6, cores))
    zsecs = min(run_measured(["zcat", path])[0] for _ in range(args.repeat))
    print("floor: zcat %s > /dev/null: %.2f s" % (os.path.basename(path), zsecs))
    print()
    print("%-12s %7s %9s %10s %9s %9s" % ("pipeline", "threads", "seconds", "docs/s", "MB/s", "peak MB"))
    only = set(x for x in args.only.split(",") if x)
    results = {}
    for name, stages in PIPELINES:
        if only and name not in only:
            continue
        cfg = write_config(args.work, name, stages)
        for threads in (1, 0):
            secs, rss, status = best_of(args.repeat, [galley, "run", cfg, path, "-q", "-j", str(threads)])
            if status not in (0, 1):
                print("%-12s %7s   failed (exit %d)" % (name, threads or cores, status))
                continue
            results[(name, threads)] = secs
            print("%-12s %7d %9.2f %10.0f %9.1f %9.1f" % (name, threads or cores, secs,
                                                        ndocs / secs, mb / secs, rss))
    print()
    if ("passthrough", 0) in results:
        print("passthrough, all cores, vs zcat floor: %.2f of zcat's rate (target >= 0.5)"
              % (zsecs / results[("passthrough", 0)]))
    for name in ("news", "entities", "quotes"):
        if (name, 1) in results and (name, 0) in results:
            print("%s: all cores vs 1 thread: %.2fx (target >= 1.7 on 2 cores)"
                  % (name, results[(name, 1)] / results[(name, 0)]))
    if args.stage_bench:
        stage_speeds(args, path, only)
    return 0


def stage_speeds(args, path, only):
    """Each stage alone, in process, one core: stage-bench's figures."""
    print()
    print("each stage's own speed, one core (stage-bench, best of %d):" % args.repeat)
    for name, target, part in STAGE_TARGETS:
        if only and name not in only and name != "tokenize":
            continue
        out = subprocess.run([args.stage_bench, path, name, "-r", str(args.repeat)],
                             capture_output=True, text=True)
        line = (out.stdout or out.stderr).strip()
        print(line)
        if target and out.returncode == 0:
            fields = line.split()
            mb = float(fields[fields.index("MB") - 1])
            key = "prepare" if part == "prepare" else "total"
            secs = float(fields[fields.index(key) + 1])
            rate = mb / secs
            print("    %s %s: %.1f MB/s (target >= %d): %s"
                  % (name, part, rate, target, "met" if rate >= target else "NOT MET"))


if __name__ == "__main__":
    sys.exit(main())
