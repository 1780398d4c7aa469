#!/bin/sh
# Round 27 on one lent GPU (experiments/2026-12-05-round27-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round27-gpu/gpu.sh unpack N   # merge carried part .carry/pN (1..7)
#   sh experiments/2026-12-05-round27-gpu/gpu.sh pairs      # after every part
#   sh experiments/2026-12-05-round27-gpu/gpu.sh weigh      # the 6x data
#   ONLY="h-seed1 h-d3" sh experiments/2026-12-05-round27-gpu/gpu.sh train   # then the other two
#       (resumable: call again until every run has written its model)
#   sh experiments/2026-12-05-round27-gpu/gpu.sh pack OUT
# Carried as round 20's (the same seven parts; its gpu.sh header has the binning command).
# On an H100 (80 GB) two DistillMOS runs fit side by side, four do not (round 23): two calls
# of LIMIT=570 per pair (~300 ms/step), `pack` after each pair. On an H200 (141 GB) all four
# at once (no ONLY; ~527 ms/step, round 20), LIMIT=570 then LIMIT=555. Device time either way
# ~1450 s with the start and the seven parts. The allocator setting keeps runs from fragmenting.
set -eu
DATA=data/r23/pairs
RUNS=runs/r27
WEIGH="6"  # gpu_round.sh weigh: data/r23/pairsN
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

train() {
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800} \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1 \
       --loss-network distillmos --workers 3 --checkpoint-every 50 --stage2-lr 1e-4"
    export RUN_DATA=data/r23/pairs6
    want h-seed1 && run h-seed1 $B --loss-network-weight 1.5 --seed 1 &
    want h-d3 && run h-d3 $B --loss-network-weight 3 &
    want h-ovs05 && run h-ovs05 $B --loss-network-weight 1.5 --oversuppression-weight 0.5 &
    want h-clean01 && run h-clean01 $B --loss-network-weight 1.5 --clean-prob 0.1 &
}

. experiments/scripts/gpu_round.sh
