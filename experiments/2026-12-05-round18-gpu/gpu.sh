#!/bin/sh
# Round 18 on one lent GPU (experiments/2026-12-05-round18-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round18-gpu/gpu.sh unpack N   # merge carried part .carry/pN
#   sh experiments/2026-12-05-round18-gpu/gpu.sh pairs      # after every part: round 13's data
#       + the fillets pairs into DATA
#   sh experiments/2026-12-05-round18-gpu/gpu.sh train      # the four runs side by side (resumable;
#       ONLY="p-distill p-distill3" for some of them)
#   sh experiments/2026-12-05-round18-gpu/gpu.sh pack OUT
# Carried, binned by experiments/scripts/carry_parts.py into parts of at most 40 MiB:
#   python experiments/scripts/carry_parts.py .carry 40 data/r15/train=data/r15/train \
#       data/r15/pairs-extra=data/r15/pairs-extra /tmp/site2=data/site \
#       runs/r15/same256-pairs=runs/init/same256-pairs
# /tmp/site2: round 15's data/site (soundfile, pystoi, soxr, cffi for Python 3.12) plus
# distillmos 0.9.1 and xls-r-sqa 0.1.0 (pip install --target --no-deps --only-binary=:all:
# --python-version 3.12 --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64).
set -eu
DATA=data/r18/pairs
RUNS=runs/r18
INIT=runs/init/same256-pairs  # round 15's trained same256-pairs, carried

train() {
    B="--init $INIT --stage1-steps 0 --stage2-steps ${STEPS:-2500} --stage2-lr 2.5e-4 \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --workers 3"
    want p-ctl && run p-ctl $B &
    want p-res && run p-res $B --residual-weight 1 &
    want p-distill && run p-distill $B --loss-network distillmos --loss-network-weight 1.5 &
    want p-distill3 && run p-distill3 $B --loss-network distillmos --loss-network-weight 3 &
    [ -n "${ONLY:-}" ] && want p-distill-res && run p-distill-res $B --residual-weight 1 \
        --loss-network distillmos --loss-network-weight 1.5 &  # addendum 1, alone
}

. experiments/scripts/gpu_round.sh
