#!/bin/sh
# DIR/NAME: round 79's default-made voice-acting targets with SHARE of their originals
# blended in (round 81's build.py into DIR/pairs-extra-NAME), drawn 6 times (weigh_pairs.sh).
# Rounds 81 on; on the device PY is python3.
#   sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02
set -eu
PY=${PY:-python3}
$PY experiments/2026-12-07-round81-cpu/build.py data/r79/pairs-extra-self \
    "$1/pairs-extra-$2" "$3"
EXTRA="$1/pairs-extra-$2" sh experiments/scripts/weigh_pairs.sh "$1/$2" 6
