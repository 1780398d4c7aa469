#!/bin/sh
# Round 121 (RULE.md): round 120's c120-distill 800 CPU steps further, seed 1, two threads.
#   sh experiments/2026-12-08-round121-cpu/run.sh        # resumable, ~22 min
#   sh experiments/scripts/judge_candidate.sh runs/r121 c121-more
#   python experiments/2026-12-07-round90-analysis/pooled.py --base s105-a c121-more
set -eu
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-runs/r121}
[ -f runs/r120/c120-distill/model.safetensors ] \
    || { echo "needs round 120's model: sh experiments/2026-12-08-round120-cpu/run.sh" >&2; exit 1; }
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE"
run c121-more --init runs/r120/c120-distill --pause-prob 0.1 --pause-fade-ms 200 \
    --teacher ensemble --teacher-weight 10 --stage2-steps 800 --seed 1
