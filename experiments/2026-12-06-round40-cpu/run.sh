#!/bin/sh
# Round 40 (CPU, RULE.md): round 37's pair (control, gated targets) at seed 1.
#   sh experiments/2026-12-06-round40-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r40 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c40-ctl-s1 c40-gated-s1
#   python experiments/2026-12-06-round40-cpu/probe.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r40
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5 --seed 1"

run c40-ctl-s1 --data data/r22/pairs6 &
run c40-gated-s1 --data data/r37/gated &
wait
