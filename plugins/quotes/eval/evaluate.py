#!/usr/bin/env python3
"""Evaluates the quotes stage on the gold set: per kind, precision and
recall (a predicted quote matches a gold one of the same kind when it
overlaps at least half of the gold span), and speaker accuracy on matched
quotes; for the dev and held-out parts. A quote in pieces (“X,” he said,
“Y.”, or a quote over paragraphs) is one element of the layer with its
`pieces`; each piece is matched on its own here, as the gold marks each
one.

    evaluate.py [--galley PATH] [--gold FILE] [--no-entities] [--json]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = re.compile(r"\{\{([a-z]+)\|([^|}]*)\|([^}]*)\}\}")
KINDS = ["direct", "partial", "indirect", "scare"]


def parse(path):
    docs, cur, lines = [], None, []
    for line in open(path, encoding="utf-8"):
        if line.startswith("# "):
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
            text.append(m.group(3))
            spans.append((start, start + len(m.group(3)), m.group(1),
                          None if m.group(2) == "-" else m.group(2)))
            pos = m.end()
        text.append(marked[pos:])
        out.append((doc_id, "".join(text), spans))
    return out


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--galley", default=os.environ.get("GALLEY", "galley"))
    ap.add_argument("--gold", default=os.path.join(HERE, "..", "gold", "quotes-gold.txt"))
    ap.add_argument("--no-entities", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    docs = parse(args.gold)
    stages = '{ use = "quotes"; }' if args.no_entities else '{ use = "entities"; }, { use = "quotes"; }'
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for doc_id, text, _ in docs:
                f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        cfg = os.path.join(d, "q.cfg")
        with open(cfg, "w") as f:
            f.write('threads = 1;\nstages = ( %s );\n' % stages)
        p = subprocess.run([args.galley, "run", cfg, inp, "-q"], capture_output=True, text=True)
    out = {json.loads(l)["id"]: json.loads(l) for l in p.stdout.splitlines()}
    result = {}
    for part in ("dev", "heldout", "all"):
        stats = {k: {"gold": 0, "predicted": 0, "matched_gold": 0, "matched_pred": 0} for k in KINDS}
        spk_ok = spk_n = 0
        for doc_id, text, spans in docs:
            if part != "all" and not doc_id.startswith(part):
                continue
            pred = []
            for q in out.get(doc_id, {}).get("quotes", []):
                for p in q.get("pieces") or [{"start": q["start"], "end": q["end"]}]:
                    pred.append(dict(q, start=p["start"], end=p["end"]))
            for q in pred:
                stats.setdefault(q["kind"], {"gold": 0, "predicted": 0, "matched_gold": 0, "matched_pred": 0})
                stats[q["kind"]]["predicted"] += 1
            used = set()
            for s, e, kind, spk in spans:
                stats[kind]["gold"] += 1
                for i, q in enumerate(pred):
                    if i in used or q["kind"] != kind:
                        continue
                    if overlap((s, e), (q["start"], q["end"])) * 2 >= e - s:
                        used.add(i)
                        stats[kind]["matched_gold"] += 1
                        stats[kind]["matched_pred"] += 1
                        if kind != "scare":
                            spk_n += 1
                            spk_ok += q["speaker"] == spk
                        break
        res = {}
        for k, v in stats.items():
            res[k] = {"gold": v["gold"], "predicted": v["predicted"],
                      "precision": round(v["matched_pred"] / v["predicted"], 4) if v["predicted"] else 1.0,
                      "recall": round(v["matched_gold"] / v["gold"], 4) if v["gold"] else 1.0}
        res["speaker_accuracy"] = round(spk_ok / spk_n, 4) if spk_n else None
        res["documents"] = sum(1 for i, _, _ in docs if part == "all" or i.startswith(part))
        result[part] = res
    if args.json:
        print(json.dumps(result))
        return 0
    for part, res in result.items():
        print("== %s (%d documents)" % (part, res["documents"]))
        for k in KINDS:
            x = res[k]
            print("  %-9s gold %4d  pred %4d  P %.3f  R %.3f" % (k, x["gold"], x["predicted"], x["precision"], x["recall"]))
        print("  speaker accuracy on matched quotes: %s" % res["speaker_accuracy"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
