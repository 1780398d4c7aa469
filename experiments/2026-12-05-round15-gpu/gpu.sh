#!/bin/sh
# Round 15 on one lent GPU (experiments/2026-12-05-round15-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round15-gpu/gpu.sh unpack N   # merge carried part .carry/pN
#   sh experiments/2026-12-05-round15-gpu/gpu.sh pairs      # after every part: DATA + the
#       fillets pairs (data/r15/pairs-extra: teacher targets in clean/, recordings in
#       original/) into PAIRS
#   sh experiments/2026-12-05-round15-gpu/gpu.sh train      # the runs side by side (resumable;
#       STEPS=2500 as run, see RULE.md addendum 2)
#   sh experiments/2026-12-05-round15-gpu/gpu.sh pack OUT
# Shared steps: experiments/scripts/gpu_round.sh. The data is round 13's
# (recipes/default/build_data.py's train/ part, no Kokoro) as data/r15/train, the pairs
# (experiments/2026-12-05-round16-cpu/fillets_targets.py) as data/r15/pairs-extra and the
# packages the GPU machine lacks (soundfile, pystoi, soxr) as data/site, binned into parts of
# at most 40 MiB by experiments/scripts/carry_parts.py (addendum 3):
#   python experiments/scripts/carry_parts.py .carry 40 data/r15/train=data/r15/train \
#       data/r15/pairs-extra=data/r15/pairs-extra /tmp/site=data/site
# Every run starts from the bundled default (addendum 3: round 14's fe-more was lost).
set -eu
DATA=data/r15/train
PAIRS=data/r15/pairs  # DATA + round 16's fillets pairs (RULE.md, addenda 1 and 3)
RUNS=runs/r15

train() {
    B="--init default --stage1-steps 0 --stage2-steps ${STEPS:-4000} --stage2-lr 2.5e-4 \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --workers 4"
    run wide384 $B --model-config '{"rnn_hidden": 384}' &
    run same256 $B &
    run wide384-clean $B --model-config '{"rnn_hidden": 384}' --clean-prob 0.4 &
    if [ -d "$PAIRS/original" ]; then
        RUN_DATA=$PAIRS run same256-pairs $B &
    fi
}

if [ "${1:-}" = pairs ]; then
    mkdir -p "$PAIRS" && cp -rl "$DATA/." "$PAIRS/" && cp -rl data/r15/pairs-extra/. "$PAIRS/"
    find "$PAIRS/original" -type f | wc -l; du -sh "$PAIRS"
    exit 0
fi

. experiments/scripts/gpu_round.sh
