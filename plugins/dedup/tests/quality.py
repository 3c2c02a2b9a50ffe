"""The dedup targets on a generated corpus with known copies: precision
>= 0.99 and recall >= 0.95 for copies with true Jaccard >= 0.85."""
import json
import os
import subprocess
import sys
from galleytest import ok, eq, done, GALLEY, SRCDIR, TOP_SRCDIR

r = subprocess.run([sys.executable, os.path.join(SRCDIR, "eval", "evaluate.py"), "--galley", GALLEY,
                    "--top", TOP_SRCDIR, "--docs", "6000", "--json"], capture_output=True, text=True)
res = json.loads(r.stdout)
ok(res["copies_at_0.85"] > 300, "enough copies at J >= 0.85 (%d)" % res["copies_at_0.85"])
ok(res["precision"] >= 0.99, "precision >= 0.99 (%s)" % res["precision"])
ok(res["recall_at_0.85"] >= 0.95, "recall >= 0.95 at J >= 0.85 (%s)" % res["recall_at_0.85"])
eq(res["exact_recall"], 1.0, "every exact copy found")
low = [c for c in res["curve"] if c["jaccard"] == "0.00-0.50"][0]
eq(low["found"], 0, "no copy below J 0.5 flagged")
done()
