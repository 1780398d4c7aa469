#!/bin/sh
# Loan 1's checkpoints and round 91's finished model, from git history into .carry (ignored),
# one folder per device call: each is ~14 MiB and would not fit a call beside a data part.
#   sh experiments/2026-12-07-round105-gpu/fetch_pieces.sh COMMIT
set -eu
commit=${1:?the commit that holds them (README)}
R105=experiments/2026-12-07-round105-gpu
R91=experiments/2026-12-07-round91-gpu
mkdir -p .carry/r105a .carry/r105b .carry/r91m
for name in s105-a s105-b; do
    git show "$commit:$R105/$name-checkpoint.pt.gz" > ".carry/r105${name#s105-}/$name-checkpoint.pt.gz"
done
for file in model.safetensors config.json; do
    git show "$commit:$R91/models/fresh91-s1/$file" > ".carry/r91m/$file"
done
du -sh .carry/r105a .carry/r105b .carry/r91m
