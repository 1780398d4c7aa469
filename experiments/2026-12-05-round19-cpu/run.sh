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
COMMON="--init default --batch-size 8 --segment-seconds 4 --snr-range=-5,30
  --extra-noise-prob 0.5 --noise-balance --seed 0 --threads 1 --workers 1 --export last
  --valid-every 0 --checkpoint-every 100 --quiet --clean-prob 0.2 --oversuppression-weight 1
  --residual-weight 1 --stage1-steps 0 --stage2-steps 300 --stage2-lr 1e-4
  --mal-variant frozen-fe --mal-layers all --mal-weight 3"
. experiments/scripts/cpu_round.sh
run c19-dfn3 --data data/r15/pairs &
run c19-gtcrn --data data/r19/gtcrn &
wait
