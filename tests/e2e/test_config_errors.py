"""Config errors: each message has the file, the line and the fix; all of
them are reported at once; exit status 2; nothing runs."""
from galleytest import ok, eq, done, run, tmpdir, write

d = tmpdir()
inc = write(d, "common.cfg", 'stages = ( { use = "dedup"; treshold = 0.9; } );\n')
cases = [
    ("syntax.cfg", 'name = "x";\nstages = ( { use = "stats" } \n', ["syntax.cfg:3: syntax error"]),
    ("unknown-stage.cfg", 'stages = (\n  { use = "dedupe"; }\n);\n',
     ['unknown-stage.cfg:2: unknown stage "dedupe" (did you mean "dedup"?)']),
    ("unknown-option.cfg", 'stages = (\n  { use = "normalize"; },\n  { use = "dedup"; treshold = 0.9; }\n);\n',
     ['unknown-option.cfg:3: stage "dedup": unknown option "treshold" (did you mean "threshold"?)']),
    ("wrong-type.cfg", 'stages = ( { use = "dedup";\n threshold = "high"; } );\n',
     ['wrong-type.cfg:2: stage "dedup": option "threshold" must be a number, got a string (write threshold = 0.8;)']),
    ("range.cfg", 'stages = ( { use = "dedup"; threshold = 1.5; } );\n',
     ['range.cfg:1: stage "dedup": option "threshold" must be between 0.05 and 1, got 1.5']),
    ("top.cfg", 'thread = 2;\nstages = ( { use = "stats"; } );\n',
     ['top.cfg:1: unknown setting "thread" (did you mean "threads"?)']),
    ("section.cfg", 'output = { format = "jsonn"; };\nstages = ( { use = "stats"; } );\n',
     ['section.cfg:1: section "output": option "format": unknown value "jsonn" (did you mean "jsonl"?)']),
    ("no-use.cfg", 'stages = ( { threshold = 1; } );\n',
     ['no-use.cfg:1: stage without "use"']),
    ("include.cfg", '@include "common.cfg"\n', ['common.cfg:1: stage "dedup": unknown option "treshold"']),
    ("many.cfg", 'stages = (\n { use = "stats"; leters = true; },\n { use = "nosuch"; },\n'
                 ' { use = "dedup"; action = "delete"; }\n);\n',
     ['many.cfg:2: stage "stats": unknown option "leters" (did you mean "letters"?)',
      'many.cfg:3: unknown stage "nosuch"',
      'many.cfg:4: stage "dedup": option "action": unknown value "delete" (allowed: mark, drop)']),
    ("twice.cfg", 'stages = ( { use = "stats"; }, { use = "stats"; } );\n',
     ['a second stage named "stats": give one a name = "..." of its own']),
]
inp = write(d, "in.jsonl", '{"id":"1","text":"x"}\n')
for name, text, wants in cases:
    cfg = write(d, name, text)
    status, out, err = run(["run", cfg, inp])
    eq(status, 2, "%s: exit 2" % name)
    for w in wants:
        ok(w in err, "%s: %s" % (name, w), err)
    eq(out, "", "%s: nothing written" % name)
status, out, err = run(["check", write(d, "ok.cfg", 'stages = ( { use = "stats"; } );\n'),
                        "--set", "stats.leters=1", "--set", "nosuch.x=1"])
ok('--set stats.leters=1: stage "stats": unknown option "leters" (did you mean "letters"?)' in err and
   '--set nosuch.x=1: the pipeline has no stage named "nosuch"' in err, "--set errors", err)
named = write(d, "named.cfg", 'stages = ( { use = "dedup"; name = "strict"; }, '
                              '{ use = "dedup"; name = "loose"; } );\n')
status, out, err = run(["check", named, "--set", "dedup.threshold=0.9"])
ok(status == 2 and 'no stage named "dedup" (its stages: strict, loose;' in err,
   "--set with a module name lists the instance names", err)
status, out, err = run(["check", named, "--set", "threads=x"])
ok(status == 2 and '--set threads=x: option "threads" must be an integer' in err, "--set threads checked by its table", err)
status, out, err = run(["check", named, "--set", "thraeds=2"])
ok(status == 2 and 'unknown setting "thraeds" (did you mean "threads"?)' in err, "--set of an unknown setting", err)
status, out, err = run(["run", write(d, "threads.cfg", 'threads = 5000;\nstages = ( { use = "stats"; } );\n'), inp])
ok(status == 2 and 'threads.cfg:1: option "threads" must be between 0 and 1024' in err, "threads range", err)
status, out, err = run(["run", d + "/missing.cfg", inp])
ok(status == 2 and "missing.cfg: cannot read the pipeline config: No such file or directory" in err,
   "missing config", err)
done()
