#!/usr/bin/env python3
"""Scores the quotes stage on PolNeAR (Newell, Margolin and Ruths 2018) the
way citron is scored on PARC 3.0, over `galley run` output.

    polnear.py [--galley PATH] [--corpus DIR] [--split dev] [--json]
               [--stages CFG-STAGES] [--errors FILE] [--keep-output FILE]
               [--direct-in-marks]

The corpus folder is ../shared/corpora/polnear from the repository root
unless given; each article of the split goes to galley as one JSONL
document with its title from metadata.tsv (the stage must know the
headline: it is never a speaker). The text is not normalized (the gold
offsets point into it as it is).

Scoring, per article, then summed:
- All attributions. A gold attribution is a Content (with Content2, all
  its discontinuous pieces) with its Cue and its Source (absent for
  Attribution-no-source). A predicted one is a `quotes` element that is
  not a scare quote or a title: its pieces (or start/end), its speaker
  mention (speaker_start/speaker_end) and its cue (cue_start/cue_end).
  Contents are matched one to one when they overlap (largest overlap
  first). Content precision, recall and F1 count the matched pairs; on
  the matched pairs, source is right when the speaker mention overlaps the
  gold source (or both are absent), cue when the cue overlaps the gold
  cue. Source and cue are accuracies over the matched pairs, as the
  issue's targets state them; their end-to-end F1 (right ones over all
  predicted and all gold) is printed too.
- Direct quotes alone. A gold content is direct when its first piece
  starts with an opening quotation mark and its last piece ends with a
  closing one (punctuation after it allowed): its words are in marks. A
  predicted one has kind "direct". With --direct-in-marks a predicted one
  is direct by the gold's test instead: kind "direct", or a partial quote
  all of whose pieces are words in marks (“an act of sabotage.”: the
  stage calls a quoted fragment partial, the annotators' content of it is
  in marks all the same). Matched one to one by
  overlap: recall and precision; speaker is right on a matched pair when
  the speaker mention overlaps the gold source.

Several annotators: 16 train and 2 dev articles were annotated by six
annotators each (one .ann file each, NAME_ANNOTATOR.ann). We score against
one of them, the annotator whose id sorts first, so that every article
counts once and the choice does not depend on the system's output.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DEFAULT_CORPUS = os.path.join(TOP, "..", "shared", "corpora", "polnear")
OPENING = "“\"‘'«„"
CLOSING = "”\"’'»"


def read_ann(path):
    """The attributions of one brat file: a list of dicts with `content`,
    `cue` and `source` (lists of (start, end) code point pieces; source
    empty for an attribution without one)."""
    spans = {}
    events = []
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2:
            continue   # the rest of a span text that held a line break
        if parts[0].startswith("T") and parts[0][1:].isdigit():
            kind, _, offsets = parts[1].partition(" ")
            pieces = []
            for p in offsets.split(";"):
                s, e = p.split()
                pieces.append((int(s), int(e)))
            spans[parts[0]] = (kind, pieces)
        elif parts[0].startswith("E") and parts[0][1:].isdigit():
            events.append(parts[1].split())
    out = []
    for args in events:
        roles = collections.defaultdict(list)
        for a in args:
            role, _, tid = a.partition(":")
            if tid in spans:
                roles[role.rstrip("0123456789")].extend(spans[tid][1])
        if not roles.get("Content"):
            continue
        out.append({"content": sorted(roles["Content"]), "cue": sorted(roles.get("Cue", [])),
                    "source": sorted(roles.get("Source", []))})
    return out


def articles(corpus, split):
    """(name, text, title, attributions) of each article of the split, in
    name order; one annotator per article (see the module comment)."""
    titles = {}
    meta = os.path.join(corpus, "metadata.tsv")
    if os.path.exists(meta):
        rows = open(meta, encoding="utf-8").read().splitlines()
        head = rows[0].split("\t")
        for r in rows[1:]:
            f = dict(zip(head, r.split("\t")))
            titles[f["filename"]] = f.get("title", "")
    by_name = collections.defaultdict(list)
    for f in os.listdir(os.path.join(corpus, split, "attributions")):
        if f.endswith(".ann"):
            name, _, annotator = f[:-4].rpartition("_")
            by_name[name].append(annotator)
    for name in sorted(by_name):
        annotator = sorted(by_name[name])[0]
        text = open(os.path.join(corpus, split, "text", name + ".txt"), encoding="utf-8").read()
        atts = read_ann(os.path.join(corpus, split, "attributions", "%s_%s.ann" % (name, annotator)))
        yield name, text, titles.get(name, ""), atts


def is_direct(text, pieces):
    """The first piece opens with a quotation mark and the last closes with
    one (a middle paragraph of a long quote may open without a mark)."""
    first = text[pieces[0][0]:pieces[0][1]].lstrip()
    if not first or first[0] not in OPENING:
        return False
    last = text[pieces[-1][0]:pieces[-1][1]].rstrip().rstrip(".,;:!?—–-) ")
    return bool(last) and last[-1] in CLOSING


def in_marks(text, pieces):
    """Is every piece of a predicted content (its words, without the
    marks) right inside quotation marks?"""
    for s, e in pieces:
        before = text[:s].rstrip()[-1:]
        after = text[e:].lstrip(".,;:!?")[:1]
        if not before or before not in OPENING or not after or after not in CLOSING:
            return False
    return True


def pred_direct(text, p, in_marks_too=False):
    """Is a predicted attribution a direct quote (see the module comment)?"""
    if p["kind"] == "direct":
        return True
    return in_marks_too and p["kind"] == "partial" and in_marks(text, p["content"])


def overlap(a, b):
    """Code points two piece lists share."""
    n = 0
    for s1, e1 in a:
        for s2, e2 in b:
            n += max(0, min(e1, e2) - max(s1, s2))
    return n


def match(gold, pred, gkey, pkey):
    """One-to-one pairs (gold index, pred index) of overlapping contents,
    the largest overlaps first (ties by position: deterministic)."""
    cands = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            o = overlap(g[gkey], p[pkey])
            if o > 0:
                cands.append((-o, i, j))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def predicted(q):
    """A quotes element as pieces: content, source mention, cue."""
    if q.get("pieces"):
        content = [(p["start"], p["end"]) for p in q["pieces"]]
    else:
        content = [(q["start"], q["end"])]
    src = []
    if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
        src = [(q["speaker_start"], q["speaker_end"])]
    cue = []
    if q.get("cue_start") is not None and q.get("cue_end") is not None:
        cue = [(q["cue_start"], q["cue_end"])]
    return {"content": content, "source": src, "cue": cue, "kind": q.get("kind"),
            "cue_text": q.get("cue")}


def right(g, p, key, text=None):
    """The predicted span overlaps the gold one, or both are absent. A cue
    given only as text (the stage before cue offsets) is right when it is
    the gold cue's text, case aside."""
    if key == "cue" and not p["cue"] and p.get("cue_text") and g["cue"] and text is not None:
        gold = " ".join(text[s:e] for s, e in g["cue"]).lower()
        return gold == p["cue_text"].lower()
    if not g[key]:
        return not p[key]
    return overlap(g[key], p[key]) > 0


def prf(m, npred, ngold):
    p = m / npred if npred else 0.0
    r = m / ngold if ngold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def run_galley(galley, docs, stages, keep=None):
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for name, text, title, _ in docs:
                f.write(json.dumps({"id": name, "title": title, "text": text}, ensure_ascii=False) + "\n")
        cfg = os.path.join(d, "q.cfg")
        with open(cfg, "w") as f:
            f.write('threads = 2;\nstages = ( %s );\n' % stages)
        out = keep or os.path.join(d, "out.jsonl")
        p = subprocess.run([galley, "run", cfg, inp, "-q", "-o", out], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("galley failed (%d): %s" % (p.returncode, p.stderr))
        return {json.loads(l)["id"]: json.loads(l) for l in open(out, encoding="utf-8")}


def score(docs, out, errors=None, in_marks_too=False):
    c = collections.Counter()
    for name, text, _, gold in docs:
        pred = [predicted(q) for q in out.get(name, {}).get("quotes", [])
                if q.get("kind") not in ("scare", "title")]
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        pairs = match(gold, pred, "content", "content")
        c["matched"] += len(pairs)
        for i, j in pairs:
            c["source"] += right(gold[i], pred[j], "source")
            c["cue"] += right(gold[i], pred[j], "cue", text)
            if errors and not right(gold[i], pred[j], "source"):
                g, p = gold[i], pred[j]
                errors.write("%s\tsource\tgold=%r\tpred=%r\tcontent=%r\n" % (
                    name, [text[s:e] for s, e in g["source"]], [text[s:e] for s, e in p["source"]],
                    text[g["content"][0][0]:g["content"][0][0] + 60]))
        gd = [g for g in gold if is_direct(text, g["content"])]
        pd = [p for p in pred if pred_direct(text, p, in_marks_too)]
        c["d_gold"] += len(gd)
        c["d_pred"] += len(pd)
        dpairs = match(gd, pd, "content", "content")
        c["d_matched"] += len(dpairs)
        for i, j in dpairs:
            c["d_speaker"] += right(gd[i], pd[j], "source")
            if errors and not right(gd[i], pd[j], "source"):
                errors.write("%s\tdirect-speaker\tgold=%r\tpred=%r\tcontent=%r\n" % (
                    name, [text[s:e] for s, e in gd[i]["source"]], [text[s:e] for s, e in pd[j]["source"]],
                    text[gd[i]["content"][0][0]:gd[i]["content"][0][0] + 60]))
        if errors:
            mg = {i for i, _ in dpairs}
            for i, g in enumerate(gd):
                if i not in mg:
                    errors.write("%s\tdirect-missed\t%r\n" % (name, text[g["content"][0][0]:g["content"][-1][1]][:100]))
            mp = {j for _, j in dpairs}
            for j, p in enumerate(pd):
                if j not in mp:
                    errors.write("%s\tdirect-spurious\t%r\n" % (name, text[p["content"][0][0]:p["content"][-1][1]][:100]))
    m = c["matched"]
    res = {"articles": len(docs), "gold": c["gold"], "predicted": c["pred"], "matched": m,
           "content": prf(m, c["pred"], c["gold"]),
           "source": round(c["source"] / m, 4) if m else 0.0,
           "cue": round(c["cue"] / m, 4) if m else 0.0,
           "source_f1": prf(c["source"], c["pred"], c["gold"])["f1"],
           "cue_f1": prf(c["cue"], c["pred"], c["gold"])["f1"],
           "direct": {"gold": c["d_gold"], "predicted": c["d_pred"], "matched": c["d_matched"],
                      "precision": round(c["d_matched"] / c["d_pred"], 4) if c["d_pred"] else 0.0,
                      "recall": round(c["d_matched"] / c["d_gold"], 4) if c["d_gold"] else 0.0,
                      "speaker": round(c["d_speaker"] / c["d_matched"], 4) if c["d_matched"] else 0.0}}
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--galley", default=os.environ.get("GALLEY", "galley"))
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--stages", default='{ use = "entities"; }, { use = "quotes"; }')
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--errors", help="write each wrong source and missed or spurious direct quote here")
    ap.add_argument("--keep-output", help="keep galley's JSONL output in this file")
    ap.add_argument("--direct-in-marks", action="store_true",
                    help="a predicted partial quote whose pieces are all in marks counts as direct too")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.corpus, args.split)):
        sys.exit("polnear.py: no PolNeAR %s split at %s" % (args.split, args.corpus))
    docs = list(articles(args.corpus, args.split))
    out = run_galley(args.galley, docs, args.stages, args.keep_output)
    errors = open(args.errors, "w", encoding="utf-8") if args.errors else None
    res = score(docs, out, errors, args.direct_in_marks)
    if args.json:
        print(json.dumps(res))
        return 0
    c, d = res["content"], res["direct"]
    print("PolNeAR %s: %d articles, %d gold attributions, %d predicted, %d matched"
          % (args.split, res["articles"], res["gold"], res["predicted"], res["matched"]))
    print("  content overlap  P %.3f  R %.3f  F1 %.3f" % (c["precision"], c["recall"], c["f1"]))
    print("  source (matched) %.3f   (end to end F1 %.3f)" % (res["source"], res["source_f1"]))
    print("  cue (matched)    %.3f   (end to end F1 %.3f)" % (res["cue"], res["cue_f1"]))
    print("  direct quotes: gold %d, predicted %d: P %.3f  R %.3f  speaker %.3f"
          % (d["gold"], d["predicted"], d["precision"], d["recall"], d["speaker"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
