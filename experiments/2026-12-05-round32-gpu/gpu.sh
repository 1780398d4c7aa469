#!/bin/sh
# Round 32 on one lent GPU (experiments/2026-12-05-round32-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round32-gpu/gpu.sh unpack N   # merge carried part .carry/pN (1..9;
#       p9: the first pair's step-250 checkpoints, RULE.md addendum 2)
#   sh experiments/2026-12-05-round32-gpu/gpu.sh pairs      # after every part
#   sh experiments/2026-12-05-round32-gpu/gpu.sh weigh      # the 6x and 3x data
#   ONLY="k-more k-lr05" LIMIT=565 sh experiments/2026-12-05-round32-gpu/gpu.sh train
#       (resumable: call again until every run has written its model; then the other pair)
#   sh experiments/2026-12-05-round32-gpu/gpu.sh pack OUT
# Carried as round 27's: eight ~36 MiB parts of data/r15/{train,pairs-extra} and
# data/site2-py312 (as data/site), binned by
#   python experiments/scripts/carry_parts.py .carry 36 data/r15/train=data/r15/train \
#       data/r15/pairs-extra=data/r15/pairs-extra data/site2-py312=data/site
# On an H100 (80 GB) two DistillMOS runs fit side by side (~306 ms/step: LIMIT=565, then a
# short second call per pair); on an H200 all four at once (no ONLY; ~527 ms/step, round 20),
# LIMIT=570 then LIMIT=555. Device time either way ~1450 s with the start and the parts.
# The next session (addendum 2), on an H100: nine `unpack` calls (carry .carry/p1 .. p9, p9
# the step-250 checkpoints; the last call adds `pairs && weigh`), then ONLY="k-more k-lr05"
# LIMIT=565 train (resumes at step 250: ~1550 steps, ~510 s with the start-up), pack; then
# ONLY="k-ovs025 k-pairs3" LIMIT=565 train, a short second call to finish, pack. ~1300 s.
set -eu
DATA=data/r23/pairs
RUNS=runs/r32
WEIGH="6 3"  # gpu_round.sh weigh: data/r23/pairsN
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

train() {
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800} \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1 \
       --loss-network distillmos --loss-network-weight 1.5 --workers 3 --checkpoint-every 50 \
       --seed 2"
    export RUN_DATA=data/r23/pairs6
    want k-more && run k-more $B --stage2-lr 1e-4 --oversuppression-weight 0.5 &
    want k-lr05 && run k-lr05 $B --stage2-lr 5e-5 --oversuppression-weight 0.5 &
    want k-ovs025 && run k-ovs025 $B --stage2-lr 1e-4 --oversuppression-weight 0.25 &
    want k-pairs3 && RUN_DATA=data/r23/pairs3 run k-pairs3 $B --stage2-lr 1e-4 \
        --oversuppression-weight 0.5 &
}

. experiments/scripts/gpu_round.sh
