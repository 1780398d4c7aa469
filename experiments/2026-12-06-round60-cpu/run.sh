#!/bin/sh
# Round 60 (RULE.md): the level-normalised input, 300 CPU steps each from the default, on
# round 55's recipe (its c55-ctl and c55-steps are the controls).
#   sh experiments/2026-12-06-round60-cpu/run.sh          # resumable
#   RUNS=runs/r60 sh experiments/2026-12-06-round55-cpu/score.sh c60-norm c60-norm-steps
#   python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c55-ctl c60-norm
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r60
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5 --data data/default/train --mal-variant frozen"
run c60-norm --model-config '{"level_norm_s": 0.5}' &
run c60-norm-steps --model-config '{"level_norm_s": 0.5}' --level-steps-prob 0.5 &
wait
