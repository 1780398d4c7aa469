#!/bin/sh
# Round 38 on one lent GPU (experiments/2026-12-06-round38-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-06-round38-gpu/gpu.sh unpack N   # merge carried part .carry/pN
#       (p1-p8: round 32's data parts; p9-p11: data/r38/teacher-targets, round 36's
#       DeepFilterNet3 targets for the G.722 and klettres voices)
#   sh experiments/2026-12-06-round38-gpu/gpu.sh pairs && sh ... weigh   # data/r23/pairs6
#   sh experiments/2026-12-06-round38-gpu/gpu.sh targets    # data/r38/teach and data/r38/gated
#   ONLY="m-gated m-teach" LIMIT=565 sh experiments/2026-12-06-round38-gpu/gpu.sh train
#       (resumable: call again until every run has written its model; then the other pair)
#   sh experiments/2026-12-06-round38-gpu/gpu.sh pack OUT
# Parts binned by
#   python experiments/scripts/carry_parts.py .carry 36 data/r15/train=data/r15/train \
#       data/r15/pairs-extra=data/r15/pairs-extra data/site2-py312=data/site
#   python experiments/scripts/carry_parts.py /tmp/c38 36 \
#       data/r38/teacher-targets=data/r38/teacher-targets   # then /tmp/c38/pK -> .carry/p(8+K)
# On an H100 two runs side by side (~306 ms/step): LIMIT=565 and a short second call per pair.
set -eu
DATA=data/r23/pairs
RUNS=runs/r38
WEIGH="6"  # gpu_round.sh weigh: data/r23/pairs6
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True

if [ "$1" = targets ]; then
    export PYTHONPATH="$(pwd)/data/site:$(pwd):${PYTHONPATH:-}"
    python3 experiments/2026-12-06-round38-gpu/place_targets.py data/r23/pairs6 \
        data/r38/teacher-targets data/r38/teach
    python3 experiments/2026-12-06-round37-cpu/gated_targets.py data/r38/teach data/r38/gated
    exit 0
fi

train() {
    # round 32's k-more (the same-compute control) but for the data
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800} \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1 \
       --loss-network distillmos --loss-network-weight 1.5 --workers 3 --checkpoint-every 50 \
       --seed 2 --stage2-lr 1e-4 --oversuppression-weight 0.5"
    want m-gated && RUN_DATA=data/r38/gated run m-gated $B &
    want m-teach && RUN_DATA=data/r38/teach run m-teach $B &
    want m-gated-d3 && RUN_DATA=data/r38/gated run m-gated-d3 $B --loss-network-weight 3 &
    want m-gated-ovs1 && RUN_DATA=data/r38/gated run m-gated-ovs1 $B \
        --oversuppression-weight 1 &
}

. experiments/scripts/gpu_round.sh
