"""The entities targets on the gold set: F1 >= 0.85 overall and for each of
PERSON, ORG and LOC, on every part (generated dev, generated held-out with
names no dictionary has, hand-annotated)."""
import json
import os
import subprocess
import sys
from galleytest import ok, done, GALLEY, SRCDIR

r = subprocess.run([sys.executable, os.path.join(SRCDIR, "eval", "evaluate.py"), "--galley", GALLEY,
                    "--gold", os.path.join(SRCDIR, "gold", "entities-gold.txt"),
                    "--gold", os.path.join(SRCDIR, "gold", "entities-hand.txt"), "--json"],
                   capture_output=True, text=True)
res = json.loads(r.stdout)
ok(res["all"]["ALL"]["gold"] >= 800, "at least 800 gold mentions (%d)" % res["all"]["ALL"]["gold"])
for part in ("dev", "heldout", "hand"):
    for t in ("ALL", "PERSON", "ORG", "LOC"):
        f1 = res[part][t]["f1"]
        ok(f1 >= 0.85, "%s %s F1 >= 0.85 (%s)" % (part, t, f1))
done()
