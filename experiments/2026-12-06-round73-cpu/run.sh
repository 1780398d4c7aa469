#!/bin/sh
# Round 73 (RULE.md): round 71's recipe with the `frozen` and `dynamic` MAL variants.
#   sh experiments/2026-12-06-round73-cpu/run.sh          # resumable, ~35 min on 2 cores
#   RUNS=runs/r73 sh experiments/2026-12-06-round55-cpu/score.sh s73-frozen s73-dynamic
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r73
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3"
run s73-frozen --mal-variant frozen &
run s73-dynamic --mal-variant dynamic &
wait
