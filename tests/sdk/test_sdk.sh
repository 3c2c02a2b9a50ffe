#!/bin/sh
# The plugin author's story of docs/writing-a-stage.md, with nothing but an
# installed galley. A copy of this build tree, built as it is for its own
# prefix (./bootstrap builds for /usr/local), is configured for another
# prefix and installed there, as section 1 says: `./configure
# --prefix=$HOME/galley && make install` (with this build's own configure
# options, so that a sanitizer build stays one). Then the commands the
# tutorial marks with <!-- sdk-test: NAME --> are taken out of the
# installed tutorial and run as they are written: they build the example
# stage three ways (its Makefile, libtool by hand, plain cc), run it, and
# install it. TAP.
set -u
n=0
check() {   # check STATUS DESCRIPTION [LOG]: a failed check shows the log's tail
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        [ $# -ge 3 ] && [ -f "$3" ] && tail -n 25 "$3" | sed 's/^/# /'
    fi
}
skip() {    # skip DESCRIPTION REASON
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}
tmp=$(mktemp -d /tmp/galley-sdk-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# Nothing from the build tree may help the installed galley find its
# parts, and the nested makes must not join make check's jobs.
unset LD_LIBRARY_PATH GALLEY_PLUGIN_PATH GALLEY_DATA_PATH GALLEY_DEBUG MAKEFLAGS MFLAGS MAKELEVEL
export HOME="$tmp/home"
mkdir -p "$HOME" "$tmp/tree" "$tmp/work"
prefix="$HOME/galley"

# ---- Install to a new prefix, after an earlier build -------------------------

old_prefix=$(sed -n 's/^prefix=//p' "$TOP_BUILDDIR/galley.pc")
# The copy keeps the source and build folders where they are to each other
# (the dependency files name sources by relative paths): in place, the
# one tree; out of tree (make distcheck), both, under the folder that
# holds them. Not .git, nor the copies .ci/run makes under _build.
src=$(cd "$TOP_SRCDIR" && pwd -P)
build=$(cd "$TOP_BUILDDIR" && pwd -P)
root=$src
while [ -n "$root" ]; do
    case $build/ in "$root"/*) break ;; esac
    root=${root%/*}
done
srcrel=${src#"$root"}
buildrel=${build#"$root"}
copy="./${srcrel#/}"
case $build/ in "$src"/*) ;; *) copy="$copy ./${buildrel#/}" ;; esac
skip_build=--exclude=./${srcrel#/}${srcrel:+/}_build
case $build/ in "$src"/_build/*) skip_build= ;; esac
(cd "${root:-/}" && tar --exclude=.git $skip_build -cf - $copy 2>/dev/null) | tar -C "$tmp/tree" -xf - 2>/dev/null
configure="$tmp/tree$srcrel/configure"
eval "set -- $("$TOP_BUILDDIR/config.status" --config)"
for a do
    shift
    case $a in --prefix=* | --srcdir=*) ;; *) set -- "$@" "$a" ;; esac
done
(cd "$tmp/tree$buildrel" && "$configure" "$@" --prefix="$prefix" && make install) >"$tmp/install.log" 2>&1
check $? "configure --prefix=\$HOME/galley && make install, in a tree built for $old_prefix" "$tmp/install.log"

test -f "$prefix/include/galley/stage.h" && test -f "$prefix/include/galley/galley.h"
check $? "public headers installed under include/galley"
test -f "$prefix/lib/pkgconfig/galley.pc"
check $? "galley.pc installed"
ls "$prefix"/lib/libgalley.so.1* >/dev/null 2>&1
check $? "libgalley installed with a versioned soname"
missing=0
for s in normalize entities quotes dedup stats; do
    test -f "$prefix/lib/galley/stages/$s.so" && test -f "$prefix/lib/galley/stages/$s.la" || missing=1
done
check $missing "built-in stage modules installed under lib/galley/stages"
test -f "$prefix/share/galley/entities/places.txt" && test -f "$prefix/share/galley/normalize/boilerplate.txt" &&
    test -f "$prefix/share/galley/pipelines/news.cfg"
check $? "stage data and pipelines installed under share/galley"
docdir="$prefix/share/doc/galley"
missing=0
for f in README.md writing-a-stage.md stages.md abi.md settings.md model.md entities-model.md \
         attribution.md cluster.md \
         examples/plugin/Makefile examples/plugin/keywords.c examples/plugin/keywords.cfg \
         examples/plugin/beat.txt examples/plugin/articles.jsonl; do
    test -f "$docdir/$f" || { echo "# missing $docdir/$f"; missing=1; }
done
check $missing "docs and the example stage installed under share/doc/galley"
grep -q "$docdir" "$prefix/share/man/man1/galley.1" && ! grep -q "source tree" "$prefix/share/man/man1/galley.1"
check $? "the installed man page points at the installed docs ($docdir)"
compdir=$(pkg-config --define-variable=prefix="$prefix" --variable=completionsdir bash-completion 2>/dev/null)
[ -n "$compdir" ] || compdir="$prefix/share/bash-completion/completions"
test -f "$compdir/galley"
check $? "bash completion installed where bash-completion loads it ($compdir)"

"$prefix/bin/galley" stages >"$tmp/stages.txt" 2>&1 &&
    [ "$(grep -c "from $prefix/lib/galley/stages/" "$tmp/stages.txt")" -eq 5 ]
check $? "the installed galley finds its library and its five stages with no help from the environment" "$tmp/stages.txt"
"$prefix/bin/galley" run "$prefix/share/galley/pipelines/news.cfg" "$TOP_SRCDIR/examples/sample.jsonl.gz" \
    -o "$tmp/news.jsonl" -q 2>"$tmp/news.err" && [ "$(wc -l <"$tmp/news.jsonl")" -eq 8 ]
check $? "the installed galley runs the installed news pipeline on the sample (8 documents)" "$tmp/news.err"

(cd "$tmp/tree$buildrel" && make install DESTDIR="$tmp/stage") >"$tmp/destdir.log" 2>&1 &&
    test -f "$tmp/stage$prefix/bin/galley" && test -f "$tmp/stage$prefix/lib/galley/stages/stats.so"
check $? "make install DESTDIR=... stages the same files under DESTDIR (for packagers)" "$tmp/destdir.log"

# ---- The tutorial's commands, as written ---------------------------------------

tutorial="$docdir/writing-a-stage.md"
# The indented block that follows <!-- sdk-test: NAME -->, unindented.
block() {
    awk -v marker="<!-- sdk-test: $1 -->" '
        $0 == marker { on = 1; next }
        on && /^    / { print substr($0, 5); got = 1; next }
        on && /^$/ && !got { next }
        on { exit }' "$tutorial" >"$tmp/$1.sh"
    test -s "$tmp/$1.sh"
}
for b in env copy make libtool cc run install; do
    block "$b"
    check $? "the tutorial has the commands \"$b\""
done
here="$tmp/work/keywords"
# run_block NAME: the block's commands in the example's folder, traced.
run_block() {
    (cd "$here" && sh -e -x "$tmp/$1.sh") >"$tmp/$1.log" 2>&1
}
clean_example() {
    (cd "$here" && rm -rf .libs keywords.la keywords.lo keywords.o keywords.so tagged.jsonl)
}
# The tagged articles, checked field by field.
check_tagged() {
    python3 - "$here/tagged.jsonl" <<'PY'
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1])]
got = [(d["id"], [(d["text"][k["start"]:k["end"]], k["text"], k["label"]) for k in d.get("keywords", [])])
       for d in docs]
want = [("kw-1", [("NATO", "NATO", "keyword"), ("cyberattack", "cyberattack", "keyword"),
                  ("power grid", "power grid", "keyword")]),
        ("kw-2", [])]
if got != want:
    print("# got  %r\n# want %r" % (got, want))
sys.exit(0 if got == want else 1)
PY
}
# Build with BLOCK, then run the "run" block: it loads what was built.
build_and_run() {   # build_and_run BLOCK WHAT_IT_MAKES
    clean_example
    run_block "$1"
    check $? "\"$1\": builds $2 against the installed SDK" "$tmp/$1.log"
    test -f "$here/$2" && ! grep -q "\.c:[0-9]*:[0-9]*: warning:" "$tmp/$1.log"
    check $? "\"$1\": $2 is there, built without warnings" "$tmp/$1.log"
    run_block run && grep -q "loaded from .*$2" "$tmp/run.log" &&
        grep -q "list  *string" "$tmp/run.log" && grep -q "keywords.label  *string" "$tmp/run.log" &&
        grep -q "galley keywords check LIST" "$tmp/run.log"
    check $? "\"run\" after \"$1\": galley stages keywords shows $2, its options, fields and command" "$tmp/run.log"
    check_tagged
    check $? "\"run\" after \"$1\": the keywords layer of each article, field by field" "$tmp/run.log"
}

. "$tmp/env.sh"
check $? "\"env\": the shell finds the installed galley and pkg-config the SDK"
test "$(command -v galley)" = "$prefix/bin/galley" &&
    test "$(pkg-config --variable=plugindir galley)" = "$prefix/lib/galley/stages"
check $? "\"env\": galley is $prefix/bin/galley, pkg-config's plugindir is under the prefix"
(cd "$tmp/work" && sh -e -x "$tmp/copy.sh") >"$tmp/copy.log" 2>&1 && test -f "$here/keywords.c"
check $? "\"copy\": the example comes out of the installed docs" "$tmp/copy.log"
if command -v libtool >/dev/null 2>&1; then
    build_and_run make keywords.la
    build_and_run libtool keywords.la
else
    for b in make libtool; do
        skip "\"$b\": builds the example with libtool" "no libtool command (Debian package libtool-bin; ./bootstrap installs it)"
    done
fi
build_and_run cc keywords.so
if command -v libtool >/dev/null 2>&1; then
    clean_example
    run_block install && grep -q "loaded from $prefix/lib/galley/stages/keywords.la" "$tmp/install.log" &&
        grep -q "^beat.txt: 3 keywords" "$tmp/install.log"
    check $? "\"install\": the stage installs beside the built-in ones; its command runs" "$tmp/install.log"
else
    skip "\"install\": the stage installs beside the built-in ones" "no libtool command (Debian package libtool-bin)"
fi
# The installed stages' folder is searched before GALLEY_PLUGIN_PATH (a
# built-in name cannot be taken over from there): the trace shows it.
GALLEY_DEBUG=load GALLEY_PLUGIN_PATH="$here" galley stages keywords 2>"$tmp/trace.txt" >/dev/null
grep -q "galley: load: trying .*/keywords" "$tmp/trace.txt" &&
    grep -q 'galley: load: stage "keywords" loaded from' "$tmp/trace.txt"
check $? "GALLEY_DEBUG=load traces the plugin search" "$tmp/trace.txt"
echo "1..$n"
