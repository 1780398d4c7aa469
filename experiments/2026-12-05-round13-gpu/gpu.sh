#!/bin/sh
# Round 13 on one lent H200 (experiments/2026-12-05-round13-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round13-gpu/gpu.sh take N   # move carried part .carry/pN into DATA
#   sh experiments/2026-12-05-round13-gpu/gpu.sh a        # phase A: stage 1 + MAL from default
#   sh experiments/2026-12-05-round13-gpu/gpu.sh b        # phase B: stage-2 losses from A's stage 1
#   sh experiments/2026-12-05-round13-gpu/gpu.sh pack OUT
# The data is recipes/default/build_data.py's train/ part (no Kokoro), carried in five parts
# of ~41 MiB (.carry/p1..p5, hard links made by /tmp/pack.py-style binning) plus .carry/site
# (soundfile, pystoi, distillmos, xls_r_sqa without its unused model files).
set -eu
DATA=data/r13/train
RUNS=runs/r13
LIMIT=${LIMIT:-560}
export PYTHONPATH="$(pwd)/data/site:$(pwd):${PYTHONPATH:-}"
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
COMMON="--data $DATA --batch-size 32 --segment-seconds 4 --snr-range=-5,30 --extra-noise-prob 0.5
  --noise-balance --seed 0 --export last --valid-every 0 --checkpoint-every 250 --quiet"
LEVERS="--clean-prob 0.2 --oversuppression-weight 1"

run() {  # name, then options; resumes from its checkpoint when one exists
    name=$1; shift
    resume=""; [ -f "$RUNS/$name/checkpoints/last.pt" ] && resume="--resume"
    timeout "$LIMIT" python3 -m malenhance train $COMMON $LEVERS --output "$RUNS/$name" \
        "$@" $resume >> "$RUNS/$name.out" 2>&1 || echo "$name exited with $?" >> "$RUNS/$name.out"
}

case "$1" in
take)
    mkdir -p "$DATA" data/site
    [ -d .carry/site ] && cp -rl .carry/site/. data/site/ && rm -rf .carry/site
    cp -rl ".carry/p$2/." "$DATA/" && rm -rf ".carry/p$2"
    find "$DATA" -type f | wc -l; du -sh "$DATA"
    ;;
a)
    mkdir -p "$RUNS"
    nvidia-smi --query-gpu=name,memory.used --format=csv,noheader
    run stage1 --init default --stage1-steps 3000 --stage2-steps 0 --lr 2.5e-4 --workers 7 &
    run direct-mal --init default --stage1-steps 0 --stage2-steps 3000 --stage2-lr 2.5e-4 \
        --mal-variant frozen --mal-layers all --mal-weight 3 --workers 7 &
    wait
    tail -n 3 "$RUNS"/*.out
    ;;
b)
    S1=$RUNS/stage1
    [ -f "$S1/model.safetensors" ] || { echo "stage 1 has not exported its model" >&2; exit 3; }
    B="--init $S1 --stage1-steps 0 --stage2-steps 2000 --stage2-lr 2.5e-4 --mal-layers all --workers 3"
    run conventional $B --mal-weight 0 &
    run mal-frozen $B --mal-variant frozen --mal-weight 3 &
    run mal-frozen-fe $B --mal-variant frozen-fe --mal-weight 3 &
    run mal-dynamic $B --mal-variant dynamic --mal-weight 3 &
    run deep-distillmos $B --mal-weight 0 --loss-network distillmos --loss-network-weight 3 &
    wait
    tail -n 3 "$RUNS"/*.out
    ;;
pack)
    out=$2
    for run in "$RUNS"/*/; do
        name=$(basename "$run")
        tar czf "$out/$name.tgz" -C "$RUNS" --exclude="$name/checkpoints" "$name"
    done
    cp "$RUNS"/*.out "$out/"
    [ -f "$RUNS/stage1/checkpoints/last.pt" ] && cp "$RUNS/stage1/checkpoints/last.pt" "$out/stage1_last.pt"
    ls -la "$out"
    ;;
esac
