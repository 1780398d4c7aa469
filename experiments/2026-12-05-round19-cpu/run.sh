#!/bin/sh
# Round 19 (CPU, RULE.md): two fine-tunes of the bundled default side by side.
#   python experiments/2026-12-05-round19-cpu/teacher_targets.py gtcrn data/r19/gtcrn-extra
#   mkdir -p data/r19/gtcrn && cp -rl data/r15/train/. data/r19/gtcrn/ \
#       && cp -rl data/r19/gtcrn-extra/. data/r19/gtcrn/
#   sh experiments/2026-12-05-round19-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r19 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c19-dfn3 c19-gtcrn
#   python experiments/2026-12-05-round19-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r19
. experiments/scripts/cpu_round.sh
COMMON=$ROUND19_RECIPE
run c19-dfn3 --data data/r15/pairs &
run c19-gtcrn --data data/r19/gtcrn &
wait
