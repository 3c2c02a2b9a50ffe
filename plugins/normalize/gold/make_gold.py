#!/usr/bin/env python3
"""Builds the normalize gold set: fictional wire-style articles with known
boilerplate lines and known damage. Deterministic; writes
gold/normalize-gold.jsonl. Each record: id, text (the damaged input),
body (the lines that must survive, as they should read after repair) and
boilerplate (the lines that must be removed, as they read after repair).
"""
import json
import os
import random

BODY = [
    "The port authority in Klaipėda said on Monday that it would reopen the northern terminal after a two-week closure.",
    "“We cannot keep ships waiting forever,” harbour master Jonas Petraitis told reporters.",
    "Fishermen in the town of Nida said the closure had cost them more than 40,000 euros.",
    "The ministry of transport said the repairs were finished ahead of schedule.",
    "Edi Rama",
    "Prime Minister Ingrid Solheim arrived in Tromsø late on Tuesday for talks with local leaders.",
    "Solheim said the government would “listen first and decide later.”",
    "The opposition Centre Party called the visit “a photo opportunity.”",
    "Photographs of the flooded streets spread quickly on social media.",
    "Temperatures fell to minus 18 degrees Celsius overnight, the weather service said.",
    "Read by millions, the newspaper has been published since 1889.",
    "Police in Gdańsk arrested two men suspected of stealing copper cable from a railway line.",
    "A spokeswoman for the railway operator said trains would run with delays until Friday.",
    "“This is not a victimless crime,” she said. “People miss work, children miss school.”",
    "The men, aged 24 and 31, are due in court on Thursday.",
    "Share prices of the shipping company rose 4.2% after the announcement.",
    "Analysts at Nordea said the results were better than expected.",
    "Follow-up talks are planned for next month in Brussels.",
    "The union representing dock workers said it would hold a strike vote on October 3.",
    "Members rejected the last offer by a margin of 612 to 98.",
    "“Our patience has limits,” union leader Marta Kowalczyk said.",
    "Copyright law was not the issue, the judge said, but the use of the images without consent.",
    "The court in Tartu ordered the publisher to pay 12,000 euros in damages.",
    "Comments made by the minister last week caused an uproar in parliament.",
    "Several lawmakers walked out of the chamber during her speech.",
    "The ministry later said her remarks had been “taken out of context.”",
    "Mayor Lucía Fernández opened the new library in Valencia on Saturday.",
    "The building, a former tobacco factory, cost 9.5 million euros to restore.",
    "“Books are the cheapest way to travel,” Fernández said at the ceremony.",
    "Visitors queued for more than an hour to get in.",
    "Tags were attached to the birds so that researchers could follow their migration.",
    "The storks are expected to return to Latvia in April.",
]

BOILER = {
    "share": ["Share this article", "Share on Facebook", "Email this story", "Share | Tweet | Email", "Print this article"],
    "nav": ["Tags: Politics, Europe, Transport", "News > World > Europe", "Skip to main content", "Related topics: Energy", "• Home", "• World"],
    "social": ["Follow us on Twitter @BalticDesk", "Follow us on Facebook for more news", "Subscribe to our newsletter for daily updates", "@BalticDesk #news", "https://example.com/live"],
    "comments": ["Post with no comments.", "Leave a comment", "12 comments", "Be the first to comment"],
    "readmore": ["Read more: Why the port closed", "Also read: Strike looms at the docks", "Continue reading below", "See also: The election in numbers"],
    "footer": ["© 2026 Baltic Wire. All rights reserved.", "Copyright 2026 Nordic Daily", "This article was provided by Harbour News Service.", "All Content by Example Agency is licensed under a Creative Commons Attribution 4.0 International License."],
    "credit": ["Photo: Jonas Berg/Baltic Wire", "Image courtesy of the port authority", "(Reporting by Anna Lind; editing by Mark Heinz)", "Video: Harbour News"],
    "agency": ["BW/AL/MH", "4211**9988", "ENDS"],
}

# Damage that the stage must repair; applied to the input only.
def mojibake(s):
    """UTF-8 bytes read as Windows-1252 (Latin-1 for its five holes)."""
    out = []
    for b in s.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def entities(s):
    return s.replace("&", "&amp;").replace("’", "&#8217;").replace("“", "&ldquo;").replace("”", "&rdquo;")


def invisible(s):
    words = s.split(" ")
    if len(words) > 3:
        words[2] = words[2] + "\u200b"
        words[1] = words[1] + "\u00a0"
    return " ".join(words)


def main():
    rng = random.Random(20261123)
    out = []
    for n in range(48):
        body = rng.sample(BODY, rng.randint(3, 7))
        kinds = list(BOILER)
        head = [rng.choice(BOILER[k]) for k in rng.sample(kinds, rng.randint(0, 2))]
        tail = [rng.choice(BOILER[k]) for k in rng.sample(kinds, rng.randint(1, 3))]
        if n % 7 == 0:
            body.insert(len(body) // 2, "Edi Rama")
        damage = [None, mojibake, entities, invisible][n % 4]
        lines = []
        for line in head + body + tail:
            dl = line
            if damage and line in body and line != "Edi Rama":
                try:
                    dl = damage(line)
                except UnicodeError:
                    dl = line
            lines.append(dl)
        sep = "\n\n" if n % 3 == 0 else "\n"
        text = sep.join(lines)
        if n % 5 == 1:
            text = "  " + text.replace("\n", "  \n") + "\n\n\n"
        out.append({"id": "norm-gold-%02d" % n, "text": text,
                    "body": [b for b in body],
                    "boilerplate": head + tail})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "normalize-gold.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote %d documents, %d boilerplate lines, %d body lines" % (
        len(out), sum(len(r["boilerplate"]) for r in out), sum(len(r["body"]) for r in out)))


if __name__ == "__main__":
    main()
