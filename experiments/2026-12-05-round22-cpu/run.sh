#!/bin/sh
# Round 22 (CPU, RULE.md): round 19's recipe on the voice-acting pairs weighted 3x and 6x.
#   sh experiments/2026-12-05-round22-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r22 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c22-pairs3 c22-pairs6 \
#       c22-pairs12 c22-pairs6-600
#   python experiments/2026-12-05-round22-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r22
COMMON="--init default --batch-size 8 --segment-seconds 4 --snr-range=-5,30
  --extra-noise-prob 0.5 --noise-balance --seed 0 --threads 1 --workers 1 --export last
  --valid-every 0 --checkpoint-every 100 --quiet --clean-prob 0.2 --oversuppression-weight 1
  --residual-weight 1 --stage1-steps 0 --stage2-steps 300 --stage2-lr 1e-4
  --mal-variant frozen-fe --mal-layers all --mal-weight 3"

sh experiments/scripts/weigh_pairs.sh data/r22/pairs3 3
sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
sh experiments/scripts/weigh_pairs.sh data/r22/pairs12 12  # addendum 1
. experiments/scripts/cpu_round.sh
run c22-pairs3 --data data/r22/pairs3 &
run c22-pairs6 --data data/r22/pairs6 &
wait
run c22-pairs12 --data data/r22/pairs12 &  # addendum 1
run c22-pairs6-600 --data data/r22/pairs6 --stage2-steps 600 &
wait
