#!/bin/sh
# Round 101 on one lent GPU (RULE.md): round 87's `s87-blend02` with the pause lever.
# Carried as round 91's (binned by experiments/scripts/carry_parts.py): round 58's data
# rebuilt (data/r15/train, data/r15/pairs-extra) and the Python 3.12 packages (data/site).
#   sh experiments/2026-12-07-round101-gpu/gpu.sh restore && sh .../gpu.sh unpack 1   # 2..13
#   sh .../gpu.sh build && ONLY=s101-pause01 LIMIT=560 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   ONLY=s101-pause01 LIMIT=... sh .../gpu.sh train; ...     # until 3000 steps; then s101-pause005
set -eu
DATA=data/r84/blend02
RUNS=runs/r101
INIT=runs/r101
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

build() { blend02_data; }  # gpu_round.sh

train() {
    # RULE.md A
    want s101-pause01 && run s101-pause01 $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 &
    # RULE.md B, with >= 650 s left after A
    want s101-pause005 && run s101-pause005 $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" \
        --mal-variant frozen --pause-prob 0.05 --pause-fade-ms 200 &
}

if [ "${1:-}" = restore ]; then  # the stage 1 both runs start from (round 87's second loan)
    mkdir -p "$RUNS" && cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 "$RUNS/"
    exit 0
fi
. experiments/scripts/gpu_round.sh
