#!/bin/sh
# Round 34 (CPU, RULE.md): the residual-noise term at 1 and 4 from r27-ovs05.
#   sh experiments/2026-12-05-round34-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r34 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c34-ctl c34-res4
#   python experiments/2026-12-05-round34-cpu/probe.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r34
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5 --data data/r22/pairs6"

sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
run c34-ctl &
run c34-res4 --residual-weight 4 &
wait
