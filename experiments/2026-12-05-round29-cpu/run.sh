#!/bin/sh
# Round 29 (CPU, RULE.md): c22-pairs6's recipe with over-suppression 0.5, and clean-prob 0.1.
#   sh experiments/2026-12-05-round29-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r29 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
#       c29-ovs05 c29-clean01
#   python experiments/2026-12-05-round29-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r29
. experiments/scripts/cpu_round.sh
COMMON=$ROUND19_RECIPE

sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
run c29-ovs05 --data data/r22/pairs6 --oversuppression-weight 0.5 &
run c29-clean01 --data data/r22/pairs6 --clean-prob 0.1 &
wait
