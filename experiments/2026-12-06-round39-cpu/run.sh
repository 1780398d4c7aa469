#!/bin/sh
# Round 39 (CPU, RULE.md): a wider gate for the teacher targets, from r27-ovs05.
#   python experiments/2026-12-06-round37-cpu/gated_targets.py data/r36/teach data/r39/gate25 -25 -40
#   sh experiments/2026-12-06-round39-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r39 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c39-gate25
#   python experiments/2026-12-06-round39-cpu/probe.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r39
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5"

run c39-gate25 --data data/r39/gate25
