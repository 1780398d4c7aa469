#!/bin/sh
# Development-set comparison behind the tables in models.md and README.md.
#   sh recipes/default/evaluate.sh             # our runs (runs/default/*) + every peer
# Enhances data/default/dev/noisy with each system into eval/dev/<system>/, then scores
# all systems side by side in one `malenhance score` run (same files, same metrics).
set -eu
DEV=${DEV:-data/default/dev}
RUNS=${RUNS:-runs/default}
EVAL=${EVAL:-eval/dev}
MODELS=${MODELS:-"stage1 conventional frozen-all frozen-fe-all dynamic-all frozen-bn20 dynamic-bn20"}
PEERS=${PEERS:-"deepfilternet3 hush dtln gtcrn nsnet2 rnnoise webrtc speexdsp noisereduce"}
PY=${PY:-.venv/bin/python}
mkdir -p "$EVAL"

systems=""
for name in $MODELS; do
    [ -d "$EVAL/$name" ] || $PY -m malenhance enhance "$DEV/noisy" -o "$EVAL/$name" \
        -m "$RUNS/$name" --threads 1 --quiet --skip-existing
    systems="$systems $EVAL/$name"
done
for peer in $PEERS; do
    [ -d "$EVAL/peer-$peer" ] || $PY -m benchmarks.peers enhance "$peer" "$DEV/noisy" \
        "$EVAL/peer-$peer"
    systems="$systems $EVAL/peer-$peer"
done

$PY -m malenhance score $systems --ref "$DEV/clean" --noisy "$DEV/noisy" --dnsmos \
    --jobs 2 -o "$EVAL/scores.csv" -s "$EVAL/summary.json" --resume

# Self-consistency (enhance the enhanced output again with the same model).
for name in $MODELS; do
    $PY -m malenhance score "$EVAL/$name" --ref "$DEV/clean" --consistency \
        -m "$RUNS/$name" --no-dnsmos --jobs 2 -o "$EVAL/consistency-$name.csv" \
        -s "$EVAL/consistency-$name.json" --resume --quiet
done
