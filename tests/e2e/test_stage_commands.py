"""Stage commands (`galley STAGE COMMAND ARGS...`) and layer-field tables,
through a test module that has both (tests/modules/commander.c)."""
import os
from galleytest import ok, eq, done, run

env = {"GALLEY_PLUGIN_PATH": os.path.join(os.environ["BUILDDIR"], "modules")}

status, out, err = run(["commander", "echo", "one", "-o", "x.model", "--dev"], env=env)
eq(status, 0, "a stage command exits with its own status")
eq(out.splitlines(), ["echo", "one", "-o", "x.model", "--dev", "stage commander"],
   "the command gets its arguments, flags included, untouched by galley's own flags")
status, out, err = run(["commander", "echo", "x", "fail"], env=env)
eq(status, 2, "the command's failure status is galley's exit status")
status, out, err = run(["commander", "echo", "fast", "failed"], env=env)
eq((status, out.splitlines()), (0, ["echo", "fast", "failed", "stage commander"]),
   "only the argument \"fail\" fails the test command")
status, out, err = run(["commander", "ehco"], env=env)
eq(status, 2, "an unknown command of a stage: exit 2")
ok('no command "ehco"' in err and "galley commander echo ARGS..." in err,
   "an unknown command lists the stage's commands", err)
status, out, err = run(["commander"], env=env)
eq(status, 2, "a stage without a command: exit 2")
ok("which command?" in err, "a stage without a command asks which", err)
status, out, err = run(["stats", "train"], env=env)
eq(status, 2, "a stage that has no commands: exit 2")
ok('stage "stats" has no commands' in err, "a stage with no commands says so", err)

status, out, err = run(["stages", "commander"], env=env)
ok("fields (besides start, end and text):" in out and "words.count" in out and
   "offset or null" in out, "stages NAME lists the layer fields", out)
ok("galley commander echo ARGS..." in out, "stages NAME lists the commands", out)
status, out, err = run(["stages", "--markdown", "commander"], env=env)
ok("| `words` | `head` | offset or null | where the head word starts |" in out,
   "stages --markdown: a field row", out)
ok("- `galley commander echo ARGS...`: prints its arguments" in out,
   "stages --markdown: a command row", out)
done()
