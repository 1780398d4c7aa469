#!/bin/sh
# Round 96 (RULE.md): round 92's control with --pause-prob 0.5.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02   # if missing
#   sh experiments/2026-12-07-round96-cpu/run.sh        # resumable, ~8 min on 2 cores
#   RUNS=runs/r96 sh experiments/2026-12-06-round55-cpu/score.sh c96-pause
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r96
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c96-pause --pause-prob 0.5
