#!/bin/sh
# Round 105 on one lent GPU (RULE.md): s101-pause01's command from the stage 1 round 91 picks.
# Carried as round 101's (binned by experiments/scripts/carry_parts.py).
#   STAGE1=fresh91-s1 sh experiments/2026-12-07-round105-gpu/gpu.sh restore   # or fresh87-s1
#   sh .../gpu.sh unpack 1        # then 2..N (ls .carry), one call each, carry [".carry/pN"]
#   sh .../gpu.sh build && STAGE1=... ONLY=s105-a LIMIT=560 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   STAGE1=... ONLY=s105-b LIMIT=560 sh .../gpu.sh train; sh .../gpu.sh pack $OUT   # >= 650 s left
set -eu
DATA=data/r84/blend02
RUNS=runs/r105
INIT=runs/r105
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1
STAGE1=${STAGE1:?fresh91-s1 or fresh87-s1, as round 91 decided}
case "$STAGE1" in
fresh91-s1) SEED_A=0; SEED_B=2 ;;
fresh87-s1) SEED_A=2; SEED_B=3 ;;
*) echo "STAGE1 is fresh91-s1 or fresh87-s1" >&2; exit 2 ;;
esac

build() { blend02_data; }  # gpu_round.sh

train() {
    for name in s105-a s105-b; do
        seed=$SEED_A; [ "$name" = s105-b ] && seed=$SEED_B
        want "$name" && run "$name" $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/$STAGE1" \
            --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --seed "$seed" &
    done
}

if [ "${1:-}" = restore ]; then  # the picked stage 1, committed in its round's models/
    mkdir -p "$RUNS"
    if [ "$STAGE1" = fresh87-s1 ]; then
        cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 "$RUNS/"
    else
        cp -r experiments/2026-12-07-round91-gpu/models/fresh91-s1 "$RUNS/"
    fi
    exit 0
fi
. experiments/scripts/gpu_round.sh
