#!/usr/bin/env python3
"""bench-overhead.py CORPUS.jsonl.gz [--config news.cfg] [--threads N] [--repeat R]

What Python costs on top of the pipeline, in CPU time a document: the
corpus through `galley run` (output to /dev/null: the pipeline's own
time); through a session from Python with ctypes but no Python objects
(what the binding's calls add); and the binding's Python part alone, the
session's results made into Documents in one thread at three levels of
use (documents only; with their entities and quotes as Spans; with each
entity's type and each quote's speaker read). Overhead = the session's
extra + the Python part. Each is the best of R runs, in turns, so that
a busy machine disturbs them alike; --whole also times whole pipe() runs,
which a busy machine disturbs more. --instructions counts instructions
instead (valgrind's callgrind, every thread): whole `galley run` and
pipe() runs, less runs over an empty input (start-up), which no other
load on the machine changes; slow (use a small corpus). Speed is
measured here, never asserted in tests.

    GALLEY_BUILD_DIR=. PYTHONPATH=python python3 python/bench-overhead.py \\
        bench/work/corpus-40000.jsonl.gz
    GALLEY_BUILD_DIR=. PYTHONPATH=python python3 python/bench-overhead.py \\
        --instructions bench/work/corpus-2000.jsonl.gz
"""
import argparse
import gzip
import os
import re
import resource
import subprocess
import sys
import tempfile
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


def session_buffers(p, corpus, threads, keep):
    """The session alone, through ctypes, no Python objects: pushes the
    lines and pulls the results (kept as bytes when `keep`). Returns
    (wall, CPU, buffers)."""
    from ctypes import byref, c_void_p, string_at
    from galley._lib import Error, Result, lib
    c0, t0 = cpu_self(), time.monotonic()
    with gzip.open(corpus, "rb") as f:
        lines = f.read().splitlines()     # reading the input: the command does too
    err, r = Error(), Result()
    rr, out = byref(r), []
    s = lib.galley_session_start(p._h, threads, 1, byref(err))
    push, pull = lib.galley_session_push, lib.galley_session_pull

    def take():
        if keep:
            out.append((r.status, string_at(r.json, r.json_len)))
    for line in lines:
        while push(s, line, len(line), None) == 0:
            if pull(s, 1, rr) == 1:
                take()
        while pull(s, 0, rr) == 1:
            take()
    lib.galley_session_end_input(s)
    while pull(s, 1, rr) == 1:
        take()
    lib.galley_session_finish(s, byref(c_void_p()), byref(err))
    return time.monotonic() - t0, cpu_self() - c0, out


def time_conversion(p, buffers, level):
    """Python's own part alone: the documents made from the session's
    buffers, in one thread, at a level of use (see consume)."""
    from galley._doc import Document
    c0 = cpu_self()
    consume((Document(b, "kept", None, None, p.layers) for _, b in buffers), level)
    return cpu_self() - c0


def callgrind(argv, env=None):
    """The instructions a process runs, all threads (callgrind's total)."""
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True, env=env)
    return int(re.search(rb"Collected : (\d+)", p.stderr).group(1))


def count_instructions(a, threads):
    """Instructions a document: the command's, and what pipe() adds at each
    level, each less its run over an empty input."""
    # The program itself, not libtool's wrapper script (whose shell
    # callgrind would count).
    libs = os.path.join(os.path.dirname(a.galley), ".libs")
    env = dict(os.environ, LD_LIBRARY_PATH=libs)
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty.jsonl.gz")
        with gzip.open(empty, "wb"):
            pass
        with gzip.open(a.corpus, "rb") as f:
            n = sum(1 for _ in f)
        cmd = lambda c: [os.path.join(libs, "galley"), "run", a.config, c, "-q", "-j", str(threads),
                         "-o", "/dev/null"]
        py = lambda c, k: [sys.executable, os.path.abspath(__file__), "--pipe-level", str(k),
                           "--threads", str(threads), "--config", a.config, c]
        pipeline = callgrind(cmd(a.corpus), env) - callgrind(cmd(empty), env)
        start = callgrind(py(empty, 3))
        print("corpus %s: %d documents; %d threads; instructions (callgrind)"
              % (os.path.basename(a.corpus), n, threads))
        print("  galley run (the pipeline's own)    %9.0fk a document" % (pipeline / n / 1e3))
        for k, name in LEVELS.items():
            extra = callgrind(py(a.corpus, k)) - start - pipeline
            print("  pipe(): %-24s %+8.0fk a document = %5.1f%% of the pipeline's"
                  % (name, extra / n / 1e3, extra / pipeline * 100))


LEVELS = {1: "documents", 2: "+ spans", 3: "+ fields read"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--config", default=os.path.join(TOP, "pipelines", "news.cfg"))
    ap.add_argument("--galley", default=os.path.join(os.path.abspath(os.environ.get("GALLEY_BUILD_DIR", TOP)),
                                                     "core", "galley"))
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--whole", action="store_true", help="also time whole pipe() runs")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions under callgrind instead of timing")
    ap.add_argument("--pipe-level", type=int, help=argparse.SUPPRESS)  # one pipe() run
    a = ap.parse_args()
    threads = a.threads or os.cpu_count()
    if a.instructions:
        return count_instructions(a, threads)
    p = galley.Pipeline(a.config)
    if a.pipe_level:
        time_python(p, a.corpus, threads, a.pipe_level)
        return
    levels = LEVELS
    cmd, raw, conv, py = [], [], {k: [] for k in levels}, {k: [] for k in levels}
    buffers = session_buffers(p, a.corpus, threads, True)[2]
    n = len(buffers)
    for _ in range(a.repeat):
        cmd.append(time_command(a.galley, a.config, a.corpus, threads))
        raw.append(session_buffers(p, a.corpus, threads, False)[:2])
        for k in levels:
            conv[k].append(time_conversion(p, buffers, k))
        if a.whole:
            for k in levels:
                py[k].append(time_python(p, a.corpus, threads, k))
    cc = min(x[1] for x in cmd)
    rc = min(x[1] for x in raw)
    print("corpus %s: %d documents; %d threads; best of %d; load average %.1f"
          % (os.path.basename(a.corpus), n, threads, a.repeat, os.getloadavg()[0]))
    print("CPU time a document, us:")
    print("  galley run (the pipeline's own time)      %7.1f" % (cc / n * 1e6))
    print("  the session through ctypes, no objects    %7.1f  (%+.1f)" % (rc / n * 1e6, (rc - cc) / n * 1e6))
    for k, name in levels.items():
        c = min(conv[k])
        extra = (rc - cc) + c
        print("  Python objects: %-24s %7.1f  overhead %6.1f us = %5.1f%% of the pipeline's"
              % (name, c / n * 1e6, extra / n * 1e6, extra / cc * 100))
    if a.whole:
        print("Whole runs (pipe() reading the gzip file), CPU us a document and overhead:")
        for k, name in levels.items():
            pc = min(x[1] for x in py[k])
            print("  pipe(): %-16s %7.1f  %+6.1f%%" % (name, pc / n * 1e6, (pc - cc) / cc * 100))


if __name__ == "__main__":
    main()
