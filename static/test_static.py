"""The static galley runs with no module files: every built-in stage is
preloaded, and says so."""
from galleytest import ok, eq, done, run

status, out, err = run(["stages"])
eq(status, 0, "stages exits 0")
for name in ("dedup", "entities", "normalize", "quotes", "stats"):
    ok(name in out, "%s is listed" % name)
ok(out.count("(preloaded)") == 5, "each one preloaded into the binary", out)
status, out, err = run(["stages", "normalize"], env={"GALLEY_DEBUG": "load"})
ok("loaded from (preloaded)" in out, "stages NAME says it was preloaded", out)
done()
