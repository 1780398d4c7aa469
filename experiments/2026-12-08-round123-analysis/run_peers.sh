#!/bin/sh
# Round 123: the peers on the 57 noisy inputs at 15-20 dB of both held-out sets, into runs/r123.
set -eu
PY=${PY:-.venv/bin/python}
OUT=${OUT:-runs/r123}
$PY experiments/2026-12-08-round123-analysis/sir_sar.py --link "$OUT/inputs"
for peer in deepfilternet3 gtcrn nsnet2 dtln rnnoise; do
    $PY -m benchmarks.peers enhance "$peer" "$OUT/inputs" "$OUT/peer-$peer"
done
