#!/bin/sh
# Round 26 (RULE.md): the bundled default at several attenuation limits, on devreal, into
# round 18's tables. From the repo root:
#   sh experiments/2026-12-05-round26-cpu/score.sh
#   python experiments/2026-12-05-round26-cpu/decide.py eval/devreal18 data/default/devreal
# PREFIX names the outputs (PREFIX30 ...; default lim): round 31's re-run for the default
# bundled after round 26 is PREFIX=r27lim (experiments/2026-12-05-round31-analysis).
set -eu
PY=${PY:-.venv/bin/python}
DEV=data/default/devreal
EVAL=${EVAL:-eval/devreal18}
LIMITS=${LIMITS:-30 24 18 12 6}
PREFIX=${PREFIX:-lim}
NAMES=""
for lim in $LIMITS; do
    for part in noisy clean; do
        [ -d "$EVAL/$part/$PREFIX$lim" ] || $PY -m malenhance enhance "$DEV/$part" \
            -o "$EVAL/$part/$PREFIX$lim/" -m default --atten-lim "$lim" --threads 1 --quiet
    done
    NAMES="$NAMES $PREFIX$lim"
done
$PY experiments/2026-12-05-round14-gpu/fast_scores_add.py "$EVAL" "$DEV" $NAMES
set --
for name in $NAMES; do set -- "$@" "$EVAL/noisy/$name"; done
$PY -m malenhance score "$EVAL/noisy/input" "$@" --dnsmos --jobs 2 -o "$EVAL/dnsmos120.csv" \
    --resume --quiet
