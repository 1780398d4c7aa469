#!/bin/sh
# How the bundled default model is trained on lent GPUs (one or several H100/H200 of one
# host), in steps that fit the 10-minute commands of the device tool. From the repo root:
#
#   sh recipes/default/gpu_train.sh setup            # wheels the GPU image lacks (.whl/)
#       .whl/ is made here with: pip download --python-version 3.12 --only-binary=:all:
#       --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --no-deps -d .whl
#       soundfile pystoi cffi pycparser   (soundfile's manylinux wheel: it bundles libsndfile)
#   sh recipes/default/gpu_train.sh ddp-check OUT    # DDP checks + 1 vs N GPU throughput
#   sh recipes/default/gpu_train.sh stage1 STEPS     # conventional loss only, torchrun on
#                                                    # every GPU (NPROC=N to choose)
#   sh recipes/default/gpu_train.sh stage2 STEPS     # MAL variants + same-compute baseline,
#                                                    # all from stage 1, spread over the GPUs
#                                                    # (STAGE2_SET=variants|residual|sweep|round3)
#   sh recipes/default/gpu_train.sh pack OUT         # small archives of every run
#   sh recipes/default/gpu_train.sh assemble         # join the carried data parts (+ data/carry/base)
#
# The data (with Kokoro speech and both batches of train-only noise) is 134 MiB, more than one
# call may carry (64 MiB with the ~10 MiB of tracked files): `sh recipes/default/gpu_train.sh
# split` stages it locally as data/carry/kokoro (the Kokoro speech), data/carry/synth
# (noise/synth), data/carry/extra (noise/extra, the train-only noise packages) and
# data/carry/train (the rest, hard links). Carry data/carry/kokoro, data/carry/synth and .whl
# in one call, data/carry/extra in the next and data/carry/train in a third, while the machine
# is still warm (ignored paths stay between calls), then `assemble` moves the parts into
# DATA=data/carry/train and makes data/carry/base, the same data without noise/extra, and
# data/carry/base7, without round 7's second batch (hard links), for control runs.
# STAGE2_INIT=spec starts the stage-2 runs from other weights than RUNS/stage1.
# INIT=folder starts stage 1 from those weights (e.g. the previous stage 1, or `default`,
# the bundled model). MIX="--snr-range -7,15 --extra-noise-prob 0.5" changes the dynamic
# mixing of every step (the third round's setting; empty = the train command's defaults).
#
# The fifth round (prepared 2026-12-01, night; the recipe now has 105 synthetic noise files,
# 68 more steady ones, after round 4 lost a little on steady hum and engine noise): carry
# runs/r4/frozen-all-w3 with the Kokoro part, then
#   STAGE2_INIT=runs/r4/frozen-all-w3 RUNS=runs/r5 STAGE2_SET=round4-pair \
#   MIX="--snr-range -7,15 --extra-noise-prob 0.5 --noise-balance" sh gpu_train.sh stage2 4000
#
# The sixth round (2026-12-02): STAGE2_INIT=default RUNS=runs/r6 STAGE2_SET=round6 with the
# same MIX, stage2 5000 (experiments/LOG.md, "The sixth round on the GPU").
#
# The seventh round on the GPU (run 2026-12-02 afternoon, in two training calls of ~550 s and
# ~450 s; its candidate is the bundled default, models.md): the same with STAGE2_SET=round7
# RUNS=runs/r7, stage2 7000. The data is 134 MiB with the second batch of train-only noise, so it goes in
# three calls while the machine stays warm: data/carry/kokoro + data/carry/synth + .whl
# (~43 MiB with the tracked files), data/carry/extra (~60), data/carry/train (~54).
#
# The eighth round: more training speech (experiments/2026-12-02-round8-gpu/DECISION_RULE.md).
# Build it with build_data.py --out data/speech --stages tts:espeak,tts:festival,tts:flite,
# tts:piper --tts-minutes espeak=24,festival=31.5,flite=9,piper=14; split then also stages
# data/carry/speech (the new files only, ~50 MiB), carried in a fourth call; STAGE2_SET=round8
# RUNS=runs/r8, stage2 7000.
#
# The ninth round (experiments/2026-12-03-round9-gpu/DECISION_RULE.md): round 8's three-way split
# continued from its step-3000 weights, carried as runs/r9init/NAME (config.json and
# model.safetensors): STAGE2_SET=round9 RUNS=runs/r9 STAGE2_LR=2.5e-4, stage2 3000.
#
# The eleventh round (experiments/2026-12-03-round11-gpu/README.md): the speech-distortion term
# (malenhance train --speech-distortion-weight) from round 9's MAL run, carried as
# runs/r11init/speech-frozen-all-w3: STAGE2_SET=round11 RUNS=runs/r11 STAGE2_LR=2.5e-4,
# stage2 3000.
#
# Each training step resumes from the run's last checkpoint when one exists, so a command
# killed at SECONDS_LIMIT is continued by running it again.
# Data: recipes/default/build_data.py --out data/default (its train/ part, 80 MiB: see split).
set -eu
DATA=${DATA:-data/default/train}
INIT=${INIT:-}
STAGE2_SET=${STAGE2_SET:-variants}
RUNS=${RUNS:-runs/default}
SECONDS_LIMIT=${SECONDS_LIMIT:-540}
BEST=${BEST:-pesq}
export PYTHONPATH="/tmp/site:$(pwd):${PYTHONPATH:-}"
# NVLink multicast stays off: it can take a shared host's GPUs out of service.
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
GPUS=$(python3 -c 'import torch; print(torch.cuda.device_count())' 2>/dev/null || echo 0)
NPROC=${NPROC:-$GPUS}
MIX=${MIX:-}
EXTRA2="scorched3d-data lugaru-data torcs-data enigma-data freeciv-data bzflag-data supertux-data
openclonk-data xmoto-data freedink-data"
COMMON="--data $DATA --batch-size 32 --segment-seconds 4 --best-metric $BEST --seed 0 -q $MIX"

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
        ${INIT:+--init "$INIT"} $(resume_flag "$RUNS/stage1") || echo "stage1 exited with $?"
    ;;
stage2)
    # name variant weight layers residual; weight 0 = continue the stage-1 loss (same
    # compute); residual = --residual-weight. Runs take the GPUs in turn; several small runs
    # share one GPU well (the GRU's time loop leaves it mostly idle).
    case "$STAGE2_SET" in
    variants) set_runs="conventional frozen 0 all 0
frozen-all frozen 1 all 0
frozen-all-w3 frozen 3 all 0
frozen-fe-all frozen-fe 1 all 0
dynamic-all dynamic 1 all 0" ;;
    residual) set_runs="conventional frozen 0 all 0
frozen-all frozen 1 all 0
conventional-res frozen 0 all 1
frozen-all-res frozen 1 all 1" ;;
    sweep) set_runs="frozen-all-res3 frozen 1 all 3
conventional-res3 frozen 0 all 3
frozen-all-w3 frozen 3 all 0
frozen-all-w03 frozen 0.3 all 0" ;;
    round3) set_runs="conventional frozen 0 all 0
frozen-all-w3 frozen 3 all 0
frozen-all-w10 frozen 10 all 0" ;;
    round3b) set_runs="frozen-all-w30 frozen 30 all 0
frozen-all-w3-res3 frozen 3 all 3" ;;
    # A sixth column names another data folder for that run (default: DATA).
    round4) set_runs="conventional frozen 0 all 0
frozen-all-w3 frozen 3 all 0
base-frozen-all-w3 frozen 3 all 0 data/carry/base" ;;
    # Round 6: the deep filter (df_order 3, grown from the init model; seventh column) with
    # MAL and without, against MAL without it. "-" in the sixth column: DATA.
    round6) set_runs="frozen-all-w3 frozen 3 all 0 - 1
df3-frozen-all-w3 frozen 3 all 0 - 3
df3-conventional frozen 0 all 0 - 3" ;;
    # Round 7: the second batch of train-only noise (in noise/extra) with MAL and without,
    # and MAL without the new batch (data/carry/base7, made by assemble) as the control.
    round7) set_runs="frozen-all-w3 frozen 3 all 0
conventional frozen 0 all 0
base-frozen-all-w3 frozen 3 all 0 data/carry/base7" ;;
    # Round 8: more training speech (data/carry/speech8, made by assemble from the carried
    # data/carry/speech part) with MAL and without, and MAL on round 7's data as the control.
    round8) set_runs="speech-frozen-all-w3 frozen 3 all 0 data/carry/speech8
frozen-all-w3 frozen 3 all 0
speech-conventional frozen 0 all 0 data/carry/speech8" ;;
    # Round 9: round 8 continued at half its learning rate (STAGE2_LR), each run from its own
    # round-8 weights (eighth column; carried as runs/r9init), plus the residual-noise term.
    round9) set_runs="speech-frozen-all-w3 frozen 3 all 0 data/carry/speech8 1 runs/r9init/speech-frozen-all-w3
speech-conventional frozen 0 all 0 data/carry/speech8 1 runs/r9init/speech-conventional
speech-frozen-all-w3-res3 frozen 3 all 3 data/carry/speech8 1 runs/r9init/speech-frozen-all-w3" ;;
    # Round 9b (the device time left after round 9): the MAL weight bracketed, from the same
    # start as round 9's candidate. Reported, not candidates.
    round9b) set_runs="speech-frozen-all-w1 frozen 1 all 0 data/carry/speech8 1 runs/r9init/speech-frozen-all-w3
speech-frozen-all-w10 frozen 10 all 0 data/carry/speech8 1 runs/r9init/speech-frozen-all-w3" ;;
    # Round 10: the paper's order on the speech data: from the conventional run of round 9
    # (6000 conventional steps from the default), MAL variants against more conventional steps.
    round10) set_runs="conv-frozen-all-w3 frozen 3 all 0 data/carry/speech8 1 runs/r10init/speech-conventional
conv-dynamic-all-w3 dynamic 3 all 0 data/carry/speech8 1 runs/r10init/speech-conventional
conv-conventional frozen 0 all 0 data/carry/speech8 1 runs/r10init/speech-conventional" ;;
    # Round 11: the speech-distortion term (ninth column: --speech-distortion-weight), from
    # round 9's MAL run, against the same steps without it.
    round11) set_runs="sd0-frozen-all-w3 frozen 3 all 0 data/carry/speech8 1 runs/r11init/speech-frozen-all-w3 0
sd1-frozen-all-w3 frozen 3 all 0 data/carry/speech8 1 runs/r11init/speech-frozen-all-w3 1
sd3-frozen-all-w3 frozen 3 all 0 data/carry/speech8 1 runs/r11init/speech-frozen-all-w3 3
sd10-frozen-all-w3 frozen 3 all 0 data/carry/speech8 1 runs/r11init/speech-frozen-all-w3 10" ;;
    # Round 11b: the same start and steps without MAL, with the term and without (2 x 2).
    round11b) set_runs="sd0-conventional frozen 0 all 0 data/carry/speech8 1 runs/r11init/speech-frozen-all-w3 0
sd3-conventional frozen 0 all 0 data/carry/speech8 1 runs/r11init/speech-frozen-all-w3 3" ;;
    # round4 without its control run, when little device time is left.
    round4-pair) set_runs="conventional frozen 0 all 0
frozen-all-w3 frozen 3 all 0" ;;
    *) echo "unknown STAGE2_SET $STAGE2_SET" >&2; exit 2 ;;
    esac
    mkdir -p "$RUNS"
    i=0
    while read -r name variant weight layers residual data df init sd; do
        gpu=$((i % GPUS)); i=$((i + 1))
        [ "$data" = "-" ] && data=""
        grow=""
        [ "${df:-1}" -gt 1 ] && grow="{\"df_order\":$df}"
        CUDA_VISIBLE_DEVICES=$gpu timeout "$SECONDS_LIMIT" python3 -m malenhance train \
            $COMMON ${data:+--data "$data"} ${grow:+--model-config "$grow"} \
            --output "$RUNS/$name" --init "${init:-${STAGE2_INIT:-$RUNS/stage1}}" --stage1-steps 0 \
            ${STAGE2_LR:+--stage2-lr "$STAGE2_LR"} \
            --stage2-steps "$2" --mal-variant "$variant" --mal-weight "$weight" \
            --mal-layers "$layers" --residual-weight "$residual" --workers 5 \
            ${sd:+--speech-distortion-weight "$sd"} \
            --valid-every 1000 --checkpoint-every 500 \
            $(resume_flag "$RUNS/$name") >> "$RUNS/$name.out" 2>&1 &
    done <<RUNS_EOF
$set_runs
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
split)
    rm -rf data/carry && mkdir -p data/carry
    cp -al data/default/train data/carry/train
    mv data/carry/train/clean/tts/kokoro data/carry/kokoro
    if [ -d data/carry/train/noise/extra ]; then
        mv data/carry/train/noise/extra data/carry/extra
    fi
    # the synthetic noise travels with the Kokoro part: the rest alone is near 64 MiB otherwise
    mv data/carry/train/noise/synth data/carry/synth
    # Round 8's extra speech: the files of a larger TTS build (SPEECH, built with
    # build_data.py --tts-minutes) that the default build lacks; the shared ones must match.
    if [ -d "${SPEECH:-data/speech}/train/clean/tts" ]; then
        (cd "${SPEECH:-data/speech}/train" && find clean/tts -name '*.flac') | sort |
        while read -r f; do
            if [ -f "data/default/train/$f" ]; then
                cmp -s "data/default/train/$f" "${SPEECH:-data/speech}/train/$f" ||
                    echo "differs from the default build: $f" >&2
            else
                mkdir -p "data/carry/speech/$(dirname "$f")"
                ln "${SPEECH:-data/speech}/train/$f" "data/carry/speech/$f"
            fi
        done
        find data/carry/speech -name '*.flac' | wc -l
    fi
    du -sh data/carry/*
    ;;
assemble)
    if [ -d data/carry/kokoro ]; then
        mv data/carry/kokoro "$DATA/clean/tts/kokoro"
    fi
    [ -d "$DATA/clean/tts/kokoro" ] || { echo "the Kokoro part is missing" >&2; exit 3; }
    if [ -d data/carry/extra ]; then
        mv data/carry/extra "$DATA/noise/extra"
    fi
    if [ -d data/carry/synth ]; then
        mv data/carry/synth "$DATA/noise/synth"
    fi
    [ -d "$DATA/noise/synth" ] || { echo "the synthetic noise part is missing" >&2; exit 3; }
    rm -rf data/carry/base && cp -al "$DATA" data/carry/base && rm -rf data/carry/base/noise/extra
    # base7: without round 7's second batch of train-only noise (recipes/default/sources.py)
    rm -rf data/carry/base7 && cp -al "$DATA" data/carry/base7
    for p in $EXTRA2; do rm -rf "data/carry/base7/noise/extra/$p"; done
    # speech8: the data plus round 8's extra speech (hard links)
    if [ -d data/carry/speech ]; then
        rm -rf data/carry/speech8 && cp -al "$DATA" data/carry/speech8
        cp -al data/carry/speech/clean data/carry/speech8/
        find data/carry/speech8 -name '*.flac' | wc -l
    fi
    find "$DATA" -name '*.flac' | wc -l
    ;;
*)
    echo "usage: $0 setup|ddp-check OUT|stage1 STEPS|stage2 STEPS|pack OUTDIR|split|assemble" >&2
    exit 2
    ;;
esac
