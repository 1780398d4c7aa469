#!/bin/sh
# Round 77 (RULE.md): round 73's s73-frozen on the voice-acting pairs drawn once and three times.
#   sh experiments/2026-12-07-round76-gpu/gpu.sh weigh      # data/r23/pairs1 and pairs3
#   sh experiments/2026-12-07-round77-cpu/run.sh           # resumable, ~35 min on 2 cores
#   RUNS=runs/r77 sh experiments/2026-12-06-round55-cpu/score.sh s77-w1 s77-w3
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r77
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run s77-w1 --data data/r23/pairs1 &
run s77-w3 --data data/r23/pairs3 &
wait
