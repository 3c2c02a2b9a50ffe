#!/bin/sh
# same-output.sh - proves a change kept galley's output byte for byte:
# builds REF (default HEAD) in a scratch worktree, runs the news pipeline
# (JSONL, one and two threads) and the who-said-what table (CSV) of both
# builds over the bench corpus, the bundled sample, the normalize gold
# set, the seed articles and the PolNeAR dev texts when present, and
# compares the outputs. Prints one line per input and exits 1 on any
# difference.
#
#     bench/same-output.sh [REF]      # from the top of a built tree
set -u
ref=${1:-HEAD}
top=$(cd "$(dirname "$0")/.." && pwd)
work=${SAME_OUTPUT_WORK:-$top/bench/work/same-output}
new=$top/core/galley
[ -x "$new" ] || { echo "same-output: build the tree first ($new)" >&2; exit 2; }

rm -rf "$work/ref" && mkdir -p "$work"
git -C "$top" worktree prune
git -C "$top" worktree add --detach "$work/ref" "$ref" >/dev/null 2>&1 ||
    { echo "same-output: cannot check out $ref" >&2; exit 2; }
( cd "$work/ref" && ./autogen.sh >/dev/null 2>&1 &&
  ./configure --enable-silent-rules >/dev/null 2>&1 && make -j"$(nproc)" >/dev/null 2>&1 ) ||
    { echo "same-output: $ref does not build" >&2; exit 2; }
old=$work/ref/core/galley

corpus=$top/bench/work/corpus-5000.jsonl.gz
[ -f "$corpus" ] || python3 "$top/bench/gen-corpus.py" --docs 5000 --seed 7 --out "$corpus"
inputs="$corpus $top/examples/sample.jsonl.gz $top/plugins/normalize/gold/normalize-gold.jsonl"
[ -d "$top/../shared/seeds" ] && inputs="$inputs $top/../shared/seeds"
[ -d "$top/../shared/corpora/polnear/dev/text" ] && inputs="$inputs $top/../shared/corpora/polnear/dev/text"

status=0
for input in $inputs; do
    for run in "news.cfg -j 1" "news.cfg -j 2" "quotes-table.cfg -j 2"; do
        set -- $run
        cfg=$1; shift
        "$old" run "$top/pipelines/$cfg" "$input" "$@" --quiet > "$work/old.out" 2>/dev/null
        "$new" run "$top/pipelines/$cfg" "$input" "$@" --quiet > "$work/new.out" 2>/dev/null
        if cmp -s "$work/old.out" "$work/new.out"; then
            echo "same  $(basename "$input") $cfg $* ($(wc -c < "$work/new.out") bytes)"
        else
            echo "DIFF  $(basename "$input") $cfg $*"
            status=1
        fi
    done
done
git -C "$top" worktree remove --force "$work/ref"
exit $status
