#!/bin/sh
# Round 83 (RULE.md): s79-self's recipe with a twentieth of the original in the pairs'
# targets. After round 79's build.sh:
#   sh experiments/2026-12-07-round83-cpu/run.sh           # ~30 min on 2 cores
#   RUNS=runs/r83 sh experiments/2026-12-06-round55-cpu/score.sh s83-blend05
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r83
PY=$PY sh experiments/scripts/blend_pairs.sh data/r83 blend05 0.05
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run s83-blend05 --data data/r83/blend05 --threads 2
