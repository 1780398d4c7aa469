#!/bin/sh
# Round 126's addendum: the default with --speech-lim 18 / --atten-lim 18 on both held-out
# sets' noisy inputs, then the deleted-speech measure beside the default's own outputs.
set -eu
PY=${PY:-.venv/bin/python}
OUT=${OUT:-runs/r126}
for option in speech-lim atten-lim; do
    for pair in "devreal data/default/devreal" "confirm78 data/confirm78/devreal"; do
        set -- $pair
        [ -d "$OUT/$option/$1" ] || $PY -m malenhance enhance "$2/noisy" -o "$OUT/$option/$1/" \
            --"$option" 18 --threads 1 --quiet
    done
done
$PY experiments/2026-12-08-round126-analysis/user_options.py
