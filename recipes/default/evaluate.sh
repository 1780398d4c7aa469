#!/bin/sh
# Development-set comparison behind the tables in models.md and README.md.
#   sh recipes/default/evaluate.sh      # our runs (runs/default/*) + the peers
# Enhances data/default/dev/noisy with each system into eval/dev/<system>/, then scores
# every system side by side in one `malenhance score` table (same files, same metrics)
# on the first FILES clips (all metrics with DNSMOS cost ~3 s of CPU per file and system:
# 17 systems x 150 clips would take over an hour on 2 cores), and the self-consistency of
# our models on the first CONSISTENCY_FILES clips. Every step resumes where it stopped.
set -eu
DEV=${DEV:-data/default/dev}
RUNS=${RUNS:-runs/default}
EVAL=${EVAL:-eval}
FILES=${FILES:-100}
CONSISTENCY_FILES=${CONSISTENCY_FILES:-30}
MODELS=${MODELS:-"previous-default stage1 conventional frozen-all frozen-fe-all dynamic-all conventional-x2 frozen-all-x2 frozen-all-w3-x2"}
PEERS=${PEERS:-"deepfilternet3 gtcrn dtln nsnet2 rnnoise webrtc noisereduce"}
PY=${PY:-.venv/bin/python}
# Peers installed with `pip install --no-deps --target $PEERS_SITE -r benchmarks/requirements-peers.txt`
PEERS_SITE=${PEERS_SITE:-}

subset() {  # subset NAME COUNT: symlinks to the first COUNT clean (and noisy) clips
    for part in clean noisy; do
        mkdir -p "$EVAL/$1/$part"
        for f in $(ls "$DEV/$part" | head -n "$2"); do
            ln -sf "$(pwd)/$DEV/$part/$f" "$EVAL/$1/$part/$f"
        done
    done
}

systems=""
for name in $MODELS; do
    $PY -m malenhance enhance "$DEV/noisy" -o "$EVAL/dev/$name" -m "$RUNS/$name" --threads 1 \
        --quiet --skip-existing
    systems="$systems $EVAL/dev/$name"
done
for peer in $PEERS; do
    PYTHONPATH="$PEERS_SITE:." OMP_NUM_THREADS=1 $PY -m benchmarks.peers enhance "$peer" \
        "$DEV/noisy" "$EVAL/dev/peer-$peer" > /dev/null
    systems="$systems $EVAL/dev/peer-$peer"
done

subset "dev$FILES" "$FILES"
$PY -m malenhance score $systems --ref "$EVAL/dev$FILES/clean" --noisy "$EVAL/dev$FILES/noisy" \
    --dnsmos --jobs 2 -o "$EVAL/dev$FILES/scores.csv" -s "$EVAL/dev$FILES/summary.json" \
    --resume --quiet || true  # the clips beyond FILES are listed as unpaired

# Self-consistency: enhance each model's output again with the same model.
subset "dev$CONSISTENCY_FILES" "$CONSISTENCY_FILES"
for name in $MODELS; do
    $PY -m malenhance score "$EVAL/dev/$name" --ref "$EVAL/dev$CONSISTENCY_FILES/clean" \
        --consistency -m "$RUNS/$name" --no-dnsmos --jobs 2 \
        -o "$EVAL/dev$CONSISTENCY_FILES/consistency-$name.csv" --resume --quiet || true
done
$PY recipes/default/report.py "$EVAL/dev$FILES/scores.csv" \
    --consistency "$EVAL/dev$CONSISTENCY_FILES"
