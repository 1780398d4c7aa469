#!/bin/sh
# Round 84 (RULE.md): s79-self's recipe with a fiftieth of the original in the pairs'
# targets. After round 79's build.sh:
#   sh experiments/2026-12-07-round84-cpu/run.sh           # ~25 min on 2 cores
#   RUNS=runs/r84 sh experiments/2026-12-06-round55-cpu/score.sh c84-blend02
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r84
PY=$PY sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run c84-blend02 --data data/r84/blend02 --threads 2
