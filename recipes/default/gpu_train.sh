#!/bin/sh
# How the bundled default model is trained on one lent GPU (H100/H200), in steps that fit
# the 10-minute commands of the device tool. Run from the repository root:
#
#   sh recipes/default/gpu_train.sh setup            # wheels the GPU image lacks (.whl/)
#   sh recipes/default/gpu_train.sh stage1 STEPS     # conventional loss only
#   sh recipes/default/gpu_train.sh stage2 STEPS     # MAL variants + same-compute baseline,
#                                                    # all started from stage 1, in parallel
#   sh recipes/default/gpu_train.sh pack OUTDIR      # small archives of every run
#
# Data: recipes/default/build_data.py --out data/default (its train/ part, 46 MiB).
set -eu
DATA=${DATA:-data/default/train}
RUNS=${RUNS:-runs/default}
SECONDS_LIMIT=${SECONDS_LIMIT:-540}
export PYTHONPATH="/tmp/site:${PYTHONPATH:-}"
COMMON="--data $DATA --batch-size 32 --segment-seconds 4 --best-metric si_sdr --seed 0 -q"

case "$1" in
setup)
    python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
    ;;
stage1)
    # Killed by timeout at the limit if slower than planned; --resume continues it.
    resume=""
    [ -f "$RUNS/stage1/checkpoints/last.pt" ] && resume="--resume"
    timeout "$SECONDS_LIMIT" python3 -m malenhance train $COMMON --output "$RUNS/stage1" \
        --stage1-steps "$2" --stage2-steps 0 --workers 12 --valid-every 1000 \
        --checkpoint-every 500 $resume || echo "stage1 exited with $?"
    ;;
stage2)
    # name variant weight layers; weight 0 = continue the stage-1 loss (same compute)
    while read -r name variant weight layers; do
        timeout "$SECONDS_LIMIT" python3 -m malenhance train $COMMON --output "$RUNS/$name" \
            --init "$RUNS/stage1" --stage1-steps 0 --stage2-steps "$2" \
            --mal-variant "$variant" --mal-weight "$weight" --mal-layers "$layers" \
            --workers 2 --valid-every 1000 --checkpoint-every 500 \
            > "$RUNS/$name.out" 2>&1 &
    done <<RUNS_EOF
conventional frozen 0 all
frozen-all frozen 1 all
frozen-fe-all frozen-fe 1 all
dynamic-all dynamic 1 all
frozen-bn20 frozen 20 bottleneck
dynamic-bn20 dynamic 20 bottleneck
RUNS_EOF
    wait
    tail -n 3 "$RUNS"/*.out
    ;;
pack)
    out="$2"
    for run in "$RUNS"/*/; do
        name=$(basename "$run")
        tar czf "$out/$name.tgz" -C "$RUNS" --exclude="$name/checkpoints" "$name"
    done
    [ -f "$RUNS/stage1/checkpoints/last.pt" ] && cp "$RUNS/stage1/checkpoints/last.pt" "$out/stage1_last.pt"
    ls -la "$out"
    ;;
*)
    echo "usage: $0 setup|stage1 STEPS|stage2 STEPS|pack OUTDIR" >&2
    exit 2
    ;;
esac
