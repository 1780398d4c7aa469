#!/bin/sh
# Round 73 (RULE.md): round 71's recipe with the `frozen` and `dynamic` MAL variants.
#   sh experiments/2026-12-06-round73-cpu/run.sh          # resumable, ~35 min on 2 cores
#   RUNS=runs/r73 sh experiments/2026-12-06-round55-cpu/score.sh s73-frozen s73-dynamic
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r73
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --init runs/r69/fresh69-s1 --data data/r23/pairs6
  --stage2-steps 1000 --stage2-lr 2.5e-4 --oversuppression-weight 0.5 --level-steps-prob 0.5
  --mal-weight 3"
run s73-frozen --mal-variant frozen &
run s73-dynamic --mal-variant dynamic &
wait
