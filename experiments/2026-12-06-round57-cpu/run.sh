#!/bin/sh
# Round 57 (RULE.md): round 55's level steps with a higher local-SNR floor, 300 CPU steps each.
#   sh experiments/2026-12-06-round57-cpu/run.sh          # resumable
#   RUNS=runs/r57 sh experiments/2026-12-06-round55-cpu/score.sh c57-floor10 c57-cleanonly
#   python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default c55-ctl ARM
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r57
. experiments/scripts/cpu_round.sh
COMMON="$ROUND19_RECIPE --oversuppression-weight 0.5 --data data/default/train --mal-variant frozen"
F=experiments/2026-12-06-round57-cpu/floor.py
PY="$PY $F 10" run c57-floor10 --level-steps-prob 0.5 &
PY="$PY $F 1000" run c57-cleanonly --level-steps-prob 0.5 &
wait
