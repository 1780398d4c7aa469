#!/bin/sh
# Round 126: the peers on all 240 noisy inputs of both held-out sets, into runs/r126.
set -eu
PY=${PY:-.venv/bin/python}
OUT=${OUT:-runs/r126}
mkdir -p "$OUT/inputs"
for pair in "devreal data/default/devreal" "confirm78 data/confirm78/devreal"; do
    set -- $pair
    for file in "$2"/noisy/*.wav; do
        link="$OUT/inputs/$1__$(basename "$file")"
        [ -e "$link" ] || ln -s "$(realpath "$file")" "$link"
    done
done
for peer in deepfilternet3 gtcrn nsnet2 dtln; do
    $PY -m benchmarks.peers enhance "$peer" "$OUT/inputs" "$OUT/peer-$peer"
done
