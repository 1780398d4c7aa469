#!/bin/sh
# Round 103 (RULE.md): round 100 with --oversuppression-weight 2.
#   sh experiments/2026-12-07-round103-cpu/run.sh        # resumable, ~8 min on 2 cores
#   RUNS=runs/r103 sh experiments/2026-12-06-round55-cpu/score.sh c103-osup
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r103
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c103-osup --pause-prob 0.1 --pause-fade-ms 200 --oversuppression-weight 2
