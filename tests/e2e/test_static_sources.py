"""The static galley (static/Makefile.am, built by .ci/run) lists each
built-in stage's sources again: every C file at the top of a stage's
folder must be there, or the static link fails only in CI."""
import glob
import os
from galleytest import ok, done, path

static = open(path("static", "Makefile.am"), encoding="utf-8").read()
for stage in ("stats", "normalize", "entities", "quotes", "dedup"):
    for f in sorted(glob.glob(path("plugins", stage, "*.c"))):
        name = "$(top_srcdir)/plugins/%s/%s" % (stage, os.path.basename(f))
        ok(name in static, "static/Makefile.am builds %s" % name)
done()
