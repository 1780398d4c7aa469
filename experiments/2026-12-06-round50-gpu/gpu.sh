#!/bin/sh
# Round 50 on one lent GPU (experiments/2026-12-06-round50-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round50-gpu/gpu.sh unpack N   # .carry/p1..p8: round 32's data
#   sh experiments/2026-12-06-round50-gpu/gpu.sh pairs && sh ... weigh   # data/r23/pairs6
#   sh experiments/2026-12-06-round50-gpu/gpu.sh init   # .carry/init: fresh-s1 (round 46), big-s1
#   TOTAL=560 sh experiments/2026-12-06-round50-gpu/gpu.sh train   # resumable; call again
#   sh experiments/2026-12-06-round50-gpu/gpu.sh pack OUT
# The runs go one after the other in each call, each resuming from its own checkpoint,
# together within TOTAL seconds.
set -eu
DATA=data/r23/pairs
RUNS=runs/r50
INIT=runs/r46
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

train() {
    start=$(date +%s)
    L="--workers 14 --checkpoint-every 100 --oversuppression-weight 0.5 --residual-weight 1"
    export RUN_DATA=data/r23/pairs6
    if [ -n "${CONV:-}" ]; then  # addendum 1: big's stage 2 with the conventional loss alone
        LIMIT=${TOTAL:-560}
        run big-conv $L --seed 0 --init "$INIT/big-s1" --stage1-steps 3000 --stage2-steps 0 \
            --lr 5e-4
        return
    fi
    if [ ! -f "$RUNS/big-s1/model.safetensors" ]; then
        LIMIT=${TOTAL:-560}
        # round 46's stage 1 continued: 6000 more steps at 4x its batch
        run big-s1 $L --seed 1 --init "$INIT/fresh-s1" --stage1-steps 6000 --stage2-steps 0 \
            --lr 1e-3 --batch-size 128
    fi
    left=$(( ${TOTAL:-560} - ($(date +%s) - start) ))
    if [ -f "$RUNS/big-s1/model.safetensors" ] && [ "$left" -gt 60 ]; then
        LIMIT=$left  # round 46's stage 2 (`fresh`), unchanged
        run big $L --seed 0 --init "$RUNS/big-s1" --stage1-steps 0 --stage2-steps 3000 \
            --stage2-lr 5e-4 --mal-variant frozen-fe --mal-layers all --mal-weight 3 \
            --loss-network distillmos --loss-network-weight 1.5
    fi
    left=$(( ${TOTAL:-560} - ($(date +%s) - start) ))
    if [ -f "$RUNS/big/model.safetensors" ] && [ "$left" -gt 60 ] && [ -n "${MORE:-}" ]; then
        LIMIT=$left  # round 46's `fresh-more`, from `big`
        run big-more $L --seed 0 --init "$RUNS/big" --stage1-steps 0 --stage2-steps 3000 \
            --stage2-lr 2.5e-4 --mal-variant frozen-fe --mal-layers all --mal-weight 3 \
            --loss-network distillmos --loss-network-weight 1.5
    fi
    for name in big-s1 big big-more; do
        grep -h '"type": "train"' "$RUNS/$name/train_log.jsonl" 2>/dev/null | tail -n 1 \
            | cut -c1-200 || true
    done
}

. experiments/scripts/gpu_round.sh
