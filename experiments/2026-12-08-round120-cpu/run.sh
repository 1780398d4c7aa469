#!/bin/sh
# Round 120 (RULE.md): s105-a fine-tuned 400 CPU steps with today's ensemble as a teacher.
#   sh experiments/2026-12-08-round120-cpu/run.sh        # resumable, two threads
#   RUNS=runs/r120 sh experiments/scripts/judge_candidate.sh runs/r120 c120-distill
set -eu
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-runs/r120}
. experiments/scripts/cpu_round.sh
[ -f runs/r105/s105-a/model.safetensors ] || {
    mkdir -p runs/r105/s105-a
    for file in config.json model.safetensors; do
        git show "ffe7da3:experiments/2026-12-07-round105-gpu/models/s105-a/$file" \
            > "runs/r105/s105-a/$file"
    done
}
COMMON="$REAL_NOISE_CPU_RECIPE"
run c120-distill --init runs/r105/s105-a --pause-prob 0.1 --pause-fade-ms 200 \
    --teacher ensemble --teacher-weight 10
