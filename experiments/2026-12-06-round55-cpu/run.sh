#!/bin/sh
# Round 55 (RULE.md): level steps against a control, 300 CPU steps each from the default.
# From the repo root, after `recipes/default/build_data.py --out data/default`:
#   sh experiments/2026-12-06-round55-cpu/run.sh          # resumable
#   sh experiments/2026-12-06-round55-cpu/score.sh
#   python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r55
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5 --data data/default/train --mal-variant frozen"
run c55-ctl &
run c55-steps --level-steps-prob 0.5 &
wait
