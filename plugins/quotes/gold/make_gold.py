#!/usr/bin/env python3
"""Builds the quotes gold set (gold/quotes-gold.txt): fictional wire
articles written from templates of the hard cases, every quote marked as
{{KIND|speaker|quoted words}} (speaker "-" for none). The marks around a
quote stay in the text; the markup wraps only the words between them.

Two parts: `dev` with one set of names and `heldout` with another; the
templates are the author's, like the rules, so read the numbers as a
regression check more than a benchmark."""
import os
import random

DEV = {"people": [("Nasser", "Kanaani", "he", "spokesman"), ("Rasa", "Vaitkutė", "she", "chief executive"),
                  ("Jonas", "Petraitis", "he", "harbour master"), ("Ingrid", "Solheim", "she", "mayor")],
       "orgs": ["Foreign Ministry", "Port Authority", "Energy Agency"], "places": ["Vilnius", "Riga", "Oslo"]}
HELD = {"people": [("Tarvo", "Kello", "he", "spokesman"), ("Oddny", "Vikre", "she", "mayor"),
                   ("Imre", "Saaresto", "he", "union leader"), ("Zorana", "Pelic", "she", "minister")],
        "orgs": ["Interior Ministry", "Grid Authority", "Transport Agency"], "places": ["Tartu", "Bergen", "Gdańsk"]}
SAYINGS = ["We will not accept any decision taken without us", "The talks have reached a dead end for now",
           "This is a dark day for the workers of this port", "Nobody should pay for mistakes they did not make",
           "We expect the government to keep its promises this time", "The figures show a clear improvement since spring",
           "Our doors remain open to everyone who wants a fair deal", "There is no evidence for any of these claims",
           "We are ready to answer every question in parliament", "The plan was drawn up without asking the people who live here"]
FRAGS = ["false and baseless", "a step backwards", "deeply worrying", "an act of sabotage", "not negotiable",
         "a matter of weeks", "unacceptable"]
SCARE = ["Collective Defense", "reform", "temporary", "voluntary", "experts"]
INDIRECT = ["the ministry would review the decision next month", "the port would reopen after the repairs",
            "the company had not received any warning before the attack", "the talks would resume on Monday"]


def Q(kind, speaker, words):
    return "{{%s|%s|%s}}" % (kind, speaker or "-", words)


def article(r, pool):
    (g1, f1, pr1, role1), (g2, f2, pr2, role2) = r.sample(pool["people"], 2)
    full1, full2 = "%s %s" % (g1, f1), "%s %s" % (g2, f2)
    org, place = r.choice(pool["orgs"]), r.choice(pool["places"])
    s1, s2, s3, s4, s5 = r.sample(SAYINGS, 5)
    frag, scare, ind = r.choice(FRAGS), r.choice(SCARE), r.choice(INDIRECT)
    P = []
    P.append("The %s in %s said on Tuesday that %s." % (org, place, Q("indirect", org, "talks with the unions had failed")))
    P.append("“%s,” %s said." % (Q("direct", full1, s1 + ","), f1))
    P[-1] = "“%s” %s said." % (Q("direct", full1, s1 + ","), f1)
    P.append("%s %s told reporters: “%s.”" % (role2.capitalize(), full2, Q("direct", full2, s2)))
    P.append("%s dismissed the criticism as “%s,” and said the %s had acted lawfully." % (f1, Q("partial", full1, frag), org))
    P.append("\"%s,\" %s added." % (Q("direct", full2, s3), pr2))
    P.append("The statement was labelled “%s” by critics." % Q("scare", None, scare))
    P.append("%s said %s." % (full2, Q("indirect", full2, ind)))
    P.append("According to %s, “%s.”" % (full1, Q("direct", full1, s4)))
    P.append("“%s,” the %s said in a statement." % (Q("direct", org, s5), org))
    # A quote over two paragraphs: opening mark on each, closing at the end.
    a, b = r.sample(SAYINGS, 2)
    P.append("“%s." % Q("direct", full1, a))
    P.append("“%s,” %s said." % (Q("direct", full1, b), f1))
    # A follow-on paragraph with no attribution belongs to the same speaker.
    c = r.choice(SAYINGS)
    P.append("“%s.”" % Q("direct", full1, c))
    # Apostrophes that are not quotes, and a nested single quote.
    P.append("The %s’s critics don’t agree. %s %s said: “%s ‘%s’ %s.”" % (
        org, role2.capitalize(), f2, Q("direct", full2, "They called it", ).replace("}}", ""),
        "a disgrace", "and we agree"))
    P[-1] = "The %s’s critics don’t agree. %s said: “%s.”" % (
        org, f2, Q("direct", full2, "They called it ‘a disgrace’ and we agree"))
    # Guillemets, and a missing closing mark bounded at the paragraph.
    d = r.choice(SAYINGS)
    P.append("«%s», %s said." % (Q("direct", full2, d), f2))
    e = r.choice(SAYINGS)
    P.append("%s said: “%s" % (full1, Q("direct", full1, e + " and that is final.")))
    P.append("Officials in %s did not respond to requests for comment." % place)
    return "\n".join(P)


def main():
    r = random.Random(9)
    docs = [("dev-%02d" % i, article(r, DEV)) for i in range(22)]
    docs += [("heldout-%02d" % i, article(r, HELD)) for i in range(22)]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quotes-gold.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# quotes gold set: generated by make_gold.py; {{KIND|speaker|words}}\n")
        for doc_id, text in docs:
            f.write("### %s\n%s\n\n" % (doc_id, text))
    print("wrote %d articles, %d quotes" % (len(docs), sum(t.count("{{") for _, t in docs)))


if __name__ == "__main__":
    main()
