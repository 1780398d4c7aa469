#!/bin/sh
# Round 108 (RULE.md): round 107's run at MAL weight 1.
#   sh experiments/2026-12-07-round108-cpu/run.sh          # resumable, ~25 min on 2 cores
#   RUNS=runs/r108 sh experiments/2026-12-06-round55-cpu/score.sh c108-mal1
#   .venv/bin/python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c107-conv c108-mal1
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r108
. experiments/scripts/cpu_round.sh
[ -f runs/r87/fresh87-s1/model.safetensors ] \
    || cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 runs/r87/
COMMON="$FRESH69_STAGE2_RECIPE --init runs/r87/fresh87-s1 --data data/r84/blend02
  --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200"
run c108-mal1 --mal-weight 1
