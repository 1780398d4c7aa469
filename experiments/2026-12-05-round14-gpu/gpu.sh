#!/bin/sh
# Round 14 on one lent GPU (experiments/2026-12-05-round14-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round14-gpu/gpu.sh take N   # move carried part .carry/pN into DATA
#   sh experiments/2026-12-05-round14-gpu/gpu.sh init     # move carried .carry/init into INIT
#   sh experiments/2026-12-05-round14-gpu/gpu.sh train    # the four runs side by side (resumable)
#   sh experiments/2026-12-05-round14-gpu/gpu.sh pack OUT
# Shared steps: experiments/scripts/gpu_round.sh. The data is round 13's
# (recipes/default/build_data.py's train/ part, no Kokoro), carried in
# five parts of ~41 MiB plus .carry/site; .carry/init holds round 13's model folders.
set -eu
DATA=data/r14/train
RUNS=runs/r14
INIT=runs/r13

train() {
    B="--stage1-steps 0 --stage2-steps 2500 --stage2-lr 2.5e-4 --mal-layers all --mal-weight 3 --workers 3"
    run fe-more --init $INIT/mal-frozen-fe $B --mal-variant frozen-fe &
    run fe-distill --init $INIT/mal-frozen-fe $B --mal-variant frozen-fe \
        --loss-network distillmos --loss-network-weight 1.5 &
    run frozen-more --init $INIT/mal-frozen $B --mal-variant frozen &
    run levers2-fe --init $INIT/conventional-levers2 $B --mal-variant frozen-fe --clean-prob 0.4 &
}

. experiments/scripts/gpu_round.sh
