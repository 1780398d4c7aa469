#!/bin/sh
# Round 76 on one lent GPU (experiments/2026-12-07-round76-gpu/RULE.md): round 72's
# `s72-frozen` recipe from `fresh69-s1`, with the voice-acting pairs drawn once (`s76-w1`) and
# three times (`s76-w3`) instead of six. From the repo root, with .carry/p1..p10 (round 58's
# data parts) and .carry/init/fresh69-s1 (the model folder, ~4 MB, without checkpoints):
#   sh experiments/2026-12-07-round76-gpu/gpu.sh unpack N     # N = 1..9, one call each
#   sh .../gpu.sh unpack 10 && sh .../gpu.sh init && sh .../gpu.sh weigh && \
#       LIMIT=500 sh .../gpu.sh train; sh .../gpu.sh pack $OUT   # carry .carry/p10 .carry/init
#   LIMIT=540 sh .../gpu.sh train; sh .../gpu.sh pack $OUT        # until both runs finish
# Round 72 ran its two arms side by side at 133 ms/step (the DistillMOS arm, on an H200).
set -eu
DATA=data/r23/pairs
RUNS=runs/r76
INIT=runs/r76-init
WEIGH="1 3"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

train() {
    S2="$FRESH69_GPU_STAGE2_RECIPE --mal-variant frozen"
    want s76-w1 && RUN_DATA=data/r23/pairs1 run s76-w1 $S2 &
    want s76-w3 && RUN_DATA=data/r23/pairs3 run s76-w3 $S2 &
}

. experiments/scripts/gpu_round.sh
