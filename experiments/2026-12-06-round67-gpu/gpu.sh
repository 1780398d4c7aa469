#!/bin/sh
# Round 67 on one lent GPU (experiments/2026-12-06-round67-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round67-gpu/gpu.sh unpack N   # .carry/p1..p10 (round 58's parts)
#   sh experiments/2026-12-06-round67-gpu/gpu.sh weigh      # after the last part: data/r23/pairs6
#   LIMIT=560 sh experiments/2026-12-06-round67-gpu/gpu.sh train   # resumable; call again
#   sh experiments/2026-12-06-round67-gpu/gpu.sh pack OUT           # models, logs, checkpoints
# The data are round 62's (its gpu.sh says how the parts were binned). Four runs side by
# side: round 64's `g64-w6` with the DistillMOS term only at or below 15 or 10 dB input SNR,
# each at seeds 2 and 3 (ONLY="g67-gate15-seed2 g67-gate15-seed3" for the first pair alone).
set -eu
DATA=data/r23/pairs
RUNS=runs/r67
INIT=runs/r67-init
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1  # a later session can continue any run

train() {
    B="$G58_STEPS_RECIPE"
    export RUN_DATA=data/r23/pairs6
    B="$B --loss-network-weight 6"
    want g67-gate15-seed2 && run g67-gate15-seed2 $B --loss-network-max-snr 15 &
    want g67-gate15-seed3 && run g67-gate15-seed3 $B --loss-network-max-snr 15 --seed 3 &
    want g67-gate10-seed2 && run g67-gate10-seed2 $B --loss-network-max-snr 10 &
    want g67-gate10-seed3 && run g67-gate10-seed3 $B --loss-network-max-snr 10 --seed 3 &
}

. experiments/scripts/gpu_round.sh
