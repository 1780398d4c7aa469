#!/bin/sh
# Round 89 (RULE.md): round 84's c84-blend02 from round 87's fresh87-s1 at step 27500.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02
#   sh experiments/2026-12-07-round89-cpu/run.sh        # resumable, ~17 min on 2 cores
#   RUNS=runs/r89 sh experiments/2026-12-06-round55-cpu/score.sh s89-blend02
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r89
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run s89-blend02 --data data/r84/blend02 --init runs/r87/fresh87-s1-27500 --threads 2
