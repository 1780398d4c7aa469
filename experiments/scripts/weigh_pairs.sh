#!/bin/sh
# Round 15's pairs data with each voice-acting pair (target and original) hard-linked COPIES
# times in all, under new folder names, so the sampler draws those pairs COPIES times as often
# (rounds 22 and 23). From the repo root, after data/r15/{pairs,pairs-extra} exist:
#   sh experiments/scripts/weigh_pairs.sh OUT COPIES
set -eu
out=$1; copies=$2
[ -d "$out" ] && exit 0
mkdir -p "$out" && cp -rl data/r15/pairs/. "$out/"
for speaker in data/r15/pairs-extra/original/real16k/*/; do
    speaker=$(basename "$speaker")
    i=2; while [ "$i" -le "$copies" ]; do
        for side in clean original; do
            cp -rl "data/r15/pairs-extra/$side/real16k/$speaker" \
                "$out/$side/real16k/${speaker}_copy$i"
        done
        i=$((i + 1))
    done
done
