#!/bin/sh
# Round 124 (README.md): 600 CPU steps of `s105-a`'s stage 2 from `fresh91-s1` with a moving
# average of the weights, stopped one step before the end so the checkpoint holds both.
#   sh experiments/2026-12-08-round124-cpu/run.sh        # ~20 min on 2 cores; resumable
#   sh experiments/scripts/judge_candidate.sh runs/r124 c124-raw c124-ema
#   python experiments/2026-12-07-round90-analysis/pooled.py --base c124-raw c124-ema
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r124
. experiments/scripts/cpu_round.sh
FRESH91_S1=runs/r91/fresh91-s1
if [ ! -f "$FRESH91_S1/model.safetensors" ]; then
    mkdir -p "$FRESH91_S1"
    for file in config.json model.safetensors; do  # round 91's stage 1, committed in 5bbf94a
        git show "5bbf94a:experiments/2026-12-07-round91-gpu/models/fresh91-s1/$file" \
            > "$FRESH91_S1/$file"
    done
fi
COMMON="$REAL_NOISE_STAGE2_CPU_RECIPE --init $FRESH91_S1 --stage2-steps 600 --threads 2"
# resumable, but not past the stop: resumed at step 599 it would train the last step
at_stop() {
    [ -f "$RUNS/c124/checkpoints/last.pt" ] && $PY -c "import sys, torch
sys.exit(torch.load(sys.argv[1], weights_only=False)['step'] != 599)" "$RUNS/c124/checkpoints/last.pt"
}
at_stop || run c124 --ema-decay 0.993 --stop-after 599
$PY experiments/2026-12-08-round124-cpu/split.py "$RUNS/c124" "$RUNS/c124-raw" "$RUNS/c124-ema"
