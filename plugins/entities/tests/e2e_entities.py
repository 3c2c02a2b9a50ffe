"""entities end to end: normalize + entities through `galley run`, the
layer checked field by field (code point offsets), the CoNLL output, the
layer's declared fields, and every way the model file can be bad (exit
2, naming the file and what is wrong)."""
import json
import os
import re
import shutil
from galleytest import ok, eq, done, run, run_docs, tmpdir, write, config, path

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

# The layer's fields are declared, and real output has exactly them.
status, out, err = run(["stages", "entities"])
ok(status == 0 and "type" in out and "canonical" in out and "train" in out and "eval" in out,
   "galley stages entities lists the layer's fields and the commands", out)
ok(all(set(e) == {"start", "end", "text", "type", "canonical"} for e in doc["entities"]),
   "each entity has start, end, text and the declared fields")

# Bad model files: the run does not start (exit 2) and says which file
# and what is wrong with it.
shipped = path("plugins", "entities", "data", "entities.model")
image = open(shipped, "rb").read()
bad = {
    "missing.model": None,
    "truncated.model": image[: len(image) // 2],
    "corrupt.model": image[:-5] + bytes([image[-5] ^ 0x20]) + image[-4:],
    "foreign.model": b"London\tLOC\nParis\tLOC\n",
}
why = {"missing.model": "cannot read model", "truncated.model": "truncated",
       "corrupt.model": "checksum", "foreign.model": "not a galley model"}
for name, content in bad.items():
    if content is not None:
        write(d, name, content, mode="wb")
    cfg = config(d, '{ use = "entities"; model = "%s"; }' % name, name="bad.cfg")
    status, out, err = run(["run", cfg, inp])
    ok(status == 2 and name in err and why[name] in err,
       "%s: exit 2 naming the file and saying %s" % (name, why[name]), "%d %s" % (status, err))
status, out, err = run(["entities", "train", "--train", inp])
ok(status == 2 and "usage: galley entities train" in err, "train without --dev and -o: usage, exit 2", err)
status, out, err = run(["entities", "eval", "--dev", os.path.join(d, "missing.conll")])
ok(status == 2 and "missing.conll" in err, "eval of a missing file: exit 2 naming it", err)
status, out, err = run(["entities", "eval", "--dev", inp, "-m", os.path.join(d, "truncated.model")])
ok(status == 2 and "truncated" in err, "galley entities eval refuses a truncated model", err)

# A model made with other feature templates (here: other word clusters)
# is refused with both template hashes.
data = os.path.join(d, "data-path", "entities")
shutil.copytree(path("plugins", "entities", "data"), data)
with open(os.path.join(data, "clusters.txt"), "a") as f:
    f.write("Kelmora\t1\t2\t3\n")
cfg = config(d, '{ use = "entities"; }', name="templates.cfg")
status, out, err = run(["run", cfg, inp], env={"GALLEY_DATA_PATH": os.path.join(d, "data-path")})
hashes = re.findall(r"\b[0-9a-f]{16}\b", err)
ok(status == 2 and "other feature templates" in err and len(set(hashes)) == 2 and "entities.model" in err,
   "a model of other feature templates: exit 2 with both hashes", err)
done()
