#!/bin/sh
# Round 87 on one lent GPU (RULE.md): round 69's stage 1 again (`fresh87-s1`, the machine that
# held `fresh69-s1` is gone), then round 85's `s85-blend02` from it (`s87-blend02`).
# Carried (binned by experiments/scripts/carry_parts.py, see README.md): round 58's data
# rebuilt (data/r15/train, data/r15/pairs-extra) and the Python 3.12 packages (data/site).
#   sh experiments/2026-12-07-round87-gpu/gpu.sh unpack N      # N = 1..last, one call each
#   sh .../gpu.sh weigh && ONLY=fresh87-s1 LIMIT=540 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   ONLY=fresh87-s1 LIMIT=... sh .../gpu.sh train; ...          # until it has 30000 steps
# A later loan: `restore` (the finished `fresh87-s1`, committed in models/), the data calls, then
#   sh .../gpu.sh build && ONLY=s87-blend02 LIMIT=... sh .../gpu.sh train; sh .../gpu.sh pack $OUT
set -eu
DATA=data/r23/pairs
RUNS=runs/r87
INIT=runs/r87
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

build() {  # round 85's data: the default's output on the voice-acting originals, 2 % blended
    PY=python3 sh experiments/2026-12-07-round79-cpu/build.sh
    sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02
}

train() {
    # round 69's fresh69-s1 with more loader workers (RULE.md 1)
    want fresh87-s1 && RUN_DATA=data/r23/pairs6 run fresh87-s1 --workers 13 --seed 0 \
        --oversuppression-weight 0.5 --residual-weight 1 --stage1-steps 30000 \
        --stage2-steps 0 --lr 1e-3 --snr-range=-7,15 --clean-prob 0 &
    # round 85's s85-blend02 from it (RULE.md 2)
    want s87-blend02 && RUN_DATA=data/r84/blend02 run s87-blend02 \
        $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" --mal-variant frozen &
    # its seed 2, with >= 600 s left (round 85's RULE.md 2; round 89's README)
    want s87-blend02-s2 && RUN_DATA=data/r84/blend02 run s87-blend02-s2 \
        $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" --mal-variant frozen --seed 2 &
}

if [ "${1:-}" = restore ]; then  # the finished stage 1, committed here (round 87's second loan)
    mkdir -p "$RUNS" && cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 "$RUNS/"
    exit 0
fi
. experiments/scripts/gpu_round.sh
