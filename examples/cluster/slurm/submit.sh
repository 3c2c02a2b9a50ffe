#!/bin/bash
# submit.sh - a sharded galley run with deduplication across shards on
# Slurm: pass 1 as a job array, the merge once pass 1 has succeeded on
# every shard (--dependency=afterok), pass 2 as a second array once the
# merge has succeeded. Prints the three job ids.
#
#   GALLEY_WORK=/shared/run1 ./submit.sh N INPUT...
#
# Extra sbatch options (a partition, an account, --cpus-per-task) go in
# SBATCH_OPTIONS; GALLEY_CONFIGS names another folder of pass1.cfg and
# pass2.cfg (default: examples/cluster, beside this script). The outputs: $GALLEY_WORK/out/out.shard-*-of-*.jsonl,
# which concatenated in shard order are the output of one run.
set -euo pipefail
n=${1:?"usage: submit.sh N INPUT..."}
shift
[ "$#" -gt 0 ] || { echo "submit.sh: no input" >&2; exit 2; }
export GALLEY_SHARDS=$n
: "${GALLEY_WORK:?set GALLEY_WORK to a folder every node sees}"
here=$(cd "$(dirname "$0")" && pwd)
export GALLEY_CONFIGS=${GALLEY_CONFIGS:-$(cd "$here/.." && pwd)}
mkdir -p "$GALLEY_WORK/logs"
# shellcheck disable=SC2086
# A step whose dependency failed is cancelled, not left pending forever.
opts=(--parsable --kill-on-invalid-dep=yes --output="$GALLEY_WORK/logs/%x-%A_%a.log" ${SBATCH_OPTIONS:-})
sign=$(sbatch "${opts[@]}" --job-name=galley-sign --array="0-$((n - 1))" \
    "$here/galley.sbatch" sign "$@")
merge=$(sbatch "${opts[@]}" --output="$GALLEY_WORK/logs/%x-%j.log" --job-name=galley-merge --dependency="afterok:${sign%%;*}" \
    "$here/galley.sbatch" merge)
apply=$(sbatch "${opts[@]}" --job-name=galley-apply --dependency="afterok:${merge%%;*}" \
    --array="0-$((n - 1))" "$here/galley.sbatch" apply "$@")
echo "${sign%%;*} ${merge%%;*} ${apply%%;*}"
