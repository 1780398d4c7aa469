#!/bin/sh
# Round 100 (RULE.md): round 97 with --pause-fade-ms 200.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02   # if missing
#   sh experiments/2026-12-07-round100-cpu/run.sh        # resumable, ~8 min on 2 cores
#   RUNS=runs/r100 sh experiments/2026-12-06-round55-cpu/score.sh c100-gentle
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r100
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c100-gentle --pause-prob 0.1 --pause-fade-ms 200
