#!/bin/sh
# What the next loan carries back from git history into .carry (ignored), one folder per device
# call (each ~14 MiB would not fit a call beside a data part): c110-conv's checkpoint at step
# 1900 (loan 3, commit ffe7da3) and round 91's model (commit 5bbf94a), which round 119's
# `s119-distill` starts from. s105-a, s105-b, s113-distill and s118-distill-b finished.
#   sh experiments/2026-12-07-round105-gpu/fetch_pieces.sh
set -eu
R105=experiments/2026-12-07-round105-gpu
R91=experiments/2026-12-07-round91-gpu
mkdir -p .carry/c110 .carry/r91m
git show "ffe7da3:$R105/c110-conv-checkpoint.pt.gz" > .carry/c110/c110-conv-checkpoint.pt.gz
for file in model.safetensors config.json; do
    git show "5bbf94a:$R91/models/fresh91-s1/$file" > ".carry/r91m/$file"
done
du -sh .carry/c110 .carry/r91m
