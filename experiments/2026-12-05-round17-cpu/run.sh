#!/bin/sh
# Round 17 (CPU, RULE.md): two fine-tunes of round 15's same256-pairs side by side.
#   sh experiments/2026-12-05-round17-cpu/run.sh [snr|distill]  # from the repo root; resumable
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r17
COMMON="--init runs/r15/same256-pairs --data data/r15/pairs --batch-size 8 --segment-seconds 4
  --extra-noise-prob 0.5 --noise-balance --seed 0 --threads 1 --workers 1 --export last
  --valid-every 0 --checkpoint-every 100 --quiet --clean-prob 0.2 --oversuppression-weight 1
  --stage1-steps 0 --stage2-steps 300 --stage2-lr 1e-4 --mal-variant frozen-fe
  --mal-layers all --mal-weight 3"
. experiments/scripts/cpu_round.sh
case "${1:-snr}" in
  snr) run c17-snr15 --snr-range=-7,15 &
       run c17-snr30 --snr-range=-5,30 &
       wait ;;
  distill)  # RULE-distill.md, added after the first two were scored
      COMMON=$(echo "$COMMON" | sed 's/--threads 1/--threads 2/')
      run c17-distill --snr-range=-5,30 --loss-network distillmos --loss-network-weight 1.5 ;;
esac
