#!/bin/sh
# Round 80 on one lent GPU (experiments/2026-12-07-round80-gpu/RULE.md): round 72's
# `s72-frozen` recipe from `fresh69-s1` on round 79's pairs data (targets by the default /
# left as recorded). From the repo root, with .carry/p1..p10 (round 58's data parts) and
# .carry/init/fresh69-s1 (the model folder, ~4 MB, without checkpoints):
#   sh experiments/2026-12-07-round80-gpu/gpu.sh unpack N     # N = 1..9, one call each
#   sh .../gpu.sh unpack 10 && sh .../gpu.sh init && sh .../gpu.sh build && \
#       LIMIT=480 sh .../gpu.sh train; sh .../gpu.sh pack $OUT   # carry .carry/p10 .carry/init
#   LIMIT=540 sh .../gpu.sh train; sh .../gpu.sh pack $OUT        # until both runs finish
# `build` makes data/r79/self6 and ident6 there as round 79's build.sh does here (the
# default's targets on the CPU, so the same on both machines).
set -eu
DATA=data/r23/pairs
RUNS=runs/r80
INIT=runs/r80-init
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

build() {  # gpu_round.sh `build`, PYTHONPATH set there
    PY=python3 sh experiments/2026-12-07-round79-cpu/build.sh
}

train() {
    S2="$FRESH69_GPU_STAGE2_RECIPE --mal-variant frozen"
    want s80-self && RUN_DATA=data/r79/self6 run s80-self $S2 &
    want s80-ident && RUN_DATA=data/r79/ident6 run s80-ident $S2 &
}

. experiments/scripts/gpu_round.sh
