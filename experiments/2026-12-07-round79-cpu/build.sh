#!/bin/sh
# Rounds 79 and 80 (round 79's RULE.md): round 16's 131 voice-acting pairs with new targets,
# drawn six times as in data/r23/pairs6. From the repo root, once data/r15/{train,pairs-extra}
# exist (here, or on the GPU machine after round 72's `unpack 1..10`):
#   sh experiments/2026-12-07-round79-cpu/build.sh     # data/r79/self6, data/r79/ident6
#   self:  the bundled default's output on each original (same name, length and format)
#   ident: the original itself
set -eu
PY=${PY:-.venv/bin/python}
pairs=data/r15/pairs-extra
for kind in self ident; do
    extra=data/r79/pairs-extra-$kind
    if [ ! -d "$extra" ]; then
        mkdir -p "$extra.part/original" && cp -rl "$pairs/original/." "$extra.part/original/"
        if [ "$kind" = ident ]; then
            mkdir -p "$extra.part/clean" && cp -rl "$pairs/original/." "$extra.part/clean/"
        else
            for speaker in "$pairs"/original/real16k/*/; do
                $PY -m malenhance enhance "$speaker" -m default --device cpu --threads 2 --quiet \
                    -o "$extra.part/clean/real16k/$(basename "$speaker")/"
            done
        fi
        mv "$extra.part" "$extra"
    fi
    EXTRA=$extra sh experiments/scripts/weigh_pairs.sh "data/r79/${kind}6" 6
    echo "data/r79/${kind}6: $(find "data/r79/${kind}6/clean" -type f | wc -l) clean files"
done
