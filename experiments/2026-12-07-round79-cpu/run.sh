#!/bin/sh
# Round 79 (RULE.md): round 73's s73-frozen with the voice-acting pairs' targets made by the
# default (`s79-self`) or left as recorded (`s79-ident`).
#   sh experiments/2026-12-07-round79-cpu/build.sh         # data/r79/self6, ident6
#   sh experiments/2026-12-07-round79-cpu/run.sh           # resumable, ~40 min on 2 cores
#   RUNS=runs/r79 sh experiments/2026-12-06-round55-cpu/score.sh s79-self s79-ident
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r79
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run s79-self --data data/r79/self6 &
run s79-ident --data data/r79/ident6 &
wait
