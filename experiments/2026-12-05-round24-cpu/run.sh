#!/bin/sh
# Round 24 (CPU, RULE.md): round 22's c22-pairs6 with the fillets minor voices' pairs added, 6x.
#   PYTHONPATH=. python experiments/2026-12-05-round24-cpu/minor_targets.py data/r24/minor
#   sh experiments/2026-12-05-round24-cpu/run.sh           # from the repo root; resumable
#   RUNS=runs/r24 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c24-minor6
#   python experiments/2026-12-05-round24-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r24
. experiments/scripts/cpu_round.sh
COMMON=$ROUND19_RECIPE
DATA=data/r24/minor6
if [ ! -d "$DATA" ]; then
    sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
    mkdir -p "$DATA" && cp -rl data/r22/pairs6/. "$DATA/"
    for voice in data/r24/minor/raw/clean/real16k/*/; do
        voice=$(basename "$voice")
        for i in 1 2 3 4 5 6; do
            suffix=""; [ "$i" -gt 1 ] && suffix="_copy$i"
            cp -rl "data/r24/minor/teacher/clean/real16k/$voice" "$DATA/clean/real16k/$voice$suffix"
            cp -rl "data/r24/minor/raw/clean/real16k/$voice" "$DATA/original/real16k/$voice$suffix"
        done
    done
fi
echo "$DATA: $(find "$DATA/clean" -type f | wc -l) clean, $(find "$DATA/original" -type f | wc -l) original"
run c24-minor6 --data "$DATA"
