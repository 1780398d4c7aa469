#!/bin/sh
# Round 46 on one lent GPU (experiments/2026-12-06-round46-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round46-gpu/gpu.sh unpack N   # .carry/p1..p8: round 32's data
#   sh experiments/2026-12-06-round46-gpu/gpu.sh pairs && sh ... weigh   # data/r23/pairs6
#   TOTAL=560 sh experiments/2026-12-06-round46-gpu/gpu.sh train   # resumable; call again
#   sh experiments/2026-12-06-round46-gpu/gpu.sh pack OUT
# The two runs go one after the other in each call (stage 1 from random weights, then
# stage 2 from its exported model), each resuming from its own checkpoint, together within
# TOTAL seconds.
set -eu
DATA=data/r23/pairs
RUNS=runs/r46
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

train() {
    start=$(date +%s)
    L="--workers 7 --checkpoint-every 100 --seed 0 --oversuppression-weight 0.5 \
       --residual-weight 1"
    export RUN_DATA=data/r23/pairs6
    if [ ! -f "$RUNS/fresh-s1/model.safetensors" ]; then
        LIMIT=${TOTAL:-560}
        run fresh-s1 $L --stage1-steps 9000 --stage2-steps 0 --lr 1e-3
    fi
    left=$(( ${TOTAL:-560} - ($(date +%s) - start) ))
    if [ -f "$RUNS/fresh-s1/model.safetensors" ] && [ "$left" -gt 60 ]; then
        LIMIT=$left
        run fresh $L --init "$RUNS/fresh-s1" --stage1-steps 0 --stage2-steps 3000 \
            --stage2-lr 5e-4 --mal-variant frozen-fe --mal-layers all --mal-weight 3 \
            --loss-network distillmos --loss-network-weight 1.5
    fi
    left=$(( ${TOTAL:-560} - ($(date +%s) - start) ))
    if [ -f "$RUNS/fresh/model.safetensors" ] && [ "$left" -gt 60 ] && [ -n "${MORE:-}" ]; then
        LIMIT=$left  # addendum 1: 3000 more stage-2 steps from fresh
        run fresh-more $L --init "$RUNS/fresh" --stage1-steps 0 --stage2-steps 3000 \
            --stage2-lr 2.5e-4 --mal-variant frozen-fe --mal-layers all --mal-weight 3 \
            --loss-network distillmos --loss-network-weight 1.5
    fi
    for name in fresh-s1 fresh fresh-more; do
        grep -h '"type": "train"' "$RUNS/$name/train_log.jsonl" 2>/dev/null | tail -n 1 \
            | cut -c1-200 || true
    done
}

. experiments/scripts/gpu_round.sh
