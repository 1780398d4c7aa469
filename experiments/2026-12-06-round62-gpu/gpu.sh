#!/bin/sh
# Round 62 on one lent GPU (experiments/2026-12-06-round62-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round62-gpu/gpu.sh unpack N   # .carry/p1..pN
#   sh experiments/2026-12-06-round62-gpu/gpu.sh weigh      # after the last part: data/r23/pairs6
#   LIMIT=565 sh experiments/2026-12-06-round62-gpu/gpu.sh train   # resumable; call again
#   sh experiments/2026-12-06-round62-gpu/gpu.sh pack OUT           # models, logs, checkpoints
# Carried: this session's data/default/train without Kokoro as data/r15/train, round 16's
# voice-acting pairs rebuilt here (fillets_targets.py: DeepFilterNet3 targets in clean/, the
# recordings in original/) as data/r15/pairs-extra, and the Python 3.12 packages the GPU image
# lacks as data/site, binned by
#   python experiments/scripts/carry_parts.py .carry 33 data/default/train=data/r15/train \
#       data/r58/pairs-extra=data/r15/pairs-extra /tmp/site=data/site
# (round 58's parts, reused). `weigh` draws the pairs 6x as often (data/r23/pairs6): the
# default's own data. One run: round 58's `g58-steps` (round 32's `k-more` recipe, the
# default's own stage 2 continued, with --level-steps-prob 0.5) at seed 3 instead of 2.
set -eu
DATA=data/r23/pairs
RUNS=runs/r62
INIT=runs/r62-init
WEIGH="6"
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

train() {
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800} \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1 \
       --loss-network distillmos --loss-network-weight 1.5 --workers 3 --checkpoint-every 50 \
       --seed 2 --stage2-lr 1e-4 --oversuppression-weight 0.5"
    export RUN_DATA=data/r23/pairs6
    want g62-steps-seed3 && run g62-steps-seed3 $B --level-steps-prob 0.5 --seed 3 &
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
