#!/bin/sh
# Round 71 (RULE.md): stage 2 from round 69's stage 1, MAL w3 against MAL w0, 1000 CPU steps.
# From the repo root, after round 69's model is in runs/r69/fresh69-s1 and its data in
# data/r23/pairs6 (RULE.md):
#   sh experiments/2026-12-06-round71-cpu/run.sh          # resumable, ~45 min on 2 cores
#   RUNS=runs/r71 sh experiments/2026-12-06-round55-cpu/score.sh s71-mal s71-conv
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r71
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE"
run s71-mal --mal-weight 3 &
run s71-conv --mal-weight 0 &
wait
