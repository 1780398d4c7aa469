#!/bin/sh
# Round 42 (CPU, RULE.md): teacher below 6 kHz, gated target above, from r27-ovs05.
#   python experiments/2026-12-06-round42-cpu/split_targets.py data/r36/teach data/r42/split
#   sh experiments/2026-12-06-round42-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r42 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c42-split
#   python experiments/2026-12-06-round42-cpu/probe.py eval/devreal18 data/default/devreal
# The control is round 34's c34-ctl; c36-teach and c37-gated are reported beside it.
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r42
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5"

run c42-split --data data/r42/split
