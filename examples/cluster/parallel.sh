#!/bin/bash
# parallel.sh - a sharded galley run with deduplication across shards
# through GNU parallel: pass 1 on every shard, the merge, pass 2 on every
# shard. On this machine:
#
#   ./parallel.sh N WORK INPUT...
#
# or on other machines over ssh, with the inputs and WORK on a file
# system they all see at the same paths and galley on their PATH:
#
#   SSHLOGIN=8/node1,8/node2 ./parallel.sh N WORK INPUT...
#
# JOBS (default 1) is the number of shards run at once on each machine;
# each uses THREADS threads (default 0: all cores). A shard that failed
# stops the flow (--halt now,fail=1); run the script again: finished
# shards are not run again (their .done markers). The outputs:
# WORK/out/out.shard-*-of-*.jsonl, in shard order the output of one run.
set -euo pipefail
n=${1:?"usage: parallel.sh N WORK INPUT..."}
work=${2:?"usage: parallel.sh N WORK INPUT..."}
shift 2
[ "$#" -gt 0 ] || { echo "parallel.sh: no input" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
galley=${GALLEY:-galley}
mkdir -p "$work/pass1" "$work/out"
remote=()
[ -n "${SSHLOGIN:-}" ] && remote=(--sshlogin "$SSHLOGIN")
run_shards() {    # CONFIG OUTPUT INDEX INPUT...
    local cfg=$1 out=$2 index=$3
    shift 3
    parallel -q --halt now,fail=1 "${remote[@]}" --jobs "${JOBS:-1}" \
        "$galley" run "$cfg" "$@" -o "$out" -q --shard "{}/$n" \
        --set "dedup.index=$index" --set "threads=${THREADS:-0}" ::: $(seq 0 $((n - 1)))
}

run_shards "$here/pass1.cfg" "$work/pass1/out.jsonl" "$work/sigs.idx" "$@"
if [ "$n" -eq 1 ]; then
    indexes=("$work/sigs.idx")
else
    indexes=()
    for ((i = 0; i < n; i++)); do
        indexes+=("$(printf '%s/sigs.shard-%05d-of-%05d.idx' "$work" "$i" "$n")")
    done
fi
"$galley" dedup merge -o "$work/global.idx" "${indexes[@]}"
run_shards "$here/pass2.cfg" "$work/out/out.jsonl" "$work/global.idx" "$@"
