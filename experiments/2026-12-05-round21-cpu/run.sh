#!/bin/sh
# Round 21 (CPU, RULE.md): two fine-tunes of the bundled default side by side.
#   sh experiments/2026-12-05-round21-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r21 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c21-seg8 c21-seg16
#   python experiments/2026-12-05-round21-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r21
COMMON="--init default --data data/r15/pairs --snr-range=-5,30
  --extra-noise-prob 0.5 --noise-balance --seed 0 --threads 1 --workers 1 --export last
  --valid-every 0 --checkpoint-every 100 --quiet --clean-prob 0.2 --oversuppression-weight 1
  --residual-weight 1 --stage1-steps 0 --stage2-steps 300 --stage2-lr 1e-4
  --mal-variant frozen-fe --mal-layers all --mal-weight 3"
. experiments/scripts/cpu_round.sh
run c21-seg8 --batch-size 4 --segment-seconds 8 &
run c21-seg16 --batch-size 2 --segment-seconds 16 &
wait
