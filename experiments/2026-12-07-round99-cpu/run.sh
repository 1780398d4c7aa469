#!/bin/sh
# Round 99 (RULE.md): round 96 with --pause-fade-ms 200.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02   # if missing
#   sh experiments/2026-12-07-round99-cpu/run.sh        # resumable, ~8 min on 2 cores
#   RUNS=runs/r99 sh experiments/2026-12-06-round55-cpu/score.sh c99-fade
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r99
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c99-fade --pause-prob 0.5 --pause-fade-ms 200
