#!/bin/sh
# Round 108 (RULE.md): round 107's run at MAL weight 1.
#   sh experiments/2026-12-07-round108-cpu/run.sh          # resumable, ~25 min on 2 cores
#   RUNS=runs/r108 sh experiments/2026-12-06-round55-cpu/score.sh c108-mal1
#   .venv/bin/python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c107-conv c108-mal1
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r108
. experiments/scripts/cpu_round.sh
fresh87_s1
COMMON="$REAL_NOISE_STAGE2_CPU_RECIPE"
run c108-mal1 --mal-weight 1
