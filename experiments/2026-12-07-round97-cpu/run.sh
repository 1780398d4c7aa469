#!/bin/sh
# Round 97 (RULE.md): round 96 with --pause-prob 0.1.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02   # if missing
#   sh experiments/2026-12-07-round97-cpu/run.sh        # resumable, ~8 min on 2 cores
#   RUNS=runs/r97 sh experiments/2026-12-06-round55-cpu/score.sh c97-pause01
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r97
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c97-pause01 --pause-prob 0.1
