# The shared part of a round's GPU script (rounds 14 on), sourced by it after it has set
# DATA, RUNS and INIT and defined train() (its runs, each through run below):
#   take N     move the carried data part .carry/pN (and .carry/site, once) into DATA
#   pairs      DATA = round 13's data + round 16's voice-acting pairs (data/r15/train and
#              data/r15/pairs-extra, rebuilt by unpack), rounds 18 on
#   weigh      data/r23/pairsN for each N in WEIGH: those data with the voice-acting pairs
#              drawn N times as often (weigh_pairs.sh), rounds 23 on
#   unpack N   merge .carry/pN, binned by carry_parts.py with paths from the repo root, into it
#   init       move the carried .carry/init (the model folders the runs start from) into INIT
#   build      the round's own data made on the device: its build() (rounds 80 on)
#   train      the round's runs (resumable: each resumes from its own checkpoint)
#   pack OUT   each run's folder as a .tgz, and its log, into OUT; without its checkpoints
#              unless the round sets PACK_CHECKPOINTS=1 (a later session can continue a run);
#              an archive over 15 MiB in parts NAME.tgz.part-aa, -ab, ...
# Data goes in ~36 MiB parts (LIMIT_MIB of carry_parts.py: 64 minus the tracked tree, ~24 MiB,
# minus slack) because the device tool carries 64 MiB per call.
LIMIT=${LIMIT:-560}
export PYTHONPATH="$(pwd)/data/site:$(pwd):${PYTHONPATH:-}"
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
COMMON="--batch-size 32 --segment-seconds 4 --snr-range=-5,30 --extra-noise-prob 0.5
  --noise-balance --seed 0 --export last --valid-every 0 --checkpoint-every 250 --quiet"
LEVERS="--clean-prob 0.2 --oversuppression-weight 1"
# `g58-steps`'s recipe (round 58: round 32's `k-more`, the default's own stage 2 continued,
# with level steps), on the data of `weigh` with WEIGH=6; rounds 64 on change it by options
# after it (the last of a repeated option counts).
G58_STEPS_RECIPE="--init default --stage1-steps 0 --stage2-steps ${STEPS:-1800}
  --mal-variant frozen-fe --mal-layers all --mal-weight 3 --residual-weight 1
  --loss-network distillmos --loss-network-weight 1.5 --workers 3 --checkpoint-every 50
  --seed 2 --stage2-lr 1e-4 --oversuppression-weight 0.5 --level-steps-prob 0.5"

# Rounds 72 and 76: a GPU stage 2 of round 69's stage 1 (`fresh69-s1`, carried into INIT),
# MAL at all depths with the DistillMOS term; the MAL variant and data left to each run.
FRESH69_GPU_STAGE2_RECIPE="--init ${INIT:-}/fresh69-s1 --stage1-steps 0 --stage2-steps 3000
  --stage2-lr 5e-4 --mal-layers all --mal-weight 3 --loss-network distillmos
  --loss-network-weight 1.5 --residual-weight 1 --oversuppression-weight 0.5
  --level-steps-prob 0.5 --workers 3 --checkpoint-every 100 --seed 0"

blend02_data() {  # for build(): round 85's data, the default's output on the voice-acting
    # originals with 2 % of each original blended in (data/r84/blend02; rounds 101 on)
    [ -d data/r84/blend02 ] && return 0
    PY=python3 sh experiments/2026-12-07-round79-cpu/build.sh
    sh experiments/scripts/blend_pairs.sh data/r84 blend02 0.02
}

want() {  # for train(): ONLY="a b" runs only these (the others finished in an earlier call)
    [ -z "${ONLY:-}" ] || echo " $ONLY " | grep -q " $1 "
}

run() {  # name, then options (data: RUN_DATA or DATA); resumes from its checkpoint
    name=$1; shift
    resume=""; [ -f "$RUNS/$name/checkpoints/last.pt" ] && resume="--resume"
    timeout "$LIMIT" python3 -m malenhance train $COMMON $LEVERS --data "${RUN_DATA:-$DATA}" \
        --output "$RUNS/$name" \
        "$@" $resume >> "$RUNS/$name.out" 2>&1 || echo "$name exited with $?" >> "$RUNS/$name.out"
}

case "$1" in
take)
    mkdir -p "$DATA" data/site
    [ -d .carry/site ] && cp -rl .carry/site/. data/site/ && rm -rf .carry/site
    cp -rl ".carry/p$2/." "$DATA/" && rm -rf ".carry/p$2"
    find "$DATA" -type f | wc -l; du -sh "$DATA"
    ;;
pairs)
    mkdir -p "$DATA" && cp -rl data/r15/train/. "$DATA/" && cp -rl data/r15/pairs-extra/. "$DATA/"
    find "$DATA/original" -type f | wc -l; du -sh "$DATA"
    ;;
weigh)
    [ -d data/r15/pairs ] || { mkdir -p data/r15/pairs && cp -rl data/r15/train/. data/r15/pairs/ \
        && cp -rl data/r15/pairs-extra/. data/r15/pairs/; }
    for n in ${WEIGH:?set by the round gpu.sh}; do
        sh experiments/scripts/weigh_pairs.sh "data/r23/pairs$n" "$n"
        echo "data/r23/pairs$n $(find "data/r23/pairs$n/clean" -type f | wc -l)"
    done
    ;;
unpack)
    cp -rl ".carry/p$2/." ./ && rm -rf ".carry/p$2"
    du -sh data/*/ 2>/dev/null; find data -type f | wc -l
    ;;
init)
    mkdir -p "$INIT" && cp -rl .carry/init/. "$INIT/" && rm -rf .carry/init && ls "$INIT"
    ;;
build)
    build
    ;;
train)
    mkdir -p "$RUNS"
    nvidia-smi --query-gpu=name,memory.used --format=csv,noheader
    train
    wait
    tail -n 3 "$RUNS"/*.out
    ;;
pack)
    out=$2
    for run in "$RUNS"/*/; do
        name=$(basename "$run")
        if [ "${PACK_CHECKPOINTS:-0}" = 1 ]; then
            tar czf "$out/$name.tgz" -C "$RUNS" "$name"
        else
            tar czf "$out/$name.tgz" -C "$RUNS" --exclude="$name/checkpoints" "$name"
        fi
    done
    # the device tool returns files of at most 16 MiB: larger archives come back in parts
    # (round 69's last pack, 19 MB with its checkpoint, did not); `cat NAME.tgz.part-* > NAME.tgz`
    for archive in "$out"/*.tgz; do
        if [ "$(stat -c %s "$archive")" -gt 15728640 ]; then
            split -b 15m "$archive" "$archive.part-" && rm "$archive"
        fi
    done
    cp "$RUNS"/*.out "$out/"
    ls -la "$out"
    ;;
*)
    echo "usage: take N | pairs | weigh | unpack N | init | build | train | pack OUT" >&2
    exit 2
    ;;
esac
