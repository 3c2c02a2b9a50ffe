"""Each stage's table of layer fields (.fields, ABI 1.1), docs/stages.md
and the real output of `galley run` say the same thing.

Every stage on the plugin path runs in one pipeline over the bundled
sample, the normalize gold set and fixtures, and a pair of articles that
share a paragraph. Then, for every layer in the output: a stage declares
it (`provides`); every field its elements carry, besides start, end and
text, is in that stage's table, with the table's type (null only where
the table says nullable; an offset within the text); `text`, when there,
is the text the element covers; and every row of the table shows up in
the output at least once. docs/stages.md is `galley stages --markdown`
exactly. A stage whose descriptor has no table yet is skipped, saying so;
a stage with one is never skipped. The tables are read from the modules
by e2e/describe (BUILDDIR)."""
import difflib
import json
import os
import subprocess
from galleytest import ok, eq, skip, done, run, path, tmpdir, write, config

DESCRIBE = os.path.join(os.environ.get("BUILDDIR", "."), "e2e", "describe")
# Options that make a stage produce all of its layers' fields.
SETTINGS = {"dedup": "paragraphs = true;", "stats": "letters = true;"}
IMPLIED = ("start", "end", "text")


def describe(name):
    p = subprocess.run([DESCRIBE, name], capture_output=True, text=True, timeout=120)
    ok(p.returncode == 0, "describe %s" % name, p.stderr)
    return json.loads(p.stdout) if p.returncode == 0 else None


def pipeline_order(stages):
    """Rewriting stages first, then each stage once the layers it needs
    are provided (the order galley check accepts)."""
    order, provided = [], set()
    pending = sorted(stages.values(), key=lambda s: (not s["rewrites"], s["name"]))
    while pending:
        ready = [s for s in pending if set(s["requires"]) <= provided]
        if not ready:
            ok(False, "every stage's required layers are provided by some stage",
               [s["name"] for s in pending])
            break
        order.append(ready[0])
        provided |= set(ready[0]["provides"])
        pending.remove(ready[0])
    return order


def type_ok(value, field, text):
    """Does a JSON value have the table's type?"""
    if value is None:
        return field["nullable"]
    t = field["type"]
    if t == "bool":
        return isinstance(value, bool)
    if t in ("int", "offset"):
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        return t == "int" or 0 <= value <= len(text)
    if t == "real":   # the writer gives integral reals without a fraction
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return {"string": str, "object": dict, "array": list}[t] is type(value)


status, out, err = run(["stages"])
names = sorted(line.split()[0] for line in out.splitlines() if line and not line[0].isspace())
ok({"normalize", "entities", "quotes", "dedup", "stats"} <= set(names), "the built-in stages are found", out)
stages = {n: describe(n) for n in names}
stages = {n: s for n, s in stages.items() if s}

# The inputs: the sample, normalize's gold set and fixtures, and two
# articles with a paragraph in common (dedup's repeated_paragraphs).
d = tmpdir()
shared = ("The port authority said the northern terminal would reopen on Monday after "
          "repairs to the pier that the storm had damaged in October.")
write(d, "repeat.jsonl", json.dumps({"id": "r1", "text": "Ships waited at anchor for days.\n\n" + shared}) + "\n" +
      json.dumps({"id": "r2", "text": "Fishermen in Nida said the closure had cost them dearly.\n\n" + shared}) + "\n")
inputs = [path("examples", "sample.jsonl.gz"), path("plugins", "normalize", "gold", "normalize-gold.jsonl"),
          path("plugins", "normalize", "tests", "fixtures"), os.path.join(d, "repeat.jsonl")]
order = pipeline_order(stages)
cfg = config(d, ", ".join('{ use = "%s"; %s }' % (s["name"], SETTINGS.get(s["name"], "")) for s in order))
status, out, err = run(["run", cfg, "-q"] + inputs)
ok(status in (0, 1), "every stage runs over the inputs (exit %d)" % status, err)
docs = [json.loads(line) for line in out.splitlines()]
ok(len(docs) > 50, "the run wrote its documents (%d)" % len(docs))

provider = {}
for s in stages.values():
    for layer in s["provides"]:
        provider[layer] = s["name"]
declared = {}
for s in stages.values():
    for f in s["fields"] or []:
        declared[(f["layer"], f["name"])] = f
seen = set()
problems = {n: [] for n in stages}
unknown_layers = set()
for doc in docs:
    for layer, elements in doc.items():
        if layer in ("id", "text", "metadata", "source"):
            continue
        owner = provider.get(layer)
        if owner is None:
            unknown_layers.add(layer)
            continue
        if stages[owner]["fields"] is None:
            continue
        for e in elements:
            if not (isinstance(e.get("start"), int) and isinstance(e.get("end"), int) and
                    0 <= e["start"] <= e["end"] <= len(doc["text"])):
                problems[owner].append("%s: %s element without a valid start and end: %r" % (doc["id"], layer, e))
                continue
            # An element in pieces (an interrupted quote) carries the text of
            # its pieces, joined by a space; any other the text it covers.
            covered = (" ".join(doc["text"][p["start"]:p["end"]] for p in e["pieces"])
                       if isinstance(e.get("pieces"), list) and e["pieces"] else doc["text"][e["start"]:e["end"]])
            if "text" in e and e["text"] != covered:
                problems[owner].append("%s: %s.text %r is not the text it covers %r"
                                       % (doc["id"], layer, e["text"], covered))
            for key, value in e.items():
                if key in IMPLIED:
                    continue
                f = declared.get((layer, key))
                if f is None:
                    problems[owner].append("%s: %s.%s is in the output but not in the table"
                                           % (doc["id"], layer, key))
                elif not type_ok(value, f, doc["text"]):
                    problems[owner].append("%s: %s.%s = %r is not of the table's type %s%s"
                                           % (doc["id"], layer, key, value, f["type"],
                                              " or null" if f["nullable"] else ""))
                else:
                    seen.add((layer, key))
eq(sorted(unknown_layers), [], "every layer in the output is provided by a stage")

for name in sorted(stages):
    s = stages[name]
    if s["fields"] is None:
        skip("%s: its layers' fields match its table" % name,
             "stage %s has no .fields table yet (ABI 1.1): its layers are not checked" % name)
        continue
    for f in s["fields"]:
        ok(f["layer"] in s["provides"], "%s: table row %s.%s is for a layer the stage provides"
           % (name, f["layer"], f["name"]))
    unique = sorted(set(problems[name]))
    ok(not unique, "%s: every field of its layers in the output is in its table, with its type" % name,
       "\n".join(unique[:30]))
    unseen = ["%s.%s" % (f["layer"], f["name"]) for f in s["fields"] if (f["layer"], f["name"]) not in seen]
    ok(not unseen, "%s: every row of its table shows up in the output" % name,
       "never seen: %s (add an input that makes the stage write it)" % ", ".join(unseen))

status, generated, err = run(["stages", "--markdown"])
doc = open(path("docs", "stages.md"), encoding="utf-8").read()
diff = "".join(difflib.unified_diff(doc.splitlines(True), generated.splitlines(True),
                                    "docs/stages.md", "galley stages --markdown"))
ok(doc == generated, "docs/stages.md is the generated reference "
   "(core/galley stages --markdown > docs/stages.md)", diff[:3000])
for name in sorted(stages):
    rows = ["| `%s` | `%s` | %s%s |" % (f["layer"], f["name"], f["type"], " or null" if f["nullable"] else "")
            for f in stages[name]["fields"] or []]
    missing = [r for r in rows if r not in doc]
    ok(not missing, "docs/stages.md documents the fields of the %s stage's layers" % name, "\n".join(missing))
done()
