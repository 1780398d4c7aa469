#!/bin/sh
# Round 37 (CPU, RULE.md): teacher targets only outside speech frames, from r27-ovs05.
#   python experiments/2026-12-06-round37-cpu/gated_targets.py data/r36/teach data/r37/gated
#   sh experiments/2026-12-06-round37-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r37 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c37-gated
#   python experiments/2026-12-06-round37-cpu/probe.py eval/devreal18 data/default/devreal
# The control is round 34's c34-ctl; round 36's c36-teach is reported beside it.
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r37
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5"

run c37-gated --data data/r37/gated
