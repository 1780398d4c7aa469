#!/bin/sh
# Round 23 on one lent GPU (experiments/2026-12-05-round23-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round23-gpu/gpu.sh unpack N   # merge carried part .carry/pN (1..7)
#   sh experiments/2026-12-05-round23-gpu/gpu.sh pairs      # after every part
#   sh experiments/2026-12-05-round23-gpu/gpu.sh weigh      # the 6x and 12x data
#   sh experiments/2026-12-05-round23-gpu/gpu.sh train      # the four runs side by side
#       (resumable: call again until every run has written its model; ONLY="a b" for some)
#   sh experiments/2026-12-05-round23-gpu/gpu.sh pack OUT
# Carried as round 20's (the same seven parts; its gpu.sh header has the binning command).
# weigh builds data/r15/pairs (round 15's pairs data, which weigh_pairs.sh starts from) with
# hard links, then the weighted copies.
set -eu
DATA=data/r23/pairs
RUNS=runs/r23
WEIGH="6 12"  # gpu_round.sh weigh: data/r23/pairsN

train() {
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800} \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1 \
       --loss-network distillmos --loss-network-weight 1.5 --workers 3 --checkpoint-every 50"
    want g-pairs6 && RUN_DATA=data/r23/pairs6 run g-pairs6 $B --stage2-lr 2.5e-4 &
    want g-pairs12 && RUN_DATA=data/r23/pairs12 run g-pairs12 $B --stage2-lr 2.5e-4 &
    want g-pairs6-lr1 && RUN_DATA=data/r23/pairs6 run g-pairs6-lr1 $B --stage2-lr 1e-4 &
    want g-lr1 && run g-lr1 $B --stage2-lr 1e-4 &
}

. experiments/scripts/gpu_round.sh
