#!/bin/sh
# Round 59 on one lent GPU (experiments/2026-12-06-round59-gpu/RULE.md). Data as round 58's
# (its gpu.sh header: the same nine .carry parts); from the repo root:
#   sh experiments/2026-12-06-round59-gpu/gpu.sh unpack N    # N = 1..10 (re-binned at 29 MiB: the tree grew), then `weigh`
#   LIMIT=560 sh experiments/2026-12-06-round59-gpu/gpu.sh train; ... pack OUT
set -eu
DATA=data/r23/pairs
RUNS=runs/r59
INIT=runs/r59-init
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

train() {  # round 58's g58-steps with the residual term at 2
    export RUN_DATA=data/r23/pairs6
    run g59-steps-res2 --init default --stage1-steps 0 --stage2-steps "${STEPS:-1800}" \
        --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 2 \
        --loss-network distillmos --loss-network-weight 1.5 --workers 3 --checkpoint-every 50 \
        --seed 2 --stage2-lr 1e-4 --oversuppression-weight 0.5 --level-steps-prob 0.5 &
}

. experiments/scripts/gpu_round.sh
