#!/bin/sh
# Round 53 (RULE.md): MAL `frozen` from the default with its own encoder or with round 50's
# big-s1 encoder as the loss network. From the repo root (runs/r50/big-s1 must exist):
#   sh experiments/2026-12-06-round53-cpu/run.sh          # resumable
#   RUNS=runs/r53 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c53-own c53-real
#   python experiments/2026-12-06-round53-cpu/probe.py eval/devreal18
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r53
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5 --data data/r22/pairs6 --mal-variant frozen"
LOSS_ENCODER=runs/r50/big-s1
PATCHED="$PY experiments/2026-12-06-round53-cpu/foreign_encoder.py $LOSS_ENCODER"

sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
run c53-own &
PY=$PATCHED run c53-real &
wait
