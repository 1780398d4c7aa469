#!/bin/sh
# Round 22 (CPU, RULE.md): round 19's recipe on the voice-acting pairs weighted 3x and 6x.
#   sh experiments/2026-12-05-round22-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r22 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c22-pairs3 c22-pairs6 \
#       c22-pairs12 c22-pairs6-600
#   python experiments/2026-12-05-round22-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r22
. experiments/scripts/cpu_round.sh
COMMON=$ROUND19_RECIPE

sh experiments/scripts/weigh_pairs.sh data/r22/pairs3 3
sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
sh experiments/scripts/weigh_pairs.sh data/r22/pairs12 12  # addendum 1
run c22-pairs3 --data data/r22/pairs3 &
run c22-pairs6 --data data/r22/pairs6 &
wait
run c22-pairs12 --data data/r22/pairs12 &  # addendum 1
run c22-pairs6-600 --data data/r22/pairs6 --stage2-steps 600 &
wait
