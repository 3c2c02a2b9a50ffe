"""The stage reference in docs/stages.md is generated from the option
tables; this fails when it is out of date. Regenerate with
`core/galley stages --markdown > docs/stages.md`."""
import difflib
from galleytest import ok, eq, done, run, path

status, out, err = run(["stages", "--markdown"])
eq(status, 0, "galley stages --markdown exits 0")
doc = open(path("docs", "stages.md"), encoding="utf-8").read()
diff = "".join(difflib.unified_diff(doc.splitlines(True), out.splitlines(True), "docs/stages.md", "generated"))
ok(doc == out, "docs/stages.md matches the option tables", diff[:3000])
for stage in ("normalize", "entities", "quotes", "dedup", "stats"):
    ok("## %s " % stage in doc, "docs/stages.md documents %s" % stage)
status, out, err = run(["settings", "--markdown"])
eq(status, 0, "galley settings --markdown exits 0")
doc = open(path("docs", "settings.md"), encoding="utf-8").read()
diff = "".join(difflib.unified_diff(doc.splitlines(True), out.splitlines(True), "docs/settings.md", "generated"))
ok(doc == out, "docs/settings.md matches the settings tables (galley settings --markdown > docs/settings.md)",
   diff[:3000])
for key in ("threads", "plugin_path", "text_field", "title_line", "shard_size", "conll_map", "columns"):
    ok(("| `%s` |" % key) in doc, "docs/settings.md documents %s" % key)
man = open(path("docs", "galley.1"), encoding="utf-8").read()
ok(".TH GALLEY 1" in man and "shard" in man and "EXIT STATUS" in man, "the man page documents the command")
done()
