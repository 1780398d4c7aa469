#!/bin/sh
# Round 93 (RULE.md): round 92's control on targets with silent pauses.
#   .venv/bin/python experiments/2026-12-07-round93-cpu/gate_targets.py data/r84/blend02 data/r93/gated
#   sh experiments/2026-12-07-round93-cpu/run.sh        # ~7 min on 2 cores
#   RUNS=runs/r93 sh experiments/2026-12-06-round55-cpu/score.sh c93-gated
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r93
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --init $S87_BLEND02
  --data data/r93/gated --stage2-steps 400 --stage2-lr 1e-4 --mal-variant frozen --threads 2"
run c93-gated
