#!/bin/sh
# Round 75: the peers, the bundled default and this lineage's models re-run side by side in
# one run on devreal (120 noisy clips, 120 clean references), every system's outputs written
# fresh into one folder and scored there (PESQ-wb, ESTOI, SI-SDR; DNSMOS on the noisy clips).
# A measurement against the goals, not a bundling decision. From the repo root, with
# the peers installed (benchmarks/PEERS.md) and the models in runs/:
#   sh experiments/2026-12-07-round75-analysis/side_by_side.sh     # ~20 min on 2 cores
# Round 78 runs it on its confirmation set: DEV=data/confirm78/devreal EVAL=eval/confirm78
#   .venv/bin/python experiments/2026-12-07-round75-analysis/table.py eval/side75 data/default
set -eu
PY=${PY:-.venv/bin/python}
DEV=${DEV:-data/default/devreal}
EVAL=${EVAL:-eval/side75}
MODELS=${MODELS:-"default=default s72-frozen=runs/r72/s72-frozen soup74=runs/r74/soup74"}
PEERS="deepfilternet3 gtcrn nsnet2 dtln rnnoise"
for part in noisy clean; do
    mkdir -p "$EVAL/$part"
    for entry in $MODELS; do
        name=${entry%%=*}; model=${entry#*=}
        [ -d "$EVAL/$part/$name" ] || $PY -m malenhance enhance "$DEV/$part" \
            -o "$EVAL/$part/$name/" -m "$model" --threads 1 --quiet
    done
    for peer in $PEERS; do
        [ -d "$EVAL/$part/peer-$peer" ] \
            || $PY -m benchmarks.peers enhance "$peer" "$DEV/$part" "$EVAL/$part/peer-$peer"
    done
done
[ -f "$EVAL/clean-scores.csv" ] \
    || $PY experiments/2026-12-05-round13-gpu/fast_scores.py "$EVAL" "$DEV"
# "input", not "noisy-input": that name is malenhance score's own (see round 18's score.sh)
[ -e "$EVAL/dnsmos/input" ] || { mkdir -p "$EVAL/dnsmos" && ln -s "$(pwd)/$DEV/noisy" "$EVAL/dnsmos/input"; }
set -- "$EVAL/dnsmos/input"
for system in "$EVAL"/noisy/*/; do set -- "$@" "${system%/}"; done
$PY -m malenhance score "$@" --dnsmos --jobs 2 -o "$EVAL/dnsmos120.csv" --resume --quiet
