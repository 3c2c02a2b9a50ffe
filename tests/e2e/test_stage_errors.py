"""A stage's errors: a document it fails on is rejected as stage_error and
the message names the stage, the document id and its source; a stage that
cannot be created stops the run with exit status 2 and the config's line."""
import json
import os
from galleytest import ok, eq, done, run, run_docs, tmpdir, write

d = tmpdir()
env = {"GALLEY_PLUGIN_PATH": os.path.join(os.environ["BUILDDIR"], "modules")}
inp = write(d, "in.jsonl", '{"id":"d1","text":"fine"}\n{"id":"d2","text":"FAIL here"}\n{"id":"d3","text":"ok"}\n')
cfg = write(d, "f.cfg", 'stages = ( { use = "failing"; } );\n')
status, docs, err = run_docs(["run", cfg, inp, "--stats", d + "/s.json"], env=env)
eq(status, 1, "a failed document: exit 1")
eq([x["id"] for x in docs], ["d1", "d3"], "the other documents are written")
ok('galley: stage "failing": document "d2" (%s:2): cannot handle this text' % inp in err,
   "the message names the stage, the document and its source", err)
eq(json.load(open(d + "/s.json"))["rejected_by_reason"], {"stage_error": 1}, "counted as stage_error")
cfg = write(d, "r.cfg", 'stages = (\n  { use = "failing"; refuse = true; }\n);\n')
status, out, err = run(["run", cfg, inp], env=env)
eq(status, 2, "a stage that cannot start: exit 2")
ok('r.cfg:2: stage "failing": refused on purpose' in err, "its message has the config line", err)
done()
