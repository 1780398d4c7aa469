#!/bin/sh
# Round 64 on one lent GPU (experiments/2026-12-06-round64-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round64-gpu/gpu.sh unpack N   # .carry/p1..p10 (round 58's parts)
#   sh experiments/2026-12-06-round64-gpu/gpu.sh weigh      # after the last part: data/r23/pairs6
#   LIMIT=560 sh experiments/2026-12-06-round64-gpu/gpu.sh train   # resumable; call again
#   sh experiments/2026-12-06-round64-gpu/gpu.sh pack OUT           # models, logs, checkpoints
# The data are round 62's (its gpu.sh says how the parts were binned). Three runs side by
# side: `g58-steps`'s recipe with the DistillMOS term at 3 (seeds 2 and 3) and at 6.
set -eu
DATA=data/r23/pairs
RUNS=runs/r64
INIT=runs/r64-init
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1  # a later session can continue any run

train() {
    B="$G58_STEPS_RECIPE"
    export RUN_DATA=data/r23/pairs6
    want g64-w3 && run g64-w3 $B --loss-network-weight 3 &
    want g64-w3-seed3 && run g64-w3-seed3 $B --loss-network-weight 3 --seed 3 &
    want g64-w6 && run g64-w6 $B --loss-network-weight 6 &
}

. experiments/scripts/gpu_round.sh
