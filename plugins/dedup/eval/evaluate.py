#!/usr/bin/env python3
"""Evaluates the dedup stage on a generated corpus with known copies
(bench/gen-corpus.py): pairwise precision and recall, and the curve of
recall against the true Jaccard similarity of word 5-gram shingles.

    evaluate.py [--galley PATH] [--docs N] [--seed S] [--threshold T] [--short] [--json]

The truth groups the documents into clusters: an original and the copies
made of it. A predicted pair (document, of) is right when both are in one
cluster (a copy marked as a duplicate of an earlier copy of the same
original is right). Recall is over the copies whose true Jaccard with
their original is at least 0.85 (the issue's target). The curve is the
recall of the copy -> original relation itself, per bucket of its true
Jaccard (a copy marked as a duplicate of another copy does not count
there). The true Jaccard of every predicted pair is also measured from
the two texts: pairs below threshold - 0.05, and below 0.5, are counted.
--short makes articles of one or two short paragraphs (fewer shingles
than MinHash bins: the hard case for one-permutation MinHash).
"""
import argparse
import gzip
import json
import re
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
WORD = re.compile(r"\w+(?:['’-]\w+)*")   # as bench/gen-corpus.py
BUCKETS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 0.95), (0.95, 1.01)]


def shingles(text, k=5):
    w = [x.lower() for x in WORD.findall(text)]
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a, b):
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--galley", default=os.environ.get("GALLEY", "galley"))
    ap.add_argument("--top", default=os.environ.get("TOP_SRCDIR", TOP))
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--near-share", type=float, default=0.25)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        corpus, truth_path = os.path.join(d, "c.jsonl.gz"), os.path.join(d, "truth.jsonl")
        subprocess.run([sys.executable, os.path.join(args.top, "bench", "gen-corpus.py"),
                        "--docs", str(args.docs), "--seed", str(args.seed),
                        "--near-share", str(args.near_share), "--out", corpus,
                        "--truth", truth_path] + (["--short"] if args.short else []), check=True)
        cfg = os.path.join(d, "d.cfg")
        with open(cfg, "w") as f:
            f.write('stages = ( { use = "dedup"; threshold = %s; } );\n' % args.threshold)
        p = subprocess.run([args.galley, "run", cfg, corpus, "-q", "--set", "output.text=false"],
                           capture_output=True, text=True)
        truth = {}
        with open(truth_path) as f:
            for line in f:
                t = json.loads(line)
                truth[t["id"]] = t
        with gzip.open(corpus, "rt", encoding="utf-8") as f:
            texts = {r["id"]: r["text"] for r in map(json.loads, f)}
    pred = {}
    for line in p.stdout.splitlines():
        doc = json.loads(line)
        dup = doc["metadata"].get("duplicate")
        if dup:
            pred[doc["id"]] = dup
    def root(i):
        return truth[i]["of"] if i in truth else i

    def same(i, of):
        return root(i) == root(of)

    tp = sum(1 for i, dp in pred.items() if same(i, dp["of"]))
    fp = len(pred) - tp
    exact_truth = [i for i, t in truth.items() if t["kind"] == "exact"]
    exact_found = sum(1 for i in exact_truth if i in pred and same(i, pred[i]["of"]))
    target = [i for i, t in truth.items() if t["jaccard"] is not None and t["jaccard"] >= 0.85]
    found = sum(1 for i in target if i in pred and same(i, pred[i]["of"]))
    curve = []
    for lo, hi in BUCKETS:
        ids = [i for i, t in truth.items() if t["jaccard"] is not None and lo <= t["jaccard"] < hi]
        hit = sum(1 for i in ids if i in pred and pred[i]["of"] == truth[i]["of"])
        curve.append({"jaccard": "%.2f-%.2f" % (lo, min(hi, 1.0)), "copies": len(ids),
                      "found": hit, "recall": round(hit / len(ids), 4) if ids else None})
    pair_j = [jaccard(texts[i], texts[dp["of"]]) for i, dp in pred.items()]
    below = sum(1 for j in pair_j if j < args.threshold - 0.05)
    below_half = sum(1 for j in pair_j if j < 0.5)
    res = {"documents": args.docs, "predicted": len(pred), "precision": round(tp / len(pred), 4) if pred else 1.0,
           "false_pairs": fp, "exact_recall": round(exact_found / len(exact_truth), 4) if exact_truth else 1.0,
           "recall_at_0.85": round(found / len(target), 4) if target else 1.0, "copies_at_0.85": len(target),
           "flagged_below_threshold_minus_0.05": below, "flagged_below_0.5": below_half,
           "curve": curve}
    if args.json:
        print(json.dumps(res))
        return 0
    for k, v in res.items():
        if k != "curve":
            print("%-36s %s" % (k, v))
    print("recall by true Jaccard:")
    for c in curve:
        print("  %-10s copies %5d  found %5d  recall %s" % (c["jaccard"], c["copies"], c["found"], c["recall"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
