#!/bin/sh
# Round 63 (RULE.md): the bundled default with --speech-lim DB on devreal, into round 54's
# eval/devreal54 as default-slDB, then DNSMOS on the noisy clips.
#   sh experiments/2026-12-06-round63-analysis/score.sh 30 36
# MODEL=experiments/2026-12-06-round58-gpu/g58-steps PREFIX=g58-steps-sl: the addendum's model.
set -eu
MODEL=${MODEL:-default}
PREFIX=${PREFIX:-default-sl}
PY=${PY:-.venv/bin/python}
DEV=data/default/devreal
EVAL=${EVAL:-eval/devreal54}
NAMES=""
for db in "$@"; do
    name=$PREFIX$db
    NAMES="$NAMES $name"
    for part in noisy clean; do
        [ -d "$EVAL/$part/$name" ] || $PY -m malenhance enhance "$DEV/$part" \
            -o "$EVAL/$part/$name/" -m "$MODEL" --speech-lim "$db" --threads 1 --quiet
    done
done
$PY experiments/2026-12-05-round14-gpu/fast_scores_add.py "$EVAL" "$DEV" $NAMES
set -- "$EVAL/noisy/default"
for name in $NAMES; do set -- "$@" "$EVAL/noisy/$name"; done
$PY -m malenhance score "$@" --dnsmos --jobs 2 -o "$EVAL/dnsmos120.csv" --resume --quiet
