"""The galley command: help, version, stages, check, exit statuses."""
from galleytest import ok, eq, done, run, path, tmpdir, config

status, out, err = run(["--help"])
eq(status, 0, "--help exits 0")
ok("galley run PIPELINE.cfg" in out and "Exit status" in out, "--help shows usage and exit statuses")
status, out, err = run(["--version"])
ok(status == 0 and out.startswith("galley ") and "stage ABI 1.1" in out, "--version names the ABI", out)
status, out, err = run([])
eq(status, 2, "no command: exit 2")
ok("no command" in err, "no command: says so")
status, out, err = run(["frob"])
eq(status, 2, "unknown command: exit 2")
status, out, err = run(["chek", path("pipelines", "news.cfg")])
ok('unknown command "chek" (did you mean "check"?)' in err, "unknown command: did you mean", err)
status, out, err = run(["run", path("pipelines", "news.cfg")])
eq(status, 2, "run without input: exit 2")
ok("no input" in err, "run without input: says so")

status, out, err = run(["stages"])
eq(status, 0, "stages exits 0")
for name in ("dedup", "entities", "normalize", "quotes", "stats"):
    ok(("\n" + name) in "\n" + out, "stages lists %s" % name, out)
ok("from " in out and ".la" in out, "stages says where each was loaded from")
status, out, err = run(["stages", "dedup"])
eq(status, 0, "stages dedup exits 0")
ok("threshold" in out and "number" in out and "default 0.8" in out and "allowed 0.05..1" in out,
   "stages dedup: type, default, range", out)
ok("ordered" in out, "stages dedup: concurrency")
status, out, err = run(["stages", "--markdown", "normalize"])
ok("| `form` | choice | `nfc` | nfc, nfkc |" in out, "stages --markdown: a table row", out[:400])
status, out, err = run(["stages", "nosuch"])
eq(status, 2, "stages of an unknown stage: exit 2")

status, out, err = run(["check", path("pipelines", "news.cfg")])
eq(status, 0, "check news.cfg exits 0")
ok("1. normalize" in out and "4. dedup" in out and out.rstrip().endswith("ok"), "check prints the resolved pipeline")
ok("threshold = 0.8" in out and 'action = "mark"' in out, "check prints option values in force")
status, out, err = run(["check", path("pipelines", "news.cfg")])
ok("columns =" not in out and "conll_map =" not in out and "text = true" in out,
   "check shows only the options of the output format in force (jsonl)", out)
status, out, err = run(["check", path("pipelines", "quotes-table.cfg")])
ok("columns =" in out and "layer =" in out and "conll_map =" not in out and "text = true" not in out,
   "check shows the csv options for a csv output", out)
status, out, err = run(["settings"])
ok(status == 0 and "plugin_path" in out and "title_line" in out, "settings lists the config's own settings", out)
status, out, err = run(["check", path("pipelines", "news.cfg"), "--set", "dedup.threshold=0.9",
                        "-j", "3"])
ok("threshold = 0.9" in out and "threads = 3" in out, "--set and -j override the config", out)

d = tmpdir()
bad = config(d, '{ use = "entities"; }, { use = "normalize"; }', name="order.cfg")
status, out, err = run(["check", bad])
eq(status, 2, "annotating before rewriting: exit 2")
ok('stage "normalize" rewrites the text after stage "entities" annotated it: move "normalize" before "entities"'
   in err, "annotating before rewriting: the fix", err)
done()
