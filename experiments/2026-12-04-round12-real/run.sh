#!/bin/sh
# Round 12 (CPU): fine-tunes of the bundled default on data with real wideband speech.
# Data: recipes/default/build_data.py --stages tts:piper,tts:festival,tts:flite,tts:espeak,
#   real8k,real16k,noise_real,noise_extra,noise_synth,rir,dev,dev8k,devreal (Kokoro left out:
#   too slow to synthesise on this CPU; babble from the other engines' speech).
# Then: MODELS="default=default conv=runs/r12/conv conv-levers=runs/r12/conv-levers
#   mal-levers=runs/r12/mal-levers" sh recipes/default/evaluate_real.sh
set -eu
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-runs/r12}
COMMON="--data data/default/train --init default --batch-size 8 --segment-seconds 4
  --snr-range=-5,30 --extra-noise-prob 0.5 --noise-balance --seed 0 --threads 1 --workers 1
  --export last --valid-every 0 --checkpoint-every 100 --lr 5e-5 --stage2-lr 5e-5 --quiet"
LEVERS="--clean-prob 0.2 --oversuppression-weight 1"
run() { name=$1; shift
    if [ -d "$RUNS/$name" ]; then echo "$RUNS/$name exists: skipped"; return 0; fi
    $PY -m malenhance train $COMMON --output "$RUNS/$name" "$@" \
    > "$RUNS/$name.log" 2>&1; }
mkdir -p "$RUNS"
case "${1:-all}" in
  conv) run conv --stage1-steps 200 --stage2-steps 0 ;;
  conv-levers) run conv-levers --stage1-steps 200 --stage2-steps 0 $LEVERS ;;
  mal-levers) run mal-levers --stage1-steps 100 --stage2-steps 100 --mal-variant frozen \
      --mal-layers all --mal-weight 3 $LEVERS ;;
  all) sh "$0" conv-levers; sh "$0" mal-levers; sh "$0" conv ;;
esac
