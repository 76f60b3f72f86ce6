#!/usr/bin/env bash
# A test corpus on one machine with GNU parallel: M shards written side by side, merged in
# order, then verified. Shards are contiguous ranges of document indexes, so the merged
# file is byte for byte the file `speechgen corpus` writes in one run.
#
#   examples/corpus-parallel.sh [COUNT] [SEED] [SHARDS] [JOBS]
#   COUNT=1000000 SEED=1 SHARDS=16 JOBS=2 OUT=corpus.jsonl examples/corpus-parallel.sh
#
# Re-running after an interruption resumes each unfinished shard from its .partial file
# and skips shards that are complete.
set -euo pipefail

COUNT=${1:-${COUNT:-10000}}
SEED=${2:-${SEED:-1}}
SHARDS=${3:-${SHARDS:-8}}
JOBS=${4:-${JOBS:-$(nproc)}}
OUT=${OUT:-corpus.jsonl}
PARTS=${PARTS:-${OUT%.jsonl}.parts}
SPEECHGEN=${SPEECHGEN:-speechgen}
# Anything else the corpus needs (--packs, --localities, --province, --lengths …); the
# same options must be given to every shard and to --verify.
read -r -a OPTIONS <<<"${OPTIONS:---count $COUNT --seed $SEED}"

mkdir -p "$PARTS"
export SPEECHGEN PARTS SHARDS
export OPTIONS_LINE="${OPTIONS[*]}"

# One shard: zero-padded names keep `ls`/glob order equal to shard order.
shard() {
    local k=$1 part
    part=$(printf '%s/part-%05d.jsonl' "$PARTS" "$k")
    if [ -e "$part" ]; then
        return 0 # complete (only a finished shard is renamed into place)
    fi
    local resume=()
    if [ -e "$part.partial" ]; then
        resume=(--resume)
    fi
    # shellcheck disable=SC2086
    "$SPEECHGEN" corpus $OPTIONS_LINE --shard "$k/$SHARDS" --threads 1 --quiet \
        "${resume[@]}" -o "$part"
}
export -f shard

seq 1 "$SHARDS" | parallel --jobs "$JOBS" --halt now,fail=1 shard {}

# Merge in shard order and check the result as one corpus.
parts=()
for k in $(seq 1 "$SHARDS"); do
    parts+=("$(printf '%s/part-%05d.jsonl' "$PARTS" "$k")")
done
cat "${parts[@]}" >"$OUT.merging"
mv "$OUT.merging" "$OUT"
"$SPEECHGEN" corpus "${OPTIONS[@]}" --verify -o "$OUT"
