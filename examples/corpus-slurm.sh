#!/usr/bin/env bash
# A test corpus on a Slurm cluster: one array task per shard, then one dependent job that
# merges the shards in order and verifies the result.
#
#   sbatch --array=1-64 examples/corpus-slurm.sh            # 64 shards
#   sbatch --dependency=afterok:<array job id> --export=ALL,MERGE=1 examples/corpus-slurm.sh
#
# Shard K of M holds the contiguous document indexes (K-1)*N/M .. K*N/M-1, so the
# shards concatenated in order 1..M equal the unsharded corpus byte for byte. A task
# that is preempted or requeued resumes its shard from its .partial file.
#
#SBATCH --job-name=speechgen-corpus
#SBATCH --cpus-per-task=2
#SBATCH --mem=512M
#SBATCH --time=01:00:00
#SBATCH --requeue
#SBATCH --output=corpus-%A_%a.log
set -euo pipefail

COUNT=${COUNT:-1000000}
SEED=${SEED:-1}
OUT=${OUT:-$PWD/corpus.jsonl}   # on a file system every node sees
PARTS=${PARTS:-${OUT%.jsonl}.parts}
SPEECHGEN=${SPEECHGEN:-speechgen}
# The same options for every shard and for --verify (--packs, --localities, --lengths …).
read -r -a OPTIONS <<<"${OPTIONS:---count $COUNT --seed $SEED}"

if [ "${MERGE:-0}" = 1 ]; then
    SHARDS=${SHARDS:?set SHARDS to the number of array tasks}
    parts=()
    for k in $(seq 1 "$SHARDS"); do
        part=$(printf '%s/part-%05d.jsonl' "$PARTS" "$k")
        [ -e "$part" ] || { echo "shard $k is missing: $part" >&2; exit 1; }
        parts+=("$part")
    done
    cat "${parts[@]}" >"$OUT.merging"
    mv "$OUT.merging" "$OUT"
    exec "$SPEECHGEN" corpus "${OPTIONS[@]}" --verify -o "$OUT"
fi

K=${SLURM_ARRAY_TASK_ID:?submit with sbatch --array=1-M}
M=${SLURM_ARRAY_TASK_COUNT:?submit with sbatch --array=1-M}
mkdir -p "$PARTS"
part=$(printf '%s/part-%05d.jsonl' "$PARTS" "$K")
[ -e "$part" ] && exit 0 # already complete (a requeued task)
resume=()
[ -e "$part.partial" ] && resume=(--resume)
exec "$SPEECHGEN" corpus "${OPTIONS[@]}" --shard "$K/$M" \
    --threads "${SLURM_CPUS_PER_TASK:-0}" --quiet "${resume[@]}" -o "$part"
