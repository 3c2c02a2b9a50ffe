"""The loader (issue 13, items 7 and 8): a truncated, empty or foreign file
named like a module is refused with a reason instead of crashing galley; a
plugin folder or module others may write to is warned about; a built-in stage
wins over a same-named module on plugin_path unless the config says it is
replaced."""
import os
import shutil
from galleytest import ok, eq, done, run, tmpdir, write, path

d = tmpdir()
mods = os.path.join(d, "mods")
os.mkdir(mods, 0o755)
real = os.path.join(os.environ["TOP_BUILDDIR"], "plugins", "stats", ".libs", "stats.so")
data = open(real, "rb").read()
with open(os.path.join(mods, "trunc.so"), "wb") as f:
    f.write(data[:len(data) // 2])
write(mods, "empty.so", "")
write(mods, "text.so", "this is not a module\n")
write(mods, "bogus.la", "# not libtool either\n")
inp = write(d, "in.jsonl", '{"id": "1", "text": "x"}\n')


def cfg(use, extra=""):
    return write(d, use + ".cfg", 'plugin_path = ["mods"];\nstages = ( { use = "%s"; %s } );\n' % (use, extra))


for use, why in (("trunc", "truncated"), ("empty", "the file is empty"),
                 ("text", "not an ELF shared object"), ("bogus", "not a libtool module file")):
    status, out, err = run(["run", cfg(use), inp])
    eq(status, 2, "%s module: exit 2, no crash" % use)
    ok("not a loadable module" in err and why in err, "%s module: says why (%s)" % (use, why), err)

# A module others can write to is warned about, in run and in check.
shutil.copy(os.path.join(os.environ["BUILDDIR"], "modules", ".libs", "commander.so"),
            os.path.join(mods, "commander.so"))
os.chmod(os.path.join(mods, "commander.so"), 0o666)
status, out, err = run(["check", cfg("commander")])
eq(status, 0, "a writable module still loads")
ok("warning:" in err and "commander.so can be written by others" in err, "check warns about it", err)
os.chmod(os.path.join(mods, "commander.so"), 0o644)
os.chmod(mods, 0o777)
status, out, err = run(["check", cfg("commander")])
ok("mods can be written by others" in err, "check warns about a writable plugin folder", err)
os.chmod(mods, 0o755)
status, out, err = run(["check", cfg("commander")])
ok("warning" not in err, "no warning for a folder and module only the owner writes", err)

# A module named like a built-in stage does not replace it, unless asked.
shutil.copy(os.path.join(mods, "commander.so"), os.path.join(mods, "stats.so"))
status, out, err = run(["check", cfg("stats")])
eq(status, 0, "the built-in stats wins over mods/stats.so")
ok(os.path.join("plugins", "stats") in out and "mods/stats.so" not in out, "check says where it came from", out)
status, out, err = run(["check", cfg("stats", "replaces_builtin = true;")])
eq(status, 2, "replaces_builtin = true loads mods/stats.so (here a wrong one)")
ok("mods/stats.so" in err and "not a galley stage" in err, "...and says so", err)
done()
