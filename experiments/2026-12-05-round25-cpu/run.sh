#!/bin/sh
# Round 25 (CPU, RULE.md): round 22's c22-pairs6 with the voice-acting residuals as real noise.
#   sh experiments/2026-12-05-round25-cpu/run.sh           # from the repo root; resumable
#   RUNS=runs/r25 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c25-resnoise
#   python experiments/2026-12-05-round25-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r25
. experiments/scripts/cpu_round.sh
COMMON=$ROUND19_RECIPE
DATA=data/r25/resnoise
if [ ! -d "$DATA" ]; then
    sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
    $PY experiments/2026-12-05-round25-cpu/residuals.py data/r15/pairs-extra data/r25/residuals
    mkdir -p "$DATA" && cp -rl data/r22/pairs6/. "$DATA/"
    cp -rl data/r25/residuals "$DATA/noise/real/fillets_residuals"
fi
echo "$DATA: $(find "$DATA/noise/real" -type f | wc -l) real noise files"
run c25-resnoise --data "$DATA"
