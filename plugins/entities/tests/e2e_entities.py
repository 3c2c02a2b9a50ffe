"""entities end to end: normalize + entities through `galley run`, the
layer checked field by field (code point offsets), and the CoNLL output."""
import json
from galleytest import ok, eq, done, run, run_docs, tmpdir, write, config

d = tmpdir()
text = ("TEHRAN — Foreign Ministry spokesman Nasser Kanaani said on Saturday that Iran’s "
        "Intelligence Ministry was not involved.\nKanaani added that the Vienna Convention applied.")
inp = write(d, "in.jsonl", json.dumps({"id": "e1", "text": text}, ensure_ascii=False) + "\n")
cfg = config(d, '{ use = "normalize"; }, { use = "entities"; }')
status, docs, err = run_docs(["run", cfg, inp])
eq(status, 0, "exit 0")
doc = docs[0]
got = [(doc["text"][e["start"]:e["end"]], e["text"], e["type"], e["canonical"]) for e in doc["entities"]]
eq(got, [("Foreign Ministry", "Foreign Ministry", "ORG", "Foreign Ministry"),
         ("Nasser Kanaani", "Nasser Kanaani", "PERSON", "Nasser Kanaani"),
         ("Saturday", "Saturday", "DATE", "Saturday"),
         ("Iran", "Iran", "LOC", "Iran"),
         ("Intelligence Ministry", "Intelligence Ministry", "ORG", "Intelligence Ministry"),
         ("Kanaani", "Kanaani", "PERSON", "Nasser Kanaani"),
         ("Vienna Convention", "Vienna Convention", "MISC", "Vienna Convention")],
   "entities: offsets, text, type, canonical")
eq(doc["metadata"]["dateline"], "TEHRAN", "dateline moved out before tagging")

conll = config(d, '{ use = "entities"; }', extra='output = { format = "conll"; };', name="conll.cfg")
status, out, err = run(["run", conll, inp])
lines = out.split("\n")
ok("Nasser B-PERSON" in lines and "Kanaani I-PERSON" in lines, "conll: person in BIO")
ok("Saturday O" in lines, "conll: DATE written as O by default")
ok("Vienna B-MISC" in lines and "Convention I-MISC" in lines, "conll: MISC")
done()
