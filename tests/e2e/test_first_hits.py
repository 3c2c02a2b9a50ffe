"""What a new user hits first (issue 14, the core's part): CSV mistakes are
config errors with a did-you-mean, list values given to --set are lists, the
progress line is cleared before a warning, plugin paths read cleanly."""
import json
import os
import shutil
import subprocess
from galleytest import ok, eq, done, run, tmpdir, write, path

d = tmpdir()
env = {"GALLEY_PLUGIN_PATH": os.path.join(os.environ["BUILDDIR"], "modules")}
inp = write(d, "in.jsonl", json.dumps({"id": "1", "text": "Ana Ruiz said it.", "title": "T"}) + "\n")

# 1. An unknown CSV layer or column is a config error, not a header-only file.
status, out, err = run(["run", path("pipelines", "quotes-table.cfg"), inp, "--set", "output.layer=quote"])
eq(status, 2, "csv layer \"quote\": exit 2")
ok('output.layer "quote": no stage of the pipeline provides it (did you mean "quotes"?)' in err,
   "csv layer: did you mean, from the layers the pipeline provides", err)
eq(out, "", "csv layer: nothing written")
csv = write(d, "words.cfg", 'output = { format = "csv"; layer = "words";\n'
                            '           columns = ["id", "cuont", "title"]; };\n'
                            'stages = ( { use = "commander"; } );\n')
status, out, err = run(["run", csv, inp], env=env)
eq(status, 2, "csv column typo: exit 2")
ok('words.cfg:2: output.columns: "cuont" is not a field of the layer "words" (did you mean "count"?' in err,
   "csv column: did you mean, from the fields the layer's elements carry", err)
status, out, err = run(["run", csv, inp, "--set", 'output.columns=["id", "count", "metadata.cuont", "title"]'],
                       env=env)
eq(status, 0, "a list given to --set is a list; metadata.NAME is always a metadata column")
eq(out.splitlines()[0], "id,count,metadata.cuont,title", "the --set list's columns, as written")

# 7. The progress line is cleared before a warning.
big = write(d, "big/a.jsonl", "".join(json.dumps({"id": str(i), "text": "Word " * 40}) + "\n"
                                      for i in range(120000)))
write(d, "big/b.txt", "")
cfg = write(d, "plain.cfg", 'stages = ( { use = "stats"; } );\n')
status, out, err = run(["run", cfg, os.path.dirname(big), "--progress", "-j", "1", "-o", os.path.join(d, "o.jsonl")])
ok("MB/s" in err and "\r" in err, "the progress line was drawn during the run", repr(err[-300:]))
warning = [l for l in err.split("\n") if "empty file" in l]
after_return = warning[0].split("\r")[-1].replace("\x1b[K", "") if warning else ""
ok(after_return.startswith("galley: " + os.path.join(os.path.dirname(big), "b.txt")),
   "the warning stands on a line of its own, the progress line cleared first", repr(warning))

# 12. A plugin on plugin_path ["."] is shown from ./NAME, not ././NAME.
mods = os.path.join(d, "here")
os.mkdir(mods)
shutil.copy(os.path.join(os.environ["BUILDDIR"], "modules", ".libs", "commander.so"), mods)
write(mods, "p.cfg", 'plugin_path = ["."];\nstages = ( { use = "commander"; } );\n')
p = subprocess.run([os.environ["GALLEY"], "check", "p.cfg"], cwd=mods, capture_output=True, text=True)
ok("from ./commander.so" in p.stdout and "././" not in p.stdout, "plugin paths read cleanly", p.stdout + p.stderr)
done()
