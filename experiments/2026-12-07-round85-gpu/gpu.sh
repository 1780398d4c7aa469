#!/bin/sh
# Round 85 on one lent GPU (experiments/2026-12-07-round84-cpu/RULE.md; runs only if round 84
# qualified it): `s80-self`'s recipe (seed 0) on a fiftieth of the original in the
# voice-acting pairs' targets (`s85-blend02`). From the repo root, with .carry/p1..p10
# (round 58's data parts) and .carry/init/fresh69-s1 (the model folder, ~4 MB):
#   sh experiments/2026-12-07-round85-gpu/gpu.sh unpack N     # N = 1..9, one call each
#   sh .../gpu.sh unpack 10 && sh .../gpu.sh init && sh .../gpu.sh build && \
#       ONLY=s85-blend02 LIMIT=480 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   ONLY=... LIMIT=540 sh .../gpu.sh train; sh .../gpu.sh pack $OUT   # until it finishes
# A later loan continues from the checkpoint that came back (runs/r85, ~16 MB): the same data
# calls, then the unpack 10 call with carry .carry/p10 .carry/init runs/r85 (~60 of 64 MiB; the p9 call ~62.5).
# Round 82 on an H100: ~163 ms a step alone, 3000 steps in ~500 s.
set -eu
DATA=data/r23/pairs
RUNS=runs/r85
INIT=runs/r85-init
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

build() {  # gpu_round.sh `build`, PYTHONPATH set there
    PY=python3 sh experiments/2026-12-07-round79-cpu/build.sh
    sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02
}

train() {
    S2="$FRESH69_GPU_STAGE2_RECIPE --mal-variant frozen"
    want s85-blend02 && RUN_DATA=data/r84/blend02 run s85-blend02 $S2 &
    want s85-blend02-s2 && RUN_DATA=data/r84/blend02 run s85-blend02-s2 $S2 --seed 2 &  # RULE.md 2
}

. experiments/scripts/gpu_round.sh
