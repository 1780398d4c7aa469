#!/bin/sh
# Round 56 on one lent GPU (experiments/2026-12-06-round56-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round56-gpu/gpu.sh unpack N   # .carry/p1..p7: data/r55/train, data/site
#   LIMIT=565 sh experiments/2026-12-06-round56-gpu/gpu.sh train   # resumable; call again
#   sh experiments/2026-12-06-round56-gpu/gpu.sh pack OUT           # models, logs, checkpoints
# Carried: this session's data/default/train (the recipe's train part without Kokoro, as the
# lineage's data; no voice-acting pairs) and the Python 3.12 packages the GPU image lacks
# (soundfile, pystoi, soxr, cffi, pycparser, distillmos, xls-r-sqa) as data/site, binned by
#   python experiments/scripts/carry_parts.py .carry 33 data/default/train=data/r55/train \
#       /tmp/site=data/site
# Both runs are round 32's `k-more` recipe (the default's own, continued) side by side on one
# GPU; `g56-steps` adds --level-steps-prob 0.5.
set -eu
DATA=data/r55/train
RUNS=runs/r56
INIT=runs/r56-init
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

train() {
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800} \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1 \
       --loss-network distillmos --loss-network-weight 1.5 --workers 3 --checkpoint-every 50 \
       --seed 2 --stage2-lr 1e-4 --oversuppression-weight 0.5"
    want g56-ctl && run g56-ctl $B &
    want g56-steps && run g56-steps $B --level-steps-prob 0.5 &
}

if [ "${1:-}" = pack ]; then
    out=$2
    for run in "$RUNS"/*/; do
        name=$(basename "$run")
        tar czf "$out/$name.tgz" -C "$RUNS" "$name"   # checkpoints included: a later session
    done                                             # can continue either run
    cp "$RUNS"/*.out "$out/"
    ls -la "$out"
    exit 0
fi

. experiments/scripts/gpu_round.sh
