#!/usr/bin/env python3
"""galley benchmark harness: `make bench`.

Generates a deterministic synthetic news corpus (bench/gen-corpus.py), then
runs galley over it and prints documents/s, MB/s of article text, peak RSS,
CPU seconds and the main thread's share of them for: the passthrough
pipeline, each built-in stage alone, and the full news pipeline, each with
1 thread and with all cores, beside `zcat` and ISA-L's `igzip -dc` (the
floors) and Python's json.loads + json.dumps over the same lines (the CPU
baseline), all measured in the same run; then the ratios the targets are
stated in (passthrough vs zcat, CPU vs Python, speed-up on all cores, the
serial fraction and what it allows on 16 and 64 cores).

Then each stage's own speed on one core, from stage-bench (in process,
only the stage's callbacks timed; see stage-bench.c), against its target,
and each stage on one article of 1, 4 and 16 MB (linear time: the growth
ratio of seconds per MB stays near 1). Every figure is also printed as a
machine-readable line "BENCH NAME VALUE UNIT".

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
    ("entities", 10, "total"),
    ("quotes", 20, "total"),
    ("dedup", 50, "prepare"),
]

PIPELINES = [
    ("passthrough", ""),
    ("normalize", '{ use = "normalize"; }'),
    ("entities", '{ use = "entities"; }'),
    ("quotes", '{ use = "entities"; }, { use = "quotes"; }'),   # quotes needs the entities layer
    ("dedup", '{ use = "dedup"; }'),
    ("news", '{ use = "normalize"; }, { use = "entities"; }, { use = "quotes"; }, { use = "dedup"; }'),
]


def run_measured(cmd, stdout=subprocess.DEVNULL, env=None, cpu=None):
    """Runs cmd; returns (seconds, peak RSS in MB, exit status). With a
    list `cpu`, appends the child's user + system CPU seconds to it."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.monotonic() - t0
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    return secs, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def figure(name, value, unit):
    """One machine-readable line per figure: BENCH name value unit."""
    print("BENCH %s %.4g %s" % (name, value, unit))


# What Python's json costs per line of the corpus: the baseline the
# passthrough's CPU is compared with (json.loads + json.dumps).
PY_JSON = r"""
import gzip, json, sys
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f, open(sys.argv[2], "w") as out:
    for line in f:
        out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
"""


def big_article(work, path, megabytes):
    """One article of about `megabytes` MB, the corpus's texts run
    together, as a one-line JSONL file (for the growth check)."""
    dest = os.path.join(work, "article-%dmb.jsonl" % megabytes)
    if os.path.exists(dest):
        return dest
    import gzip
    want = megabytes * 1000 * 1000
    parts, have = [], 0
    while have < want:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)["text"]
                parts.append(t)
                have += len(t.encode()) + 2
                if have >= want:
                    break
    with open(dest, "w") as f:
        f.write(json.dumps({"id": "big-%d" % megabytes, "text": "\n\n".join(parts)}) + "\n")
    return dest


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
    floors = {}
    for tool in ("zcat", "igzip -dc"):
        cmd = tool.split() + [path]
        try:
            floors[tool] = min(run_measured(cmd)[0] for _ in range(args.repeat))
        except FileNotFoundError:
            print("floor: %s not installed (apt-get install %s)" % (tool, "isal" if "igzip" in tool else "gzip"))
            continue
        print("floor: %s %s > /dev/null: %.2f s" % (tool, os.path.basename(path), floors[tool]))
        figure(tool.split()[0] + ".seconds", floors[tool], "s")
    zsecs = floors.get("zcat")
    py_cpu = []
    _, _, status = run_measured([sys.executable, "-c", PY_JSON, path, os.devnull], cpu=py_cpu)
    if status != 0:
        sys.exit("bench: the Python json baseline failed (exit %d)" % status)
    print("baseline: Python json.loads + json.dumps of every line: %.2f s CPU, %.3f s per MB of text"
          % (py_cpu[0], py_cpu[0] / mb))
    figure("python_json.cpu_seconds_per_mb", py_cpu[0] / mb, "s/MB")
    print()
    print("%-12s %7s %9s %10s %9s %9s %9s %9s" % ("pipeline", "threads", "seconds", "docs/s", "MB/s",
                                                "peak MB", "CPU s", "main CPU"))
    only = set(x for x in args.only.split(",") if x)
    results, cpus, mains = {}, {}, {}
    stats = os.path.join(args.work, "run-stats.json")
    for name, stages in PIPELINES:
        if only and name not in only:
            continue
        cfg = write_config(args.work, name, stages)
        for threads in (1, 0):
            cmd = [galley, "run", cfg, path, "-q", "-j", str(threads), "--stats", stats]
            runs = []
            for _ in range(args.repeat):
                secs, rss, status = run_measured(cmd)
                with open(stats) as f:
                    st = json.load(f)
                runs.append((secs, rss, status, st["cpu_seconds"], st["main_thread_cpu_seconds"]))
            secs, rss, status, cpu, main_cpu = min(runs)
            if status not in (0, 1):
                print("%-12s %7s   failed (exit %d)" % (name, threads or cores, status))
                continue
            results[(name, threads)], cpus[(name, threads)], mains[(name, threads)] = secs, cpu, main_cpu
            print("%-12s %7d %9.2f %10.0f %9.1f %9.1f %9.2f %8.1f%%"
                  % (name, threads or cores, secs, ndocs / secs, mb / secs, rss, cpu,
                     100 * main_cpu / cpu if cpu else 0))
            figure("%s.threads_%d.mb_per_second" % (name, threads or cores), mb / secs, "MB/s")
            figure("%s.threads_%d.main_thread_cpu_share" % (name, threads or cores),
                   main_cpu / cpu if cpu else 0, "fraction")
    print()
    if ("passthrough", 0) in results:
        if zsecs:
            ratio = zsecs / results[("passthrough", 0)]
            print("passthrough, all cores, vs zcat: %.2fx zcat's rate (target >= 1.5)" % ratio)
            figure("passthrough.vs_zcat", ratio, "x")
        per_mb = cpus[("passthrough", 0)] / mb
        print("passthrough CPU per MB: %.3f s, %.2f of Python json's (target < 0.5)"
              % (per_mb, per_mb / (py_cpu[0] / mb)))
        figure("passthrough.cpu_vs_python_json", per_mb / (py_cpu[0] / mb), "fraction")
    for name in ("news", "entities", "quotes"):
        if (name, 1) in results and (name, 0) in results:
            speedup = results[(name, 1)] / results[(name, 0)]
            print("%s: all cores vs 1 thread: %.2fx (target >= 1.85 on 2 cores)" % (name, speedup))
            figure("%s.speedup_all_cores" % name, speedup, "x")
    if ("news", 1) in results:
        # Amdahl: the main thread's CPU is the part that does not spread.
        serial = mains[("news", 1)] / cpus[("news", 1)]
        print("news: serial fraction (main thread's CPU at one thread) %.1f%% (target < 3%%): "
              "at most %.1fx on 16 cores, %.1fx on 64"
              % (100 * serial, 1 / (serial + (1 - serial) / 16), 1 / (serial + (1 - serial) / 64)))
        figure("news.serial_fraction", serial, "fraction")
    if args.stage_bench:
        stage_speeds(args, path, only)
        stage_growth(args, path, only)
    return 0


def stage_growth(args, path, only):
    """Each stage on one article of 1, 4 and 16 MB: seconds per MB should
    stay flat (linear time); the growth ratio is (s/MB at 16) / (s/MB at 1)."""
    print()
    print("each stage on one big article (stage-bench): seconds, and s/MB at 16 MB over 1 MB:")
    sizes = (1, 4, 16)
    articles = [big_article(args.work, path, m) for m in sizes]
    for name, _, _ in STAGE_TARGETS:
        if only and name not in only:
            continue
        secs = []
        for art in articles:
            out = subprocess.run([args.stage_bench, art, name, "-r", "1"], capture_output=True, text=True)
            fields = out.stdout.split()
            if out.returncode != 0 or "total" not in fields:
                secs = None
                break
            secs.append(float(fields[fields.index("total") + 1]))
        if not secs:
            print("    %-10s failed" % name)
            continue
        growth = (secs[2] / sizes[2]) / (secs[0] / sizes[0]) if secs[0] > 0 else 0
        print("    %-10s %s  growth %.2f (1.0 is linear)"
              % (name, "  ".join("%d MB %.3f s" % (m, t) for m, t in zip(sizes, secs)), growth))
        figure("%s.growth_16mb_over_1mb" % name, growth, "ratio")


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
