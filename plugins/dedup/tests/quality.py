"""The dedup targets on generated corpora with known copies, of full
articles and of short ones (fewer shingles than MinHash values): pairwise
precision >= 0.99, recall >= 0.95 for copies with true Jaccard >= 0.85,
every exact copy found, and at most 1% of the marked pairs truly below the
threshold (0.8) by more than 0.05, none below 0.5."""
import json
import os
import subprocess
import sys
from galleytest import ok, eq, done, GALLEY, SRCDIR, TOP_SRCDIR

for kind, extra in (("articles", []), ("short articles", ["--short"])):
    r = subprocess.run([sys.executable, os.path.join(SRCDIR, "eval", "evaluate.py"), "--galley", GALLEY,
                        "--top", TOP_SRCDIR, "--docs", "6000", "--json"] + extra,
                       capture_output=True, text=True)
    res = json.loads(r.stdout)
    ok(res["copies_at_0.85"] > 300, "%s: enough copies at J >= 0.85 (%d)" % (kind, res["copies_at_0.85"]))
    ok(res["precision"] >= 0.99, "%s: precision >= 0.99 (%s)" % (kind, res["precision"]))
    ok(res["recall_at_0.85"] >= 0.95, "%s: recall >= 0.95 at J >= 0.85 (%s)" % (kind, res["recall_at_0.85"]))
    eq(res["exact_recall"], 1.0, "%s: every exact copy found" % kind)
    below = res["flagged_below_threshold_minus_0.05"]
    ok(below <= 0.01 * res["predicted"], "%s: at most 1%% of marked pairs below J 0.75 (%d of %d)"
       % (kind, below, res["predicted"]))
    eq(res["flagged_below_0.5"], 0, "%s: no marked pair below J 0.5" % kind)
    low = [c for c in res["curve"] if c["jaccard"] == "0.00-0.50"][0]
    eq(low["found"], 0, "%s: no copy below J 0.5 marked as a copy of its original" % kind)
done()
