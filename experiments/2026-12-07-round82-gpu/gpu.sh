#!/bin/sh
# Round 82 on one lent GPU (experiments/2026-12-07-round82-gpu/RULE.md): `s80-self`'s recipe
# at seed 1 (`s82-seed1`) and, if round 83 qualified it, on a twentieth of the original in
# the pairs' targets (`s82-blend05`). From the repo root, with .carry/p1..p10 (round 58's
# data parts) and .carry/init/fresh69-s1 (the model folder, ~4 MB, without checkpoints):
#   sh experiments/2026-12-07-round82-gpu/gpu.sh unpack N     # N = 1..9, one call each
#   sh .../gpu.sh unpack 10 && sh .../gpu.sh init && sh .../gpu.sh build && \
#       ONLY="..." LIMIT=480 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   ONLY="..." LIMIT=540 sh .../gpu.sh train; sh .../gpu.sh pack $OUT   # until they finish
# ONLY picks the arms as the rule says (both side by side on an H200 or with >= 1100 s left;
# else `s82-blend05` alone first). Round 80 on an H100: 333 ms a step for two side by side,
# ~150 ms alone.
set -eu
DATA=data/r23/pairs
RUNS=runs/r82
INIT=runs/r82-init
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

build() {  # gpu_round.sh `build`, PYTHONPATH set there
    PY=python3 sh experiments/2026-12-07-round79-cpu/build.sh
    sh experiments/scripts/blend_pairs.sh data/r83 blend05 0.05
}

train() {
    S2="$FRESH69_GPU_STAGE2_RECIPE --mal-variant frozen"
    want s82-seed1 && RUN_DATA=data/r79/self6 run s82-seed1 $S2 --seed 1 &
    want s82-blend05 && RUN_DATA=data/r83/blend05 run s82-blend05 $S2 &
    want s82-seed2 && RUN_DATA=data/r79/self6 run s82-seed2 $S2 --seed 2 &  # addendum 2
}

. experiments/scripts/gpu_round.sh
