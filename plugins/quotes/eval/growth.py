#!/usr/bin/env python3
"""Time of the quotes stage on one article of 1, 4 and 16 MB, and the
growth ratio (time per MB of the largest over the smallest): 1.0 is
linear, 4 is quadratic from 1 to 16 MB... (16 for quadratic, exactly).

    growth.py --stage-bench bench/stage-bench [--sizes 1,4,16]
              [--from CORPUS.jsonl[.gz] | --polnear DIR] [--work DIR]

Each big article is the articles of the source corpus joined one after
another (blank line between), cut at a paragraph once it reaches the
size: the bench corpus by default, or PolNeAR dev texts (real news) read
in place. The articles are written to --work (never into the tree) and
timed by stage-bench (the stage's own callbacks, best of 3).
"""
import argparse
import gzip
import json
import os
import subprocess
import sys


def texts_from(args):
    if args.polnear:
        d = os.path.join(args.polnear, "dev", "text")
        for f in sorted(os.listdir(d)):
            yield open(os.path.join(d, f), encoding="utf-8").read()
        return
    opener = gzip.open if args.source.endswith(".gz") else open
    with opener(args.source, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]


def big_article(args, size):
    parts, n = [], 0
    while n < size:
        for t in texts_from(args):
            parts.append(t.strip())
            n += len(t.encode("utf-8")) + 2
            if n >= size:
                break
    return "\n\n".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage-bench", required=True)
    ap.add_argument("--sizes", default="1,4,16")
    ap.add_argument("--from", dest="source", default="bench/work/corpus-5000.jsonl.gz")
    ap.add_argument("--polnear")
    ap.add_argument("--work", default="bench/work")
    ap.add_argument("--stage", default="quotes")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rows = []
    for mb in [int(x) for x in args.sizes.split(",")]:
        path = os.path.join(args.work, "quotes-growth-%dmb.jsonl" % mb)
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "big-%d" % mb, "text": big_article(args, mb * 1000000)},
                               ensure_ascii=False) + "\n")
        p = subprocess.run([args.stage_bench, path, args.stage, "-r", "3"], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(p.stderr)
        fields = p.stdout.split()
        secs = float(fields[fields.index("total") + 1])
        text_mb = float(fields[fields.index("MB") - 1])
        rows.append((mb, text_mb, secs))
        print("%3d MB article: %7.3f s  %7.1f MB/s" % (mb, secs, text_mb / secs))
    (m0, t0mb, s0), (m1, t1mb, s1) = rows[0], rows[-1]
    print("growth ratio (s/MB at %d MB over s/MB at %d MB): %.2f" % (m1, m0, (s1 / t1mb) / (s0 / t0mb)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
