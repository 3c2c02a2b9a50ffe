"""The normalize gold set must stay at its targets: boilerplate recall >=
0.95, precision >= 0.98, no body line lost, every damaged line repaired."""
import json
import os
import subprocess
import sys
from galleytest import ok, eq, done, GALLEY, SRCDIR

r = subprocess.run([sys.executable, os.path.join(SRCDIR, "eval", "evaluate.py"), "--galley", GALLEY,
                    "--gold", os.path.join(SRCDIR, "gold", "normalize-gold.jsonl"), "--json"],
                   capture_output=True, text=True)
res = json.loads(r.stdout)
eq(res["documents"], 48, "gold set read whole")
ok(res["recall"] >= 0.95, "boilerplate recall >= 0.95 (%s)" % res["recall"])
ok(res["precision"] >= 0.98, "boilerplate precision >= 0.98 (%s)" % res["precision"])
eq(res["body_lines_lost"], 0, "no body line lost")
eq(res["body_lines_not_repaired"], 0, "every damaged body line repaired")
done()
