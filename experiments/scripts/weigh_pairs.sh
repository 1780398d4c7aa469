#!/bin/sh
# Round 15's pairs data with each voice-acting pair (target and original) hard-linked COPIES
# times in all, under new folder names, so the sampler draws those pairs COPIES times as often
# (rounds 22 and 23). From the repo root, after data/r15/{train,pairs-extra} exist:
#   sh experiments/scripts/weigh_pairs.sh OUT COPIES
# EXTRA=DIR takes the pairs from DIR (clean/ and original/ as pairs-extra) instead (round 79).
set -eu
out=$1; copies=$2; extra=${EXTRA:-data/r15/pairs-extra}
[ -d "$out" ] && exit 0
mkdir -p "$out" && cp -rl data/r15/train/. "$out/" && cp -rl "$extra/." "$out/"
for speaker in "$extra"/original/real16k/*/; do
    speaker=$(basename "$speaker")
    i=2; while [ "$i" -le "$copies" ]; do
        for side in clean original; do
            cp -rl "$extra/$side/real16k/$speaker" \
                "$out/$side/real16k/${speaker}_copy$i"
        done
        i=$((i + 1))
    done
done
