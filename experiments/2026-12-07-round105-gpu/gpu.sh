#!/bin/sh
# Round 105 on one lent GPU (RULE.md, amended before any run): s101-pause01's command from
# each stage-1 draw, `s105-a` from round 91's `fresh91-s1` (seed 0) and `s105-b` from round 87's
# `fresh87-s1` (seed 2), side by side in the loan that finishes round 91 (README.md).
# Carried as round 91's (binned by experiments/scripts/carry_parts.py).
#   sh experiments/2026-12-07-round105-gpu/gpu.sh restore      # fresh87-s1, from the tree
#   sh .../gpu.sh build && ONLY=s105-b LIMIT=560 sh .../gpu.sh train; sh .../gpu.sh pack $OUT
#   sh .../gpu.sh take91 && ONLY="s105-a s105-b" LIMIT=... sh .../gpu.sh train; ...  # until 3000
# Loans 2-4 (README): `resume` once per carried piece (.carry/r105a, .carry/r91m, .carry/c110,
# put there from git history by `fetch_pieces`), then the data calls, `build` and `train`.
set -eu
DATA=data/r84/blend02
RUNS=runs/r105
ROUND=experiments/2026-12-07-round105-gpu
INIT=runs/r105
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
PACK_CHECKPOINTS=1

build() { blend02_data; }  # gpu_round.sh

train() {
    want s105-a && run s105-a $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh91-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --seed 0 &
    want s105-b && run s105-b $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --seed 2 &
    # round 113 (its RULE.md, amended after round 114's pilot passed): s101-pause01's command
    # with the bundled ensemble as a teacher at weight 10
    want s113-distill && run s113-distill $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --teacher ensemble \
        --teacher-weight 10 &
    # round 118 (its RULE.md): s113-distill's command at seed 2
    want s118-distill-b && run s118-distill-b $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --teacher ensemble \
        --teacher-weight 10 --seed 2 &
    # round 119 (its RULE.md): s105-a's command with today's bundled ensemble as a teacher
    want s119-distill && run s119-distill $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh91-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --seed 0 --teacher ensemble \
        --teacher-weight 10 &
    # round 128 (its RULE.md): s105-a's command with half the pause lever
    want s128-pause005 && run s128-pause005 $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh91-s1" \
        --mal-variant frozen --pause-prob 0.05 --pause-fade-ms 200 --seed 0 &
    # round 110's control (its RULE.md): s101-pause01's command without MAL, in the same loan
    want c110-conv && run c110-conv $FRESH69_GPU_STAGE2_RECIPE --init "$RUNS/fresh87-s1" \
        --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200 --mal-weight 0 &
}

case "${1:-}" in
restore)  # round 87's stage 1, committed in its round's models/
    mkdir -p "$RUNS" && cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 "$RUNS/"
    exit 0 ;;
take91)  # round 91's stage 1 once it has finished on this machine (30000 steps, exported)
    [ -f runs/r91/fresh91-s1/model.safetensors ] \
        || { echo "fresh91-s1 has not finished (no exported model)" >&2; exit 1; }
    mkdir -p "$RUNS/fresh91-s1"
    cp runs/r91/fresh91-s1/model.safetensors runs/r91/fresh91-s1/config.json "$RUNS/fresh91-s1/"
    exit 0 ;;
resume)  # loan 1's checkpoints and round 91's model, each carried in its own call
    for piece in .carry/r105a .carry/r105b .carry/r91m .carry/c110; do
        [ -d "$piece" ] || continue
        for checkpoint in "$piece"/*-checkpoint.pt.gz; do
            [ -f "$checkpoint" ] || continue
            name=$(basename "$checkpoint" -checkpoint.pt.gz)
            mkdir -p "$RUNS/$name/checkpoints"
            gunzip -c "$checkpoint" > "$RUNS/$name/checkpoints/last.pt"
            gunzip -c "$ROUND/logs/$name.jsonl.gz" > "$RUNS/$name/train_log.jsonl"
            gunzip -c "$ROUND/logs/$name.out.gz" > "$RUNS/$name.out"
        done
        [ -f "$piece/model.safetensors" ] \
            && mkdir -p "$RUNS/fresh91-s1" && cp "$piece"/* "$RUNS/fresh91-s1/"
        rm -rf "$piece"
    done
    ls -R "$RUNS" | head -20
    exit 0 ;;
esac
. experiments/scripts/gpu_round.sh
