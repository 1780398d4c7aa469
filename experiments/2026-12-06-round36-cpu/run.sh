#!/bin/sh
# Round 36 (CPU, RULE.md): real-speech targets without their floor, from r27-ovs05.
#   PYTHONPATH=. python experiments/2026-12-06-round36-cpu/teacher_pairs.py data/r22/pairs6 data/r36/teach
#   sh experiments/2026-12-06-round36-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r36 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c36-teach
#   python experiments/2026-12-06-round36-cpu/probe.py eval/devreal18 data/default/devreal
# The control is round 34's c34-ctl (the same recipe on data/r22/pairs6).
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r36
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5"

run c36-teach --data data/r36/teach
