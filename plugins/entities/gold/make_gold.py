#!/usr/bin/env python3
"""Builds the entities gold set (gold/entities-gold.txt): fictional wire
articles written from sentence templates, with every entity marked inline
as [[TYPE|text]] or [[TYPE|text|canonical]].

Names come from two pools: `dev` uses names and places that are also in
the stage's dictionaries or follow its conventions; `heldout` uses invented
people, organizations and towns that no dictionary contains, so that it
measures how the rules generalize. The templates are the author's, like
the rules: read the numbers as a regression check, not as a benchmark."""
import os
import random

DEV_PEOPLE = [("Nasser", "Kanaani"), ("Rasa", "Vaitkutė"), ("Jonas", "Petraitis"), ("Ingrid", "Solheim"),
              ("Marta", "Kowalczyk"), ("Mehmet", "Yilmaz"), ("Elena", "Popescu"), ("Tomas", "Giedraitis")]
HELD_PEOPLE = [("Tarvo", "Kello"), ("Imre", "Saaresto"), ("Oddny", "Vikre"), ("Kestas", "Marulis"),
               ("Zorana", "Pelic"), ("Bekzat", "Orunov"), ("Ailbhe", "Mahony"), ("Radek", "Sulcan"),
               ("Noor", "Haddadin"), ("Ilze", "Vitola")]
DEV_ORGS = [("Foreign Ministry", None), ("Port Authority", None), ("National Security Council", None),
            ("Energy Agency", None), ("European Commission", None)]
HELD_ORGS = [("Kelmora Shipping Group", None), ("Varga Institute", None), ("Northern Grid Authority", "NGA"),
             ("Baltic Fisheries Council", "BFC"), ("Ostra Union of Dock Workers", None),
             ("National Centre for Coastal Safety", "NCCS")]
DEV_PLACES = ["Vilnius", "Riga", "Tallinn", "Oslo", "Tirana", "Tehran", "Lithuania", "Albania", "Norway"]
HELD_PLACES = ["Kelmora", "Ostrava", "Varnsund", "Telsiai", "Pärnu", "Vadsø", "Dobele", "Zarasai"]
NORP = ["Lithuanian", "Albanian", "Iranian", "Norwegian", "Estonian", "Polish", "European"]
ROLES_CAP = ["Prime Minister", "President", "Mayor", "Foreign Minister", "Ambassador"]
ROLES_LOW = ["spokesman", "spokeswoman", "chief executive", "union leader", "analyst", "harbour master"]
MONTHS = ["January", "March", "May", "July", "September", "October", "November"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TREATIES = ["Vienna Convention", "Paris Agreement", "Aarhus Convention", "Schengen Agreement"]


def E(t, text, canon=None):
    return "[[%s|%s|%s]]" % (t, text, canon) if canon and canon != text else "[[%s|%s]]" % (t, text)


def article(r, people, orgs, places):
    p1, p2 = r.sample(people, 2)
    full1, full2 = "%s %s" % p1, "%s %s" % p2
    org, acr = r.choice(orgs)
    place, place2 = r.sample(places, 2)
    day, month = r.choice(DAYS), r.choice(MONTHS)
    n = r.randint(2, 28)
    year = r.choice([2019, 2021, 2024, 2025])
    S = []
    S.append("%s said on %s that it would review the plans for %s after protests by %s residents." % (
        E("ORG", org if acr is None else org), E("DATE", day), E("LOC", place), E("NORP", r.choice(NORP))))
    if acr:
        S[-1] = "The %s (%s) said on %s that it would review the plans for %s." % (
            E("ORG", org), E("ORG", acr, org), E("DATE", day), E("LOC", place))
    S.append("“We will not accept this,” %s %s said in %s." % (r.choice(ROLES_LOW), E("PERSON", full1), E("LOC", place2)))
    S.append("%s %s told reporters that talks would resume on %s." % (
        r.choice(ROLES_CAP), E("PERSON", full2), E("DATE", "%s %d" % (month, n))))
    S.append("However, %s added that the deal signed on %s was still valid." % (
        E("PERSON", p1[1], full1), E("DATE", "%d %s %d" % (n, month, year))))
    S.append("On %s, %s officials met delegates from %s." % (E("DATE", day), E("NORP", r.choice(NORP)), E("LOC", place)))
    S.append("%s dismissed the claims as “baseless” and said %s had been treated unfairly." % (
        E("PERSON", p2[1], full2), E("LOC", place2)))
    if acr:
        S.append("The %s has asked for the report by %s." % (E("ORG", acr, org), E("DATE", "mid-%s" % month)))
    S.append("The agreement builds on the %s and on %s of the treaty, which %s signed in %s." % (
        E("MISC", r.choice(TREATIES)), E("MISC", "Article %d" % r.randint(2, 12)), E("LOC", place), E("DATE", str(year))))
    S.append("%s’s economy has grown since %s, according to %s." % (
        E("LOC", r.choice(places)), E("DATE", "the 1990s"), E("ORG", org if acr is None else acr, org)))
    S.append("Critics said the plan would cost more than %d million euros %s." % (r.randint(5, 90), E("DATE", "last year")))
    S.append("%s, who met %s in %s %s, said the two sides were close." % (
        E("PERSON", p1[1], full1), E("PERSON", full2), E("LOC", r.choice(places)), E("DATE", "last week")))
    r.shuffle(S[2:])
    return "\n".join(S)


def main():
    r = random.Random(5)
    out = []
    for i in range(24):
        out.append(("dev-%02d" % i, article(r, DEV_PEOPLE, DEV_ORGS, DEV_PLACES)))
    for i in range(24):
        out.append(("heldout-%02d" % i, article(r, HELD_PEOPLE, HELD_ORGS, HELD_PLACES)))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "entities-gold.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# entities gold set: generated by make_gold.py; [[TYPE|text|canonical]]\n")
        for doc_id, text in out:
            f.write("### %s\n%s\n\n" % (doc_id, text))
    print("wrote %d articles, %d mentions" % (len(out), sum(t.count("[[") for _, t in out)))


if __name__ == "__main__":
    main()
