#!/bin/sh
# Round 105 on one lent GPU (RULE.md, amended before any run): s101-pause01's command from
# each stage-1 draw, `s105-a` from round 91's `fresh91-s1` (seed 0) and `s105-b` from round 87's
# `fresh87-s1` (seed 2), side by side in the loan that finishes round 91 (README.md).
# Carried as round 91's (binned by experiments/scripts/carry_parts.py).
#   sh experiments/2026-12-07-round105-gpu/gpu.sh restore      # fresh87-s1, from the tree
#   sh .../gpu.sh build && ONLY=s105-b LIMIT=560 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   sh .../gpu.sh take91 && ONLY="s105-a s105-b" LIMIT=... sh .../gpu.sh train; ...  # until 3000
set -eu
DATA=data/r84/blend02
RUNS=runs/r105
INIT=runs/r105
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

build() { blend02_data; }  # gpu_round.sh

train() {
    want s105-a && run s105-a $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh91-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --seed 0 &
    want s105-b && run s105-b $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --seed 2 &
}

case "${1:-}" in
restore)  # round 87's stage 1, committed in its round's models/
    mkdir -p "$RUNS" && cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 "$RUNS/"
    exit 0 ;;
take91)  # round 91's stage 1 once it has finished on this machine (30000 steps, exported)
    [ -f runs/r91/fresh91-s1/model.safetensors ] \
        || { echo "fresh91-s1 has not finished (no exported model)" >&2; exit 1; }
    mkdir -p "$RUNS/fresh91-s1"
    cp runs/r91/fresh91-s1/model.safetensors runs/r91/fresh91-s1/config.json "$RUNS/fresh91-s1/"
    exit 0 ;;
esac
. experiments/scripts/gpu_round.sh
