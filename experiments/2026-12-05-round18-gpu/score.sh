#!/bin/sh
# Round 18's runs on devreal (RULE.md), beside the default and the peers. From the repo root,
# after the GPU's .tgz files are unpacked into runs/r18:
#   sh experiments/2026-12-05-round18-gpu/score.sh [NAME ...]
#   python experiments/2026-12-05-round18-gpu/decide.py eval/devreal18 data/default/devreal
# Round 15's score.sh (PESQ-wb, ESTOI, SI-SDR on 120 clips, DNSMOS on round 13's 40), then
# DNSMOS alone on all 120 noisy clips for the noisy input, the default, the runs and the
# peers, which are run on the 120 clips here (benchmarks.peers).
set -eu
PY=${PY:-.venv/bin/python}
DEV=data/default/devreal
EVAL=${EVAL:-eval/devreal18}
NAMES=${*:-p-ctl p-res p-distill p-distill3}
EVAL=$EVAL RUNS=${RUNS:-runs/r18} sh experiments/2026-12-05-round15-gpu/score.sh $NAMES
for peer in deepfilternet3 gtcrn nsnet2 dtln rnnoise; do
    [ -d "$EVAL/noisy/peer-$peer" ] \
        || $PY -m benchmarks.peers enhance "$peer" "$DEV/noisy" "$EVAL/noisy/peer-$peer"
done
# "input", not "noisy-input": that name is malenhance score's own, and a clash makes it
# name every system by its whole path
[ -e "$EVAL/noisy/input" ] || ln -s "$(pwd)/$DEV/noisy" "$EVAL/noisy/input"
set --
for name in input default peer-deepfilternet3 peer-gtcrn peer-nsnet2 peer-dtln \
    peer-rnnoise $NAMES; do set -- "$@" "$EVAL/noisy/$name"; done
$PY -m malenhance score "$@" --dnsmos --jobs 2 -o "$EVAL/dnsmos120.csv" --resume --quiet
