#!/bin/sh
# Round 72 on one lent GPU (experiments/2026-12-07-round72-gpu/RULE.md): stage 2 from round
# 69's stage 1 (`fresh69-s1`). From the repo root, with .carry/p1..p10 (round 58's data
# parts) and .carry/init/fresh69-s1 (the model folder, ~4 MB, without checkpoints):
#   sh experiments/2026-12-07-round72-gpu/gpu.sh unpack N     # N = 1..9, one call each
#   sh .../gpu.sh unpack 10 && sh .../gpu.sh init && sh .../gpu.sh weigh && \
#       LIMIT=500 sh .../gpu.sh train; sh .../gpu.sh pack $OUT   # carry .carry/p10 .carry/init
#   LIMIT=540 sh .../gpu.sh train; sh .../gpu.sh pack $OUT        # until both runs finish
# Both runs side by side (~300 ms/step each with the DistillMOS term, so 3000 steps take
# ~900 s); checkpoints come back with every pack (in parts over 15 MiB), so a later session
# can continue (carry runs/r72 back, e.g. as .carry/p11 holding runs/r72/..., `unpack 11`).
# Size: the tracked tree (32 MiB on 2026-12-06) + the largest part (p9, 29 MiB) = 61 MiB of
# the 64 MiB a call carries; if the tree grows, rebin with experiments/scripts/carry_parts.py.
set -eu
DATA=data/r23/pairs
RUNS=runs/r72
INIT=runs/r72-init
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

train() {
    export RUN_DATA=data/r23/pairs6
    S2=$FRESH69_GPU_STAGE2_RECIPE
    want s72-frozen && run s72-frozen $S2 --mal-variant frozen &
    want s72-frozen-nodm && run s72-frozen-nodm $S2 --mal-variant frozen --loss-network none &
}

. experiments/scripts/gpu_round.sh
