#!/bin/sh
# Round 81 (RULE.md): s79-self's recipe with the default-made pairs drawn 12x, or their
# targets blended with a quarter of the original. After round 79's build.sh:
#   sh experiments/2026-12-07-round81-cpu/run.sh           # resumable, ~40 min on 2 cores
#   RUNS=runs/r81 sh experiments/2026-12-06-round55-cpu/score.sh s81-self12 s81-blend25
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r81
EXTRA=data/r79/pairs-extra-self sh experiments/scripts/weigh_pairs.sh data/r81/self12 12
PY=$PY sh experiments/scripts/blend_pairs.sh data/r81 blend25 0.25
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run s81-self12 --data data/r81/self12 &
run s81-blend25 --data data/r81/blend25 &
wait
