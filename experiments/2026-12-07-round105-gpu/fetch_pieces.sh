#!/bin/sh
# What the next loan carries back from git history into .carry (ignored), one folder per device
# call (each ~14 MiB would not fit a call beside a data part): c110-conv's checkpoint at step
# 1900 (loan 3, commit ffe7da3). s105-a, s105-b, s113-distill and s118-distill-b finished;
# c110-conv starts from round 87's fresh87-s1, which `gpu.sh restore` takes from the tree.
#   sh experiments/2026-12-07-round105-gpu/fetch_pieces.sh
set -eu
R105=experiments/2026-12-07-round105-gpu
mkdir -p .carry/c110
git show "ffe7da3:$R105/c110-conv-checkpoint.pt.gz" > .carry/c110/c110-conv-checkpoint.pt.gz
du -sh .carry/c110
