#!/usr/bin/env python3
"""Evaluates the entities stage on the gold set: precision, recall and F1
per type with exact span match, the confusion between types (same span,
other type), and canonical-form accuracy; for the dev and held-out parts.

    evaluate.py [--galley PATH] [--gold FILE] [--json]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = re.compile(r"\[\[([A-Z]+)\|([^|\]]+)(?:\|([^\]]+))?\]\]")
TYPES = ["PERSON", "ORG", "LOC", "NORP", "DATE", "MISC"]


def parse(path):
    docs, cur, lines = [], None, []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") and not line.startswith("### "):
            continue
        if line.startswith("### "):
            if cur:
                docs.append((cur, "\n".join(lines).strip("\n")))
            cur, lines = line[4:].strip(), []
        else:
            lines.append(line.rstrip("\n"))
    if cur:
        docs.append((cur, "\n".join(lines).strip("\n")))
    out = []
    for doc_id, marked in docs:
        text, spans, pos = [], [], 0
        for m in MARK.finditer(marked):
            text.append(marked[pos:m.start()])
            start = sum(len(t) for t in text)
            text.append(m.group(2))
            spans.append((start, start + len(m.group(2)), m.group(1), m.group(3) or m.group(2)))
            pos = m.end()
        text.append(marked[pos:])
        out.append((doc_id, "".join(text), spans))
    return out


def score(gold, pred):
    res = {}
    for t in TYPES + ["ALL"]:
        g = {(d, s, e) for d, s, e, ty, _ in gold if t in ("ALL", ty)}
        p = {(d, s, e) for d, s, e, ty, _ in pred if t in ("ALL", ty)}
        if t != "ALL":
            g = {(d, s, e, t) for d, s, e in g}
            p = {(d, s, e, t) for d, s, e in p}
        else:
            g = {(d, s, e, ty) for d, s, e, ty, _ in gold}
            p = {(d, s, e, ty) for d, s, e, ty, _ in pred}
        tp = len(g & p)
        prec = tp / len(p) if p else 1.0
        rec = tp / len(g) if g else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        res[t] = {"gold": len(g), "predicted": len(p), "precision": round(prec, 4),
                  "recall": round(rec, 4), "f1": round(f1, 4)}
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--galley", default=os.environ.get("GALLEY", "galley"))
    ap.add_argument("--gold", action="append",
                    help="gold files (default: the generated set and the hand-annotated one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    golds = args.gold or [os.path.join(HERE, "..", "gold", "entities-gold.txt"),
                          os.path.join(HERE, "..", "gold", "entities-hand.txt")]
    docs = [d for g in golds for d in parse(g)]
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for doc_id, text, _ in docs:
                f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        cfg = os.path.join(d, "e.cfg")
        with open(cfg, "w") as f:
            f.write('threads = 1;\nstages = ( { use = "entities"; } );\n')
        p = subprocess.run([args.galley, "run", cfg, inp, "-q"], capture_output=True, text=True)
    out = {json.loads(l)["id"]: json.loads(l) for l in p.stdout.splitlines()}
    result = {}
    for part in ("dev", "heldout", "hand", "all"):
        gold, pred = [], []
        conf = collections.Counter()
        canon_ok = canon_n = 0
        for doc_id, text, spans in docs:
            if part != "all" and not doc_id.startswith(part):
                continue
            gold += [(doc_id, s, e, t, c) for s, e, t, c in spans]
            ents = out.get(doc_id, {}).get("entities", [])
            pred += [(doc_id, x["start"], x["end"], x["type"], x["canonical"]) for x in ents]
            by_span = {(x["start"], x["end"]): x for x in ents}
            for s, e, t, c in spans:
                x = by_span.get((s, e))
                if x and x["type"] != t:
                    conf["%s->%s" % (t, x["type"])] += 1
                if x and x["type"] == t and t in ("PERSON", "ORG"):
                    canon_n += 1
                    canon_ok += x["canonical"] == c
        r = score(gold, pred)
        r["confusion"] = dict(conf.most_common())
        r["canonical_accuracy"] = round(canon_ok / canon_n, 4) if canon_n else None
        r["documents"] = len([1 for i, _, _ in docs if part == "all" or i.startswith(part)])
        result[part] = r
    if args.json:
        print(json.dumps(result))
        return 0
    for part, r in result.items():
        print("== %s (%d documents)" % (part, r["documents"]))
        for t in TYPES + ["ALL"]:
            x = r[t]
            print("  %-7s gold %4d  pred %4d  P %.3f  R %.3f  F1 %.3f" % (
                t, x["gold"], x["predicted"], x["precision"], x["recall"], x["f1"]))
        print("  confusion (gold->predicted, same span):", r["confusion"])
        print("  canonical accuracy (PERSON, ORG):", r["canonical_accuracy"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
