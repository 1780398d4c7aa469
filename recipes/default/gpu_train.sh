#!/bin/sh
# How the bundled default model is trained on lent GPUs (one or several H100/H200 of one
# host), in steps that fit the 10-minute commands of the device tool. From the repo root:
#
#   sh recipes/default/gpu_train.sh setup            # wheels the GPU image lacks (.whl/)
#   sh recipes/default/gpu_train.sh ddp-check OUT    # DDP checks + 1 vs N GPU throughput
#   sh recipes/default/gpu_train.sh stage1 STEPS     # conventional loss only, torchrun on
#                                                    # every GPU (NPROC=N to choose)
#   sh recipes/default/gpu_train.sh stage2 STEPS     # MAL variants + same-compute baseline,
#                                                    # all from stage 1, spread over the GPUs
#   sh recipes/default/gpu_train.sh pack OUT         # small archives of every run
#
# Each training step resumes from the run's last checkpoint when one exists, so a command
# killed at SECONDS_LIMIT is continued by running it again.
# Data: recipes/default/build_data.py --out data/default (its train/ part, 46 MiB).
set -eu
DATA=${DATA:-data/default/train}
RUNS=${RUNS:-runs/default}
SECONDS_LIMIT=${SECONDS_LIMIT:-540}
BEST=${BEST:-pesq}
export PYTHONPATH="/tmp/site:$(pwd):${PYTHONPATH:-}"
# NVLink multicast stays off: it can take a shared host's GPUs out of service.
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
GPUS=$(python3 -c 'import torch; print(torch.cuda.device_count())')
NPROC=${NPROC:-$GPUS}
COMMON="--data $DATA --batch-size 32 --segment-seconds 4 --best-metric $BEST --seed 0 -q"

resume_flag() { [ -f "$1/checkpoints/last.pt" ] && echo "--resume" || true; }

case "$1" in
setup)
    python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
    # pesq ships no wheel: build it with the image's compiler, Cython and numpy.
    python3 -m pip install -q --no-index --no-deps --no-build-isolation --target /tmp/site \
        .whl/pesq-*.tar.gz || echo "pesq did not build: validation falls back to si_sdr"
    python3 -c 'import soundfile, pystoi; print("soundfile, pystoi ok")'
    python3 -c 'import pesq; print("pesq ok")' || true
    ;;
ddp-check)
    out="$2"
    torchrun --standalone --nproc-per-node 1 benchmarks/ddp_check.py --data "$DATA" \
        --output "$RUNS/ddp-1gpu" --steps 300 --report "$out/ddp-1gpu.json" > /dev/null
    torchrun --standalone --nproc-per-node "$NPROC" benchmarks/ddp_check.py --data "$DATA" \
        --output "$RUNS/ddp-${NPROC}gpu" --steps 300 --stop-after 150 \
        --report "$out/ddp-${NPROC}gpu-stopped.json" > /dev/null
    torchrun --standalone --nproc-per-node "$NPROC" benchmarks/ddp_check.py --data "$DATA" \
        --output "$RUNS/ddp-${NPROC}gpu" --steps 300 --resume \
        --report "$out/ddp-${NPROC}gpu-resumed.json" > /dev/null
    grep -h '"world_size"\|examples_shared\|"examples_per_s"\|step_reached' "$out"/ddp-*.json
    ;;
stage1)
    timeout "$SECONDS_LIMIT" torchrun --standalone --nproc-per-node "$NPROC" \
        -m malenhance train $COMMON --output "$RUNS/stage1" --stage1-steps "$2" \
        --stage2-steps 0 --workers 12 --valid-every 1000 --checkpoint-every 500 \
        $(resume_flag "$RUNS/stage1") || echo "stage1 exited with $?"
    ;;
stage2)
    # name variant weight layers; weight 0 = continue the stage-1 loss (same compute).
    # Runs take the GPUs in turn; several small runs share one GPU well (the GRU's time
    # loop leaves it mostly idle).
    i=0
    while read -r name variant weight layers; do
        gpu=$((i % GPUS)); i=$((i + 1))
        CUDA_VISIBLE_DEVICES=$gpu timeout "$SECONDS_LIMIT" python3 -m malenhance train \
            $COMMON --output "$RUNS/$name" --init "$RUNS/stage1" --stage1-steps 0 \
            --stage2-steps "$2" --mal-variant "$variant" --mal-weight "$weight" \
            --mal-layers "$layers" --workers 5 --valid-every 1000 --checkpoint-every 500 \
            $(resume_flag "$RUNS/$name") >> "$RUNS/$name.out" 2>&1 &
    done <<RUNS_EOF
conventional frozen 0 all
frozen-all frozen 1 all
frozen-all-w3 frozen 3 all
frozen-fe-all frozen-fe 1 all
dynamic-all dynamic 1 all
RUNS_EOF
    wait
    tail -n 2 "$RUNS"/*.out
    ;;
pack)
    out="$2"
    for run in "$RUNS"/*/; do
        name=$(basename "$run")
        case "$name" in ddp-*) continue ;; esac
        tar czf "$out/$name.tgz" -C "$RUNS" --exclude="$name/checkpoints" "$name"
    done
    [ -f "$RUNS/stage1/checkpoints/last.pt" ] && cp "$RUNS/stage1/checkpoints/last.pt" "$out/stage1_last.pt"
    ls -la "$out"
    ;;
*)
    echo "usage: $0 setup|ddp-check OUT|stage1 STEPS|stage2 STEPS|pack OUTDIR" >&2
    exit 2
    ;;
esac
