#!/bin/sh
# Round 66 on one lent GPU (experiments/2026-12-06-round66-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round66-gpu/gpu.sh unpack N   # .carry/p1..p10 (round 58's parts)
#   sh experiments/2026-12-06-round66-gpu/gpu.sh weigh      # after the last part: data/r23/pairs6
#   LIMIT=560 sh experiments/2026-12-06-round66-gpu/gpu.sh train   # resumable; call again
#   sh experiments/2026-12-06-round66-gpu/gpu.sh pack OUT           # models, logs, checkpoints
# The data are round 62's (its gpu.sh says how the parts were binned). Two runs side by
# side: round 64's `g64-w6` with MAL at 6 instead of 3, at seeds 2 and 3.
set -eu
DATA=data/r23/pairs
RUNS=runs/r66
INIT=runs/r66-init
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1  # a later session can continue any run

train() {
    B="$G58_STEPS_RECIPE --mal-weight 6"
    export RUN_DATA=data/r23/pairs6
    want g66-w6-mal6 && run g66-w6-mal6 $B --loss-network-weight 6 &
    want g66-w6-mal6-seed3 && run g66-w6-mal6-seed3 $B --loss-network-weight 6 --seed 3 &
}

. experiments/scripts/gpu_round.sh
