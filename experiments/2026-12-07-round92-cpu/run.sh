#!/bin/sh
# Round 92 (RULE.md): s87-blend02 continued 400 CPU steps, residual weight 1 and 3.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02   # if missing
#   sh experiments/2026-12-07-round92-cpu/run.sh        # resumable
#   RUNS=runs/r92 sh experiments/2026-12-06-round55-cpu/score.sh c92-ctl c92-res3
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r92
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c92-ctl
run c92-res3 --residual-weight 3
