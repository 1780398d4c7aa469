#!/bin/sh
# Round 112 (RULE.md): round 107's c107-mal with the bundled ensemble as a teacher, 1000 CPU
# steps from round 87's fresh87-s1, one thread.
#   sh experiments/2026-12-07-round112-cpu/run.sh          # resumable, ~40 min
#   RUNS=runs/r112 sh experiments/2026-12-06-round55-cpu/score.sh c112-teach
#   .venv/bin/python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c107-mal c112-teach
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r112
. experiments/scripts/cpu_round.sh
fresh87_s1
COMMON="$REAL_NOISE_STAGE2_CPU_RECIPE"
run c112-teach --mal-weight 3 --teacher ensemble --teacher-weight 1
