#!/bin/sh
# Round 98 (RULE.md): round 96 with --pause-fill room-tone.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02   # if missing
#   sh experiments/2026-12-07-round98-cpu/run.sh        # resumable, ~8 min on 2 cores
#   RUNS=runs/r98 sh experiments/2026-12-06-round55-cpu/score.sh c98-tone
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r98
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c98-tone --pause-prob 0.5 --pause-fill room-tone
