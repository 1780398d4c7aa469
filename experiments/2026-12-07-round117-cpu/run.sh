#!/bin/sh
# Round 117 (RULE.md): round 114's c114-teach10 trained 1000 more CPU steps on its own command
# (the ensemble as teacher at weight 10), seed 1, one thread; then devreal and the comparison.
#   sh experiments/2026-12-07-round117-cpu/run.sh          # resumable, ~45 min
#   RUNS=runs/r117 sh experiments/2026-12-06-round55-cpu/score.sh c117-more
#   .venv/bin/python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c114-teach10 c117-more
set -eu
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-runs/r117}
. experiments/scripts/cpu_round.sh
[ -f runs/r114/c114-teach10/model.safetensors ] \
    || { echo "needs round 114's model in runs/r114/c114-teach10 (its README)" >&2; exit 1; }
COMMON="$REAL_NOISE_STAGE2_CPU_RECIPE"
run c117-more --mal-weight 3 --teacher ensemble --teacher-weight 10 \
    --init runs/r114/c114-teach10 --seed 1
