#!/bin/sh
# Round 88 (RULE.md): round 79's s79-self from round 87's fresh87-s1 at step 27500.
#   sh experiments/2026-12-07-round79-cpu/build.sh      # data/r79/self6
#   sh experiments/2026-12-07-round88-cpu/run.sh        # resumable, ~25 min on 2 cores
#   RUNS=runs/r88 sh experiments/2026-12-06-round55-cpu/score.sh s88-self
# runs/r87/fresh87-s1-27500: the step-27500 weights of round 87's committed checkpoint
# (round 87's README says how they were exported).
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r88
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run s88-self --data data/r79/self6 --init runs/r87/fresh87-s1-27500 --threads 2
