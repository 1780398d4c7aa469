#!/bin/sh
# Round 15 on one lent GPU (experiments/2026-12-05-round15-gpu/RULE.md). From the repo root:
#   sh experiments/2026-12-05-round15-gpu/gpu.sh take N   # move carried part .carry/pN into DATA
#   sh experiments/2026-12-05-round15-gpu/gpu.sh init     # move carried .carry/init into INIT
#   sh experiments/2026-12-05-round15-gpu/gpu.sh train    # the three runs side by side (resumable)
#   sh experiments/2026-12-05-round15-gpu/gpu.sh pack OUT
# The data is round 13's (recipes/default/build_data.py's train/ part, no Kokoro), carried in
# five parts of ~41 MiB plus .carry/site; .carry/init holds round 14's `fe-more` folder
# (cp -r runs/r14/fe-more .carry/init/, without curves.png and train_log.jsonl).
set -eu
DATA=data/r15/train
RUNS=runs/r15
INIT=runs/r14
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
init)
    mkdir -p "$INIT" && cp -rl .carry/init/. "$INIT/" && rm -rf .carry/init && ls "$INIT"
    ;;
train)
    mkdir -p "$RUNS"
    nvidia-smi --query-gpu=name,memory.used --format=csv,noheader
    B="--init $INIT/fe-more --stage1-steps 0 --stage2-steps 4000 --stage2-lr 2.5e-4 \
       --mal-variant frozen-fe --mal-layers all --mal-weight 3 --workers 4"
    run wide384 $B --model-config '{"rnn_hidden": 384}' &
    run same256 $B &
    run wide384-clean $B --model-config '{"rnn_hidden": 384}' --clean-prob 0.4 &
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
    ls -la "$out"
    ;;
esac
