#!/bin/sh
# Round 45 (CPU, RULE.md): every line of the main voice-acting voices as pairs, from r27-ovs05.
#   PYTHONPATH=. python experiments/2026-12-06-round45-cpu/mv_pairs.py data/r45/mvall
#   sh experiments/2026-12-06-round45-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r45 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c45-mvall
#   python experiments/2026-12-06-round45-cpu/probe.py eval/devreal18 data/default/devreal
# The control is round 34's c34-ctl.
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r45
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5"

run c45-mvall --data data/r45/mvall
