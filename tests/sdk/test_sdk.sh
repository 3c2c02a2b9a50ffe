#!/bin/sh
# From a clean prefix to an out-of-tree stage in a pipeline, with only the
# installed files: the path docs/writing-a-stage.md walks through. TAP.
set -u
n=0
check() {   # check STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
tmp=$(mktemp -d /tmp/galley-sdk-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"

make -C "$TOP_BUILDDIR" install DESTDIR="$root" >"$tmp/install.log" 2>&1
check $? "make install DESTDIR=... installs galley"
prefix=$(sed -n 's/^prefix=//p' "$TOP_BUILDDIR/galley.pc")
inst="$root$prefix"
test -f "$inst/include/galley/stage.h" && test -f "$inst/include/galley/galley.h"
check $? "public headers installed under include/galley"
test -f "$inst/lib/pkgconfig/galley.pc"
check $? "galley.pc installed"
ls "$inst"/lib/libgalley.so.1* >/dev/null 2>&1
check $? "libgalley installed with a versioned soname"
for s in normalize entities quotes dedup stats; do
    test -f "$inst/lib/galley/stages/$s.so" && test -f "$inst/lib/galley/stages/$s.la" || exit_code=1
done
check ${exit_code:-0} "built-in stage modules installed under lib/galley/stages"
test -f "$inst/share/galley/entities/places.txt" && test -f "$inst/share/galley/normalize/boilerplate.txt"
check $? "stage data installed under share/galley"

# Build the example with nothing but the installed files.
cp -R "$TOP_SRCDIR/examples/plugin" "$tmp/plugin"
chmod -R u+w "$tmp/plugin"
export PKG_CONFIG_PATH="$inst/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
plugindir=$(pkg-config --variable=plugindir galley)
test "$plugindir" = "$root$prefix/lib/galley/stages" || test "$plugindir" = "$prefix/lib/galley/stages"
check $? "pkg-config galley gives the plugin folder ($plugindir)"
MAKEFLAGS= make -C "$tmp/plugin" >"$tmp/build.log" 2>&1 && test -f "$tmp/plugin/keywords.so"
check $? "the example stage builds against the installed SDK"
if grep -q "\.c:[0-9]*:[0-9]*: warning:" "$tmp/build.log"; then sed 's/^/# /' "$tmp/build.log"; false; fi
check $? "it builds without warnings"

# Run it in a pipeline with the installed galley.
export LD_LIBRARY_PATH="$inst/lib" GALLEY_PLUGIN_PATH="$inst/lib/galley/stages" \
       GALLEY_DATA_PATH="$inst/share/galley"
printf '{"id":"k1","text":"NATO said the cyberattack hit the Power Grid."}\n' >"$tmp/in.jsonl"
(cd "$tmp/plugin" && "$inst/bin/galley" run keywords.cfg "$tmp/in.jsonl" -q) >"$tmp/out.jsonl" 2>"$tmp/err.txt"
check $? "installed galley runs the pipeline with the example stage"
python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
doc = json.loads(open(sys.argv[1]).read())
got = [(doc["text"][k["start"]:k["end"]], k["label"]) for k in doc["keywords"]]
want = [("NATO", "keyword"), ("cyberattack", "keyword"), ("Power Grid", "keyword")]
sys.exit(0 if got == want else 1)
PY
check $? "keywords layer checked field by field"
GALLEY_PLUGIN_PATH="$tmp/plugin:$GALLEY_PLUGIN_PATH" "$inst/bin/galley" stages keywords >"$tmp/stages.txt" 2>&1 &&
    grep -q "list  *string" "$tmp/stages.txt" && grep -q "loaded from $tmp/plugin/keywords.so" "$tmp/stages.txt"
check $? "galley stages keywords shows its option table and where it was loaded from"
GALLEY_DEBUG=load GALLEY_PLUGIN_PATH="$tmp/plugin" "$inst/bin/galley" stages keywords 2>"$tmp/trace.txt" >/dev/null
grep -q "galley: load: trying" "$tmp/trace.txt"
check $? "GALLEY_DEBUG=load traces the plugin search"
echo "1..$n"
