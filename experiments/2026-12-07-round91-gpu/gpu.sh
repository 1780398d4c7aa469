#!/bin/sh
# Round 91 on one lent GPU (RULE.md): a third draw of round 69's stage 1, `fresh91-s1` (seed 1).
# Carried as round 87's (binned by experiments/scripts/carry_parts.py): round 58's data rebuilt
# (data/r15/train, data/r15/pairs-extra) and the Python 3.12 packages (data/site).
#   sh experiments/2026-12-07-round91-gpu/gpu.sh unpack N      # N = 1..13 (ls .carry), one call each
#   sh .../gpu.sh weigh && ONLY=fresh91-s1 LIMIT=540 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   ONLY=fresh91-s1 LIMIT=... sh .../gpu.sh train; sh .../gpu.sh pack $OUT   # until 30000 steps
# A later loan, if it did not finish: `restore` (the committed checkpoint), the data calls, then
# `weigh` and `train` again.
set -eu
DATA=data/r23/pairs
RUNS=runs/r91
INIT=runs/r91
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

train() {
    # round 69's fresh69-s1 (round 87's fresh87-s1) at seed 1 (RULE.md)
    want fresh91-s1 && RUN_DATA=data/r23/pairs6 run fresh91-s1 --workers 13 --seed 1 \
        --oversuppression-weight 0.5 --residual-weight 1 --stage1-steps 30000 \
        --stage2-steps 0 --lr 1e-3 --snr-range=-7,15 --clean-prob 0 &
}

if [ "${1:-}" = restore ]; then  # the checkpoint of an unfinished loan, carried as .carry/r91
    # (README: `git show` puts it there from history; 11 MiB would crowd the data parts' calls)
    mkdir -p "$RUNS/fresh91-s1/checkpoints"
    gunzip -c .carry/r91/fresh91-s1-checkpoint.pt.gz > "$RUNS/fresh91-s1/checkpoints/last.pt"
    gunzip -c experiments/2026-12-07-round91-gpu/logs/fresh91-s1.jsonl.gz \
        > "$RUNS/fresh91-s1/train_log.jsonl"
    exit 0
fi
. experiments/scripts/gpu_round.sh
