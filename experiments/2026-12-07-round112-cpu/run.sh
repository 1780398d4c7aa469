#!/bin/sh
# Round 112 (RULE.md): round 107's c107-mal with the bundled ensemble as a teacher, 1000 CPU
# steps from round 87's fresh87-s1, one thread. Round 114 is the same at weight 10:
#   sh experiments/2026-12-07-round112-cpu/run.sh          # resumable, ~45 min
#   NAME=c114-teach10 WEIGHT=10 RUNS=runs/r114 sh experiments/2026-12-07-round112-cpu/run.sh
#   RUNS=runs/r112 sh experiments/2026-12-06-round55-cpu/score.sh c112-teach
#   .venv/bin/python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c107-mal c112-teach
set -eu
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-runs/r112}
. experiments/scripts/cpu_round.sh
fresh87_s1
COMMON="$REAL_NOISE_STAGE2_CPU_RECIPE"
run "${NAME:-c112-teach}" --mal-weight 3 --teacher ensemble --teacher-weight "${WEIGHT:-1}"
