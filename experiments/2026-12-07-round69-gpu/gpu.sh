#!/bin/sh
# Round 69 on one lent GPU (experiments/2026-12-07-round69-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-07-round69-gpu/gpu.sh unpack N   # .carry/p1..p10 (round 58's parts)
#   sh experiments/2026-12-07-round69-gpu/gpu.sh weigh      # after the last part: data/r23/pairs6
#   LIMIT=540 sh experiments/2026-12-07-round69-gpu/gpu.sh train && sh ... pack $OUT   # repeat
# Stage 1 from random weights, round 46's `fresh-s1` recipe with 30000 steps instead of 9000,
# at the lineage's own stage-1 mixing (-7..15 dB, no clean mixtures; RULE.md addendum 1).
# Resumable: every training call also packs the run with its checkpoints into $OUT; a later
# session carries runs/r69/fresh69-s1 back (as .carry/p11 with that path inside, `unpack 11`).
set -eu
DATA=data/r23/pairs
RUNS=runs/r69
INIT=runs/r69-init
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

train() {
    export RUN_DATA=data/r23/pairs6
    want fresh69-s1 && run fresh69-s1 --workers 7 --seed 0 --oversuppression-weight 0.5 \
        --residual-weight 1 --stage1-steps 30000 --stage2-steps 0 --lr 1e-3 \
        --snr-range=-7,15 --clean-prob 0 &
}

. experiments/scripts/gpu_round.sh
