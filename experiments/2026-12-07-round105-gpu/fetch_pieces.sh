#!/bin/sh
# What the next loan carries back from git history into .carry (ignored), one folder per device
# call (each ~14 MiB would not fit a call beside a data part): s105-a's checkpoint at step 2600
# (loan 2, commit b36f624) and round 91's finished model (commit 5bbf94a). s105-b finished.
#   sh experiments/2026-12-07-round105-gpu/fetch_pieces.sh
set -eu
R105=experiments/2026-12-07-round105-gpu
R91=experiments/2026-12-07-round91-gpu
mkdir -p .carry/r105a .carry/r91m
git show "b36f624:$R105/s105-a-checkpoint.pt.gz" > .carry/r105a/s105-a-checkpoint.pt.gz
for file in model.safetensors config.json; do
    git show "5bbf94a:$R91/models/fresh91-s1/$file" > ".carry/r91m/$file"
done
du -sh .carry/r105a .carry/r91m
