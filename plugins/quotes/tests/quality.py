"""The quotes targets on the gold set: direct precision and recall >= 0.95,
speaker accuracy >= 0.90, partial recall >= 0.85, on both parts."""
import json
import os
import subprocess
import sys
from galleytest import ok, done, GALLEY, SRCDIR

r = subprocess.run([sys.executable, os.path.join(SRCDIR, "eval", "evaluate.py"), "--galley", GALLEY,
                    "--gold", os.path.join(SRCDIR, "gold", "quotes-gold.txt"), "--json"],
                   capture_output=True, text=True)
res = json.loads(r.stdout)
total = sum(res["all"][k]["gold"] for k in ("direct", "partial", "indirect", "scare"))
ok(total >= 300 and res["all"]["documents"] >= 40, "gold set: %d quotes in %d articles" % (total, res["all"]["documents"]))
for part in ("dev", "heldout"):
    x = res[part]
    ok(x["direct"]["precision"] >= 0.95, "%s direct precision >= 0.95 (%s)" % (part, x["direct"]["precision"]))
    ok(x["direct"]["recall"] >= 0.95, "%s direct recall >= 0.95 (%s)" % (part, x["direct"]["recall"]))
    ok(x["speaker_accuracy"] >= 0.90, "%s speaker accuracy >= 0.90 (%s)" % (part, x["speaker_accuracy"]))
    ok(x["partial"]["recall"] >= 0.85, "%s partial recall >= 0.85 (%s)" % (part, x["partial"]["recall"]))
done()
