#!/bin/sh
# Round 74 (RULE.md): `s73-frozen`'s recipe with seed 1, then the two seeds' average.
#   sh experiments/2026-12-06-round74-cpu/run.sh          # resumable, ~25 min alone
#   RUNS=runs/r74 sh experiments/2026-12-06-round55-cpu/score.sh s74-frozen-s1 soup74
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r74
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run s74-frozen-s1 --seed 1 --threads 2
[ -f "$RUNS/soup74/model.safetensors" ] || \
    $PY experiments/scripts/soup.py "$RUNS/soup74" runs/r73/s73-frozen "$RUNS/s74-frozen-s1"
