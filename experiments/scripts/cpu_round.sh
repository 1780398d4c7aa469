# The shared part of a round's CPU script (rounds 17 on), sourced after it has set PY, RUNS
# and COMMON (the options every run of the round shares; ROUND19_RECIPE below is one).
#   run NAME OPTIONS...   train RUNS/NAME with COMMON and OPTIONS, log to RUNS/NAME.log;
#                         skipped once its model is written, resumed from its checkpoint
run() { name=$1; shift
    if [ -f "$RUNS/$name/model.safetensors" ]; then echo "$name done"; return 0; fi
    resume=""; [ -f "$RUNS/$name/checkpoints/last.pt" ] && resume="--resume"
    $PY -m malenhance train $COMMON --output "$RUNS/$name" "$@" $resume >> "$RUNS/$name.log" 2>&1; }
# Round 19's CPU fine-tune from the bundled default (rounds 19, 22, 24, 25 use it as COMMON)
ROUND19_RECIPE="--init default --batch-size 8 --segment-seconds 4 --snr-range=-5,30
  --extra-noise-prob 0.5 --noise-balance --seed 0 --threads 1 --workers 1 --export last
  --valid-every 0 --checkpoint-every 100 --quiet --clean-prob 0.2 --oversuppression-weight 1
  --residual-weight 1 --stage1-steps 0 --stage2-steps 300 --stage2-lr 1e-4
  --mal-variant frozen-fe --mal-layers all --mal-weight 3"
# Rounds 71, 73 and 74: a CPU stage 2 of round 69's stage 1 (`fresh69-s1`) on its own data,
# the MAL weight and variant left to each round
FRESH69_STAGE2_RECIPE="$ROUND19_RECIPE --init runs/r69/fresh69-s1 --data data/r23/pairs6
  --stage2-steps 1000 --stage2-lr 2.5e-4 --oversuppression-weight 0.5 --level-steps-prob 0.5"
# Rounds 92, 93 and 96-103: 400 CPU steps of stage 2 from round 87's `s87-blend02` (the
# opt-in `real-noise` model until round 104) on its own data, the lever left to each run.
# Its weights are in git history; put back once with `s87_blend02` below.
S87_BLEND02=runs/r87/s87-blend02
s87_blend02() {
    [ -f "$S87_BLEND02/model.safetensors" ] && return 0
    mkdir -p "$S87_BLEND02"
    for file in config.json model.safetensors; do
        git show "f920414:malenhance/weights/real-noise/$file" > "$S87_BLEND02/$file"
    done
}
REAL_NOISE_CPU_RECIPE="$FRESH69_STAGE2_RECIPE --init $S87_BLEND02
  --data data/r84/blend02 --stage2-steps 400 --stage2-lr 1e-4 --mal-variant frozen
  --threads 2"
# Rounds 107 and 108: 1000 CPU steps of stage 2 from round 87's stage 1 `fresh87-s1` on
# `real-noise`'s data and pauses (its GPU recipe less the DistillMOS term), the MAL weight
# left to each run. The DistillMOS term on this CPU (2 threads, measured 2026-12-07): 7.2 s a
# step at batch 4 x 2 s and 5.4 GB; at batch 32 x 4 s it ran out of 24 GB. A GPU stage 2's audio
# (3000 steps of 32 x 4 s) would take it four days, so CPU rounds leave the term out.
# `fresh87_s1` puts the stage 1 in place from its committed copy.
FRESH87_S1=runs/r87/fresh87-s1
fresh87_s1() {
    [ -f "$FRESH87_S1/model.safetensors" ] && return 0
    mkdir -p runs/r87 && cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 runs/r87/
}
REAL_NOISE_STAGE2_CPU_RECIPE="$FRESH69_STAGE2_RECIPE --init $FRESH87_S1 --data data/r84/blend02
  --mal-variant frozen --pause-prob 0.1 --pause-fade-ms 200"
mkdir -p "$RUNS"
s87_blend02
