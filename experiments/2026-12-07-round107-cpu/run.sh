#!/bin/sh
# Round 107 (RULE.md): MAL w3 against MAL w0 in the shipped real-noise recipe's data, 1000 CPU
# steps from round 87's fresh87-s1, side by side.
#   PY=.venv/bin/python sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02   # if missing
#   sh experiments/2026-12-07-round107-cpu/run.sh          # resumable, ~45 min on 2 cores
#   RUNS=runs/r107 sh experiments/2026-12-06-round55-cpu/score.sh c107-mal c107-conv
#   .venv/bin/python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c107-conv c107-mal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r107
. experiments/scripts/cpu_round.sh
fresh87_s1
COMMON="$REAL_NOISE_STAGE2_CPU_RECIPE"
run c107-mal --mal-weight 3 &
run c107-conv --mal-weight 0 &
wait
