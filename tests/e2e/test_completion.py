"""Bash completion (completion/galley): what TAB offers after each part of
a command line, with the built galley answering the completion's
questions (its stages, their options and commands, a pipeline's
instances). Each case runs the completion function in a fresh bash, as
bash does when TAB is pressed at the end of the line."""
import os
import shutil
import subprocess
from galleytest import ok, eq, skip, done, path, run, tmpdir, write, GALLEY

SCRIPT = path("completion", "galley")
COMMANDER = {"GALLEY_PLUGIN_PATH": os.path.join(os.environ.get("BUILDDIR", "."), "modules")}


def complete(line, env=None):
    """The words the completion offers for `line` (the cursor at its end),
    as bash would put them in place of the part after the last = or :."""
    words = line.split()
    if line.endswith(" "):
        words.append("")
    shell = ('source "$SCRIPT"; COMP_LINE="$LINE"; COMP_POINT=${#LINE}; read -ra COMP_WORDS <<<"$LINE"; '
             'COMP_CWORD=%d; [[ $LINE == *" " ]] && COMP_WORDS+=(""); _galley; '
             'printf "%%s\\n" "${COMPREPLY[@]}"' % (len(words) - 1))
    full_env = dict(os.environ, SCRIPT=SCRIPT, LINE=line)
    full_env.pop("GALLEY_PLUGIN_PATH", None)
    full_env.update(env or {})
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", shell], capture_output=True,
                       text=True, env=full_env, timeout=60)
    return sorted(w for w in p.stdout.split("\n") if w)


if not shutil.which("bash"):
    skip("bash completion", "no bash on this machine")
    done()

G = GALLEY
status, out, err = run(["stages"])
stages = sorted(line.split()[0] for line in out.splitlines() if line and not line[0].isspace())
ok({"dedup", "entities", "normalize", "quotes", "stats"} <= set(stages), "galley stages lists the built-in stages", out)
basics = {"run", "check", "stages", "--help", "--version"}
first = set(complete(G + " "))
ok(basics <= first, "the commands", first)
for extra in sorted(first - basics):
    ok(extra in stages and "commands:" in run(["stages", extra])[1],
       "offered as a command: %s, a stage with commands of its own" % extra)
ok("stats" not in first, "a stage without commands is not offered as a command")
eq(complete(G + " st"), ["stages"], "a command completes from its start")
eq(complete(G + " stages "), stages, "galley stages: the stages on the plugin path")
eq(complete(G + " stages --m"), ["--markdown"], "galley stages: its flag")
eq(set(complete(G + " ", env=COMMANDER)) - first, {"commander"},
   "a stage with commands is offered as a command (galley STAGE COMMAND)")
eq(complete(G + " commander ", env=COMMANDER), ["echo"], "galley STAGE: the stage's commands")
eq(complete(G + " stages comm", env=COMMANDER), ["commander"], "galley stages: modules on GALLEY_PLUGIN_PATH too")

d = tmpdir()
cfg = write(d, "pipe.cfg", 'stages = ( { use = "normalize"; }, { use = "dedup"; name = "strict"; } );\n')
write(d, "notes.txt", "not a pipeline\n")
eq(complete(G + " run " + d + "/"), [cfg], "galley run: the pipeline is a .cfg file")
eq(complete(G + " check " + d + "/p"), [cfg], "galley check: the pipeline is a .cfg file")
eq(complete(G + " run " + cfg + " " + d + "/n"), [d + "/notes.txt"], "galley run: inputs are any files")
eq(complete(G + " run " + cfg + " --s"), ["--set", "--shard-size", "--stats"], "galley run: its flags")
eq(complete(G + " check " + cfg + " --"), ["--help", "--set"], "galley check: its flags")
eq(complete(G + " run " + cfg + " --set "),
   ["input.", "normalize.", "output.", "strict.", "threads="],
   "--set: the pipeline's instances (a named one by its name), input, output, threads")
eq(complete(G + " run " + cfg + " --set str"), ["strict."], "--set: an instance completes from its start")
eq(complete(G + " run " + cfg + " --set strict.th"), ["strict.threshold="],
   "--set: the options of the instance's stage (strict is a dedup)")
eq(complete(G + " run " + cfg + " -s strict.action="), ["drop", "mark"],
   "--set: the values a choice option allows (after the =, as bash inserts them)")
eq(complete(G + " run " + cfg + " -s normalize.keep_removed="), ["false", "true"],
   "--set: a bool option's values")
eq(complete(G + " run " + cfg + " --set normalize.form=nf"), ["nfc", "nfkc"],
   "--set: values complete from their start")
ok("output.format=" in complete(G + " run " + cfg + " --set output.f"), "--set: output options")
ok("input.text_field=" in complete(G + " check " + cfg + " --set input.t"), "--set: input options")
eq(complete(G + " run " + cfg + " --set nosuch.x"), [], "--set: an unknown instance offers nothing")
eq(complete(G + " run " + d + "/missing.cfg --set "), [], "--set without a readable pipeline offers nothing")
done()
