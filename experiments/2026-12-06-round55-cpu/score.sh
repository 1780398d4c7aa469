#!/bin/sh
# Round 55's runs on devreal (RULE.md), into round 54's eval/devreal54 (round 50's committed
# per-clip tables with the default re-run; see round 54's README), then DNSMOS on the 120
# noisy clips for the default and both runs. EVAL and DEV point it at another set (the
# confirmation set: eval/confirm78 and data/confirm78/devreal; judge_candidate.sh).
set -eu
PY=${PY:-.venv/bin/python}
DEV=${DEV:-data/default/devreal}
EVAL=${EVAL:-eval/devreal54}
RUNS=${RUNS:-runs/r55}
NAMES=${*:-c55-ctl c55-steps}
for name in $NAMES; do
    for part in noisy clean; do
        [ -d "$EVAL/$part/$name" ] || $PY -m malenhance enhance "$DEV/$part" \
            -o "$EVAL/$part/$name/" -m "$RUNS/$name" --threads 1 --quiet
    done
done
$PY experiments/2026-12-05-round14-gpu/fast_scores_add.py "$EVAL" "$DEV" $NAMES
set -- "$EVAL/noisy/default"
for name in $NAMES; do set -- "$@" "$EVAL/noisy/$name"; done
$PY -m malenhance score "$@" --dnsmos --jobs 2 -o "$EVAL/dnsmos120.csv" --resume --quiet
