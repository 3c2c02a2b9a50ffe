#!/usr/bin/env python3
"""Deterministic generator of a synthetic wire-news corpus, for the
benchmarks and the dedup evaluation.

    gen-corpus.py --docs N [--seed S] [--dup-share X] [--near-share Y]
                  [--short] --out FILE.jsonl.gz [--truth FILE.jsonl]

Articles are built from templates with varied lengths, names, places,
quotes (curly and straight), datelines and boilerplate lines. A share of
them are exact copies of an earlier article (`--dup-share`, default 0.05)
and a share are near copies (`--near-share`, default 0.10) made with known
edits: words changed, inserted and deleted, paragraphs dropped or
reordered, a new headline and footer. The truth file lists every copy with
its original, the edits and the true Jaccard similarity of word 5-gram
shingles (what the dedup stage estimates). Same arguments, same bytes.
"""
import argparse
import gzip
import json
import random
import re

GIVEN = ["Anna", "Jonas", "Marta", "Tomas", "Ingrid", "Mehmet", "Aisha", "Rasa", "Pieter", "Lucía",
         "Kenji", "Olga", "Dariusz", "Fatima", "Erik", "Sofia", "Nasser", "Elena", "Viktor", "Mei"]
FAMILY = ["Kowalczyk", "Petraitis", "Solheim", "Yilmaz", "Haddad", "Vaitkutė", "de Vries", "Fernández",
          "Tanaka", "Ivanova", "Nowak", "Benali", "Lindqvist", "Rossi", "Kanaani", "Popescu", "Berg",
          "Horvat", "Chen", "Okafor"]
PLACES = ["Vilnius", "Riga", "Tallinn", "Gdańsk", "Oslo", "Ankara", "Lisbon", "Tunis", "Kraków",
          "Valencia", "Tromsø", "Tartu", "Klaipėda", "Bergen", "Izmir", "Porto", "Sfax", "Aarhus"]
ORGS = ["the Ministry of Transport", "the Port Authority", "the Central Bank", "the Energy Agency",
        "the National Railway", "the Dock Workers' Union", "the Environment Ministry",
        "the City Council", "the Competition Authority", "the Health Board"]
ROLES = ["Minister", "spokesman", "spokeswoman", "chief executive", "mayor", "union leader",
         "Prime Minister", "director", "analyst", "police chief"]
TOPICS = ["the port closure", "the rail strike", "the new budget", "the power outage", "the bridge repairs",
          "the fishing quota", "the fuel prices", "the election result", "the flood defences",
          "the hospital merger", "the airport expansion", "the water shortage"]
VERBS = ["said", "told reporters", "said in a statement", "added", "warned", "noted", "told a news conference"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FILLER = ("officials expected further talks to resume within weeks while critics questioned the "
          "timing of the decision and residents waited for clear answers about costs delays and "
          "compensation that had been promised months earlier by the previous government").split()
BOILER = ["Share this article", "Follow us on Twitter @NewsDesk", "© 2026 Example Wire. All rights reserved.",
          "Read more: What the strike means for you", "Photo: Jan Berg/Example Wire", "Post with no comments."]
WORD = re.compile(r"\w+(?:['’-]\w+)*")


def person(r):
    return "%s %s" % (r.choice(GIVEN), r.choice(FAMILY))


def sentence(r):
    kind = r.random()
    p, org, place, topic = person(r), r.choice(ORGS), r.choice(PLACES), r.choice(TOPICS)
    n = r.randint(2, 900)
    if kind < 0.25:
        q = " ".join(r.choice(FILLER) for _ in range(r.randint(6, 16))).capitalize()
        o, c = ("“", "”") if r.random() < 0.7 else ('"', '"')
        return "%s%s,%s %s %s %s." % (o, q, c, p, r.choice(VERBS), "on " + r.choice(DAYS))
    if kind < 0.45:
        return "%s %s %s said %s would cost about %d million euros." % (
            org[0].upper() + org[1:], r.choice(ROLES), p, topic, n)
    if kind < 0.65:
        return "In %s, %s said on %s that %s had affected %d,%03d people." % (
            place, org, r.choice(DAYS), topic, n, r.randint(0, 999))
    if kind < 0.8:
        return "%s, the %s of %s, %s that %s %s." % (
            p, r.choice(ROLES), place, r.choice(VERBS), topic,
            " ".join(r.choice(FILLER) for _ in range(r.randint(5, 12))))
    return " ".join(r.choice(FILLER) for _ in range(r.randint(10, 24))).capitalize() + "."


def article(r, short=False):
    place = r.choice(PLACES)
    paras = []
    for _ in range(r.randint(1, 2) if short else r.randint(3, 12)):
        paras.append(" ".join(sentence(r) for _ in range(r.randint(1, 2 if short else 4))))
    paras[0] = "%s (Example Wire) — %s" % (place.upper(), paras[0])
    if not short and r.random() < 0.3:
        paras.append(r.choice(BOILER))
    title = "%s: %s" % (place, r.choice(TOPICS).capitalize())
    return title, paras


def shingles(text, k=5):
    w = [x.lower() for x in WORD.findall(text)]
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a, b):
    sa, sb = shingles(a), shingles(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def near_copy(r, title, paras):
    """A copy with known edits; returns (title, paras, edits)."""
    paras = list(paras)
    edits = []
    rate = r.choice([0.0, 0.01, 0.02, 0.04, 0.06, 0.1])
    if rate:
        out = []
        for p in paras:
            words = p.split(" ")
            new = []
            for w in words:
                x = r.random()
                if x < rate / 3:
                    continue                              # deleted
                if x < 2 * rate / 3:
                    new.append(r.choice(FILLER))          # changed
                    continue
                new.append(w)
                if x < rate:
                    new.append(r.choice(FILLER))          # inserted
            out.append(" ".join(new))
        paras = out
        edits.append("words %.0f%%" % (rate * 100))
    if len(paras) > 4 and r.random() < 0.4:
        del paras[r.randrange(1, len(paras))]
        edits.append("paragraph dropped")
    if len(paras) > 3 and r.random() < 0.3:
        i = r.randrange(1, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
        edits.append("paragraphs swapped")
    if r.random() < 0.5:
        title = "UPDATE 1-" + title
        edits.append("new headline")
    if r.random() < 0.5:
        paras = paras + ["This story was provided by Example Wire. Follow us on X @Example"]
        edits.append("new footer")
    if not edits:
        paras = paras + ["(Editing by Mark Heinz)"]
        edits.append("credit line")
    return title, paras, edits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dup-share", type=float, default=0.05)
    ap.add_argument("--near-share", type=float, default=0.10)
    ap.add_argument("--short", action="store_true", help="one or two short paragraphs a document")
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth")
    args = ap.parse_args()
    r = random.Random(args.seed)
    originals = []          # (id, title, paras), the last few thousand
    truth = open(args.truth, "w") if args.truth else None
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw:
        for i in range(args.docs):
            doc_id = "gen-%07d" % i
            x = r.random()
            if originals and x < args.dup_share:
                oid, title, paras = r.choice(originals)
                kind, edits = "exact", []
            elif originals and x < args.dup_share + args.near_share:
                oid, title0, paras0 = r.choice(originals)
                title, paras, edits = near_copy(r, title0, paras0)
                kind = "near"
            else:
                oid = None
                title, paras = article(r, args.short)
                originals.append((doc_id, title, paras))
                if len(originals) > 5000:
                    originals.pop(r.randrange(len(originals)))
            text = "\n".join(paras)
            rec = {"id": doc_id, "title": title, "date": "2026-%02d-%02d" % (1 + i % 12, 1 + i % 28),
                   "outlet": "Example Wire", "text": text}
            raw.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
            if truth and oid:
                orig_text = None
                for o in originals:
                    if o[0] == oid:
                        orig_text = "\n".join(o[2])
                truth.write(json.dumps({"id": doc_id, "of": oid, "kind": kind, "edits": edits,
                                        "jaccard": round(jaccard(text, orig_text), 4)
                                        if orig_text is not None else None}) + "\n")
    if truth:
        truth.close()


if __name__ == "__main__":
    main()
