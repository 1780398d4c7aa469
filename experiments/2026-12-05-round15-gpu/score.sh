#!/bin/sh
# Round 15's runs on devreal, beside the default, fe-more and the peers (their round-14
# outputs, linked: the same files through the same deterministic systems). From the repo root,
# after the GPU's .tgz files are unpacked into runs/r15:
#   sh experiments/2026-12-05-round15-gpu/score.sh [NAME ...]
#   python experiments/2026-12-05-round15-gpu/decide.py eval/devreal15 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
DEV=data/default/devreal
EVAL=eval/devreal15
NAMES=${*:-wide384 same256 wide384-clean same256-pairs}
mkdir -p "$EVAL/noisy" "$EVAL/clean"
for part in noisy clean; do
    for system in "$(pwd)"/eval/devreal14/$part/*; do
        case $(basename "$system") in default|fe-more|peer-*)
            [ -e "$EVAL/$part/$(basename "$system")" ] || ln -s "$system" "$EVAL/$part/";;
        esac
    done
done
for table in noisy-all-scores.csv clean-scores.csv noisy-scores.csv; do
    [ -f "$EVAL/$table" ] || cp "eval/devreal14/$table" "$EVAL/$table"
done
for name in $NAMES; do
    for part in noisy clean; do
        [ -d "$EVAL/$part/$name" ] || $PY -m malenhance enhance "$DEV/$part" \
            -o "$EVAL/$part/$name/" -m "runs/r15/$name" --threads 1 --quiet
    done
done
$PY experiments/2026-12-05-round14-gpu/fast_scores_add.py "$EVAL" "$DEV" $NAMES
set --
for name in $NAMES; do set -- "$@" "$EVAL/noisy/$name"; done
$PY -m malenhance score "$@" --ref eval/devreal13/dnsmos40/clean \
    --noisy eval/devreal13/dnsmos40/noisy --dnsmos -o "$EVAL/noisy-scores.csv" --resume
