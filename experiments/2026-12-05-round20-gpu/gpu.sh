#!/bin/sh
# Round 20 on one lent GPU (experiments/2026-12-05-round20-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round20-gpu/gpu.sh unpack N   # merge carried part .carry/pN
#   sh experiments/2026-12-05-round20-gpu/gpu.sh pairs      # after every part
#   sh experiments/2026-12-05-round20-gpu/gpu.sh train      # the four runs side by side
#       (resumable: call again until every run has written its model; ONLY="a b" for some)
#   sh experiments/2026-12-05-round20-gpu/gpu.sh pack OUT
# Carried as round 18's (its gpu.sh header), without an init folder: every run starts from
# the bundled default, which travels with the tree. data/site2-py312 is round 18's
# /tmp/site2 (soundfile, pystoi, soxr, cffi, distillmos, xls-r-sqa for Python 3.12):
#   python experiments/scripts/carry_parts.py .carry 40 data/r15/train=data/r15/train \
#       data/r15/pairs-extra=data/r15/pairs-extra data/site2-py312=data/site
set -eu
DATA=data/r20/pairs
RUNS=runs/r20

train() {
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800} --stage2-lr 2.5e-4 \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1 \
       --loss-network distillmos --workers 3 --checkpoint-every 50"
    want d-distill1.5 && run d-distill1.5 $B --loss-network-weight 1.5 &
    want d-distill3 && run d-distill3 $B --loss-network-weight 3 &
    want d-distill6 && run d-distill6 $B --loss-network-weight 6 &
    want d-distill10 && run d-distill10 $B --loss-network-weight 10 &  # addendum 2
    want d-nopairs3 && RUN_DATA=data/r15/train run d-nopairs3 $B --loss-network-weight 3 &
}

. experiments/scripts/gpu_round.sh
