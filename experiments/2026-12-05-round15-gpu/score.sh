#!/bin/sh
# Round 15's runs on devreal, beside the default and the peers (RULE.md, addendum 3). From the
# repo root, after the GPU's .tgz files are unpacked into runs/r15:
#   sh experiments/2026-12-05-round15-gpu/score.sh [NAME ...]
#   python experiments/2026-12-05-round15-gpu/decide.py eval/devreal15 data/default/devreal
# The peers' and the noisy input's per-clip scores come from round 13's committed tables (the
# same files through the same deterministic systems); the default is run and scored again
# here; check_rebuild.py stops the script unless the noisy inputs score as in round 13 (the
# same devreal) and reports how far the default's fresh scores are from round 13's.
set -eu
PY=${PY:-.venv/bin/python}
DEV=data/default/devreal
EVAL=${EVAL:-eval/devreal15}  # round 18 scores into eval/devreal18 (its default: r17-soup-half)
RUNS=${RUNS:-runs/r15}  # round 17 scores runs/r17 into the same tables
R13=experiments/2026-12-05-round13-gpu
NAMES=${*:-wide384 same256 wide384-clean same256-pairs wide384-clean-pairs same256-clean-pairs
    same256-clean}
mkdir -p "$EVAL/noisy" "$EVAL/clean" "$EVAL/dnsmos40/noisy" "$EVAL/dnsmos40/clean"
for table in noisy-all-scores.csv clean-scores.csv noisy-scores.csv; do
    [ -f "$EVAL/$table" ] || zcat "$R13/devreal-$table.gz" \
        | awk -F, 'NR == 1 || $1 == "noisy-input" || $1 ~ /^peer-/' > "$EVAL/$table"
done
for file in $(zcat "$R13/devreal-noisy-scores.csv.gz" | awk -F, '$1 == "noisy-input" {print $2}'); do
    for part in noisy clean; do
        [ -e "$EVAL/dnsmos40/$part/$file.wav" ] \
            || ln -s "$(pwd)/$DEV/$part/$file.wav" "$EVAL/dnsmos40/$part/"
    done
done
enhance() {  # system, model
    for part in noisy clean; do
        [ -d "$EVAL/$part/$1" ] || $PY -m malenhance enhance "$DEV/$part" \
            -o "$EVAL/$part/$1/" -m "$2" --threads 1 --quiet
    done
}
enhance default default
$PY experiments/2026-12-05-round14-gpu/fast_scores_add.py "$EVAL" "$DEV" default
$PY experiments/2026-12-05-round15-gpu/check_rebuild.py "$EVAL" "$R13" "$DEV"
for name in $NAMES; do enhance "$name" "$RUNS/$name"; done
$PY experiments/2026-12-05-round14-gpu/fast_scores_add.py "$EVAL" "$DEV" $NAMES
set --
for name in default $NAMES; do set -- "$@" "$EVAL/noisy/$name"; done
$PY -m malenhance score "$@" --ref "$EVAL/dnsmos40/clean" --noisy "$EVAL/dnsmos40/noisy" \
    --dnsmos -o "$EVAL/noisy-scores.csv" --resume
