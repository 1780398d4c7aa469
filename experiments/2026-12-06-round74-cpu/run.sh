#!/bin/sh
# Round 74 (RULE.md): `s73-frozen`'s recipe with seed 1, then the two seeds' average.
#   sh experiments/2026-12-06-round74-cpu/run.sh          # resumable, ~25 min alone
#   RUNS=runs/r74 sh experiments/2026-12-06-round55-cpu/score.sh s74-frozen-s1 soup74
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r74
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --init runs/r69/fresh69-s1 --data data/r23/pairs6
  --stage2-steps 1000 --stage2-lr 2.5e-4 --oversuppression-weight 0.5 --level-steps-prob 0.5
  --mal-weight 3 --mal-variant frozen"
run s74-frozen-s1 --seed 1 --threads 2
[ -f "$RUNS/soup74/model.safetensors" ] || \
    $PY experiments/scripts/soup.py "$RUNS/soup74" runs/r73/s73-frozen "$RUNS/s74-frozen-s1"
