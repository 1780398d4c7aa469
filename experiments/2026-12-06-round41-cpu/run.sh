#!/bin/sh
# Round 41 (CPU, RULE.md): round 36's teacher targets at seed 1 (control: round 40's c40-ctl-s1).
#   sh experiments/2026-12-06-round41-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r41 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c41-teach-s1
#   python experiments/2026-12-06-round41-cpu/probe.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r41
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5 --seed 1"

run c41-teach-s1 --data data/r36/teach
