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
[ -f runs/r87/fresh87-s1/model.safetensors ] \
    || cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 runs/r87/
COMMON="$FRESH69_STAGE2_RECIPE --init runs/r87/fresh87-s1 --data data/r84/blend02
  --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200"
run c107-mal --mal-weight 3 &
run c107-conv --mal-weight 0 &
wait
