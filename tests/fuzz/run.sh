#!/bin/sh
# run.sh - runs each fuzz target for a bounded time, starting from its
# seed corpus (corpus/TARGET), and fails on any crash, leak, timeout or
# memory blow-up. Inputs that fail are kept in BUILDDIR/findings/; the
# corpus in the source tree is only read.
#
#   run.sh [-t SECONDS] [-b BUILDDIR] [TARGET...]
#
#   -t  seconds per target (default 35)
#   -b  the folder with the fuzz_TARGET programs (default: this one)
#   TARGET  readers config normalize entities quotes dedup stats (default all)
#
# Built by make fuzz in a tree configured with --enable-fuzz; make fuzz-run
# builds and runs them. Ends with "fuzz: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
seconds=35
build=$here
while getopts t:b: opt; do
    case $opt in
    t) seconds=$OPTARG ;;
    b) build=$OPTARG ;;
    *) echo "usage: $0 [-t SECONDS] [-b BUILDDIR] [TARGET...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
targets=${*:-readers config normalize entities quotes dedup stats}

# Per target: the longest input tried and the dictionary of tokens.
max_len() {
    case $1 in
    readers) echo 32768 ;;
    config) echo 4096 ;;
    *) echo 8192 ;;
    esac
}
# libconfig leaks on many syntax errors (fuzz_util.c): libFuzzer would then
# scan the heap for leaks after most config inputs, 30 times slower. So
# the config target fuzzes without leak checks and then runs every input
# it kept, and the seeds, once more with them.
leaks_after() {
    [ "$1" = config ]
}
dict() {
    case $1 in
    readers | config) echo "$here/dict/$1.dict" ;;
    *) echo "$here/dict/text.dict" ;;
    esac
}

# The targets write each input to a file: in memory (/dev/shm) when there.
scratch=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch=/dev/shm
work=$(mktemp -d "$scratch/galley-fuzz-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
findings=$build/findings
mkdir -p "$findings"
# The sanitizers as in CI (the leaks of system libraries that galley cannot
# free are listed in fuzz_util.c, with the reason).
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

passed=0 failed=0 total=0
start=$(date +%s)
for t in $targets; do
    bin=$build/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "fuzz: $t: $bin is not built (make fuzz, in a tree configured with --enable-fuzz)"
        failed=$((failed + 1))
        continue
    fi
    mkdir -p "$work/$t" "$work/tmp-$t"
    log=$work/$t.log
    # New inputs go to the scratch folder (first); the seeds are only read.
    leaks=1
    leaks_after "$t" && leaks=0
    TMPDIR=$work/tmp-$t "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" -dict="$(dict "$t")" -print_final_stats=1 \
        -detect_leaks=$leaks -artifact_prefix="$findings/$t-" "$work/$t" "$here/corpus/$t" \
        >"$log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && [ "$leaks" -eq 0 ]; then
        TMPDIR=$work/tmp-$t "$bin" -runs=0 -timeout=10 -detect_leaks=1 \
            -artifact_prefix="$findings/$t-" "$work/$t" "$here/corpus/$t" >"$log.leaks" 2>&1
        rc=$?
        [ "$rc" -eq 0 ] || cat "$log.leaks" >>"$log"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
    total=$((total + ${runs:-0}))
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        echo "fuzz: $t: ok, ${runs:-0} runs (${rate:-0}/s), ${cov:-no coverage}, peak ${rss:-?} MB"
    else
        failed=$((failed + 1))
        echo "fuzz: $t: FAILED (exit $rc) after ${runs:-?} runs; the input is in $findings:"
        grep -v -E '^#[0-9]+|^INFO:|^  "|^"|Uses: [0-9]+' "$log" | tail -n 60 | sed 's/^/    /'
    fi
done
echo "fuzz: $total runs in $(($(date +%s) - start)) s"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
