#!/bin/sh
# Round 15 on one lent GPU (experiments/2026-12-05-round15-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round15-gpu/gpu.sh take N   # move carried part .carry/pN into DATA
#   sh experiments/2026-12-05-round15-gpu/gpu.sh init     # move carried .carry/init into INIT
#   sh experiments/2026-12-05-round15-gpu/gpu.sh pairs    # after take 1..5: DATA + carried
#       .carry/p6 (teacher targets) and .carry/p7 (their recordings) into PAIRS; the two
#       together exceed one call's 64 MiB with the tree, so p6 travels with the init call
#       (it stays there: ignored paths a call does not name are kept) and p7 with this one
#   sh experiments/2026-12-05-round15-gpu/gpu.sh train    # the runs side by side (resumable;
#       STEPS=2500 as run, see RULE.md addendum 2)
#   sh experiments/2026-12-05-round15-gpu/gpu.sh pack OUT
# Shared steps: experiments/scripts/gpu_round.sh. The data is round 13's
# (recipes/default/build_data.py's train/ part, no Kokoro), carried in
# five parts of ~41 MiB plus .carry/site; .carry/init holds round 14's `fe-more` folder
# (cp -r runs/r14/fe-more .carry/init/, without curves.png and train_log.jsonl).
set -eu
DATA=data/r15/train
PAIRS=data/r15/pairs  # DATA + round 16's fillets pairs (RULE.md, addendum)
RUNS=runs/r15
INIT=runs/r14

train() {
    B="--init $INIT/fe-more --stage1-steps 0 --stage2-steps ${STEPS:-4000} --stage2-lr 2.5e-4 \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --workers 4"
    run wide384 $B --model-config '{"rnn_hidden": 384}' &
    run same256 $B &
    run wide384-clean $B --model-config '{"rnn_hidden": 384}' --clean-prob 0.4 &
    if [ -d "$PAIRS/original" ]; then
        RUN_DATA=$PAIRS run same256-pairs $B &
    fi
}

if [ "${1:-}" = pairs ]; then
    mkdir -p "$PAIRS" && cp -rl "$DATA/." "$PAIRS/"
    cp -rl .carry/p6/. "$PAIRS/" && cp -rl .carry/p7/. "$PAIRS/" && rm -rf .carry/p6 .carry/p7
    find "$PAIRS/original" -type f | wc -l; du -sh "$PAIRS"
    exit 0
fi

. experiments/scripts/gpu_round.sh
