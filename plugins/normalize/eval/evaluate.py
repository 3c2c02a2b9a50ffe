#!/usr/bin/env python3
"""Evaluates the normalize stage on the gold set: line-level precision and
recall of boilerplate removal, and body lines lost or left damaged.

    evaluate.py [--galley PATH] [--gold FILE] [--json]

Runs `galley run` with keep_removed = true and compares, per document, the
removed lines with the gold boilerplate and the output text with the gold
body lines (which are written as they must read after repair)."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def squeeze(s):
    return " ".join(s.split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--galley", default=os.environ.get("GALLEY", "galley"))
    ap.add_argument("--gold", default=os.path.join(HERE, "..", "gold", "normalize-gold.jsonl"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    gold = {}
    with open(args.gold, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            gold[r["id"]] = r
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "eval.cfg")
        with open(cfg, "w") as f:
            f.write('threads = 1;\ninput = { format = "jsonl"; };\n'
                    'stages = ( { use = "normalize"; keep_removed = true; } );\n')
        p = subprocess.run([args.galley, "run", cfg, args.gold, "-q"], capture_output=True, text=True)
    out = {}
    for line in p.stdout.splitlines():
        doc = json.loads(line)
        out[doc["id"]] = doc
    tp = fp = fn = 0
    lost = damaged = 0
    problems = []
    for gid, g in gold.items():
        doc = out.get(gid)
        if doc is None:
            fn += len(g["boilerplate"])
            lost += len(g["body"])
            problems.append("%s: missing from the output" % gid)
            continue
        removed = [squeeze(r["line"]) for r in doc["metadata"].get("removed_lines", [])]
        want = [squeeze(b) for b in g["boilerplate"]]
        for r in removed:
            if r in want:
                tp += 1
                want.remove(r)
            else:
                fp += 1
                problems.append("%s: removed body line %r" % (gid, r))
        fn += len(want)
        for w in want:
            problems.append("%s: kept boilerplate %r" % (gid, w))
        lines = [squeeze(l) for l in doc["text"].split("\n")]
        for b in g["body"]:
            if squeeze(b) in lines:
                continue
            if any(squeeze(b) in r for r in removed):
                lost += 1
                problems.append("%s: lost %r" % (gid, b))
            else:
                damaged += 1
                problems.append("%s: body line not repaired: %r" % (gid, b))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    result = {"documents": len(gold), "boilerplate_lines": tp + fn, "precision": round(precision, 4),
              "recall": round(recall, 4), "body_lines": sum(len(g["body"]) for g in gold.values()),
              "body_lines_lost": lost, "body_lines_not_repaired": damaged}
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print("%-24s %s" % (k, v))
        for pr in problems[:30]:
            print("  " + pr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
