#!/bin/sh
# Round 28 (CPU, RULE.md): round 22's c22-pairs6 recipe at seeds 1 and 2.
#   sh experiments/2026-12-05-round28-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r28 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c28-seed1 c28-seed2
#   python experiments/2026-12-05-round28-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r28
. experiments/scripts/cpu_round.sh
COMMON=$ROUND19_RECIPE

sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
run c28-seed1 --data data/r22/pairs6 --seed 1 &
run c28-seed2 --data data/r22/pairs6 --seed 2 &
wait
