#!/usr/bin/env python3
"""bench-overhead.py CORPUS.jsonl.gz [--config news.cfg] [--threads N] [--repeat R]

What Python costs on top of the pipeline: the same corpus through
`galley run` (output to /dev/null) and through galley.Pipeline.pipe()
(reading the gzip lines in Python, at three levels of use: documents only;
with their entities and quotes as Spans; with each entity's type and each
quote's speaker read), in turns, R times. Prints wall and
CPU seconds of each, per document, and Python's overhead as a share of
the command's time. Speed is measured here, never asserted in tests.

    GALLEY_BUILD_DIR=. PYTHONPATH=python python3 python/bench-overhead.py \\
        bench/work/corpus-40000.jsonl.gz
"""
import argparse
import gzip
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import galley  # noqa: E402


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_command(galley_cmd, config, corpus, threads):
    c0, t0 = cpu_children(), time.monotonic()
    subprocess.run([galley_cmd, "run", config, corpus, "-q", "-j", str(threads), "-o", "/dev/null"],
                   check=True)
    return time.monotonic() - t0, cpu_children() - c0


def consume(docs, level):
    """What the caller does with each document: 1, takes it (id, text);
    2, also gets its entities and quotes as Spans; 3, also reads each
    entity's type and each quote's speaker."""
    n = 0
    for doc in docs:
        n += 1
        if level >= 2:
            entities, quotes = doc.entities, doc.quotes
            if level >= 3:
                for e in entities:
                    e.start, e.end, e.type
                for q in quotes:
                    q.start, q.end, q.speaker
    return n


def time_python(p, corpus, threads, level):
    c0, t0 = cpu_self(), time.monotonic()
    with gzip.open(corpus, "rb") as f:
        n = consume(p.pipe(f, threads=threads), level)
    return time.monotonic() - t0, cpu_self() - c0, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--config", default=os.path.join(TOP, "pipelines", "news.cfg"))
    ap.add_argument("--galley", default=os.path.join(os.path.abspath(os.environ.get("GALLEY_BUILD_DIR", TOP)),
                                                     "core", "galley"))
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    threads = a.threads or os.cpu_count()
    p = galley.Pipeline(a.config)
    levels = {1: "documents", 2: "+ spans", 3: "+ fields read"}
    cmd, py = [], {k: [] for k in levels}
    for _ in range(a.repeat):
        cmd.append(time_command(a.galley, a.config, a.corpus, threads))
        for k in levels:
            py[k].append(time_python(p, a.corpus, threads, k))
    n = py[1][0][2]
    cw, cc = min(x[0] for x in cmd), min(x[1] for x in cmd)
    print("corpus %s: %d documents; %d threads; best of %d; load average %.1f"
          % (os.path.basename(a.corpus), n, threads, a.repeat, os.getloadavg()[0]))
    print("%-26s %8s %8s %10s %10s %9s" % ("", "wall s", "CPU s", "CPU us/doc", "+us/doc", "overhead"))
    print("%-26s %8.2f %8.2f %10.1f" % ("galley run", cw, cc, cc / n * 1e6))
    for k, name in levels.items():
        pw, pc = min(x[0] for x in py[k]), min(x[1] for x in py[k])
        print("%-26s %8.2f %8.2f %10.1f %10.1f %8.1f%%" % ("pipe(): " + name, pw, pc, pc / n * 1e6,
                                                        (pc - cc) / n * 1e6, (pc - cc) / cc * 100))
    print("(overhead: the extra CPU time over the command's, which runs the same stages)")


if __name__ == "__main__":
    main()
