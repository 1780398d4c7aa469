# The shared part of a round's CPU script (rounds 17 on), sourced after it has set PY, RUNS
# and COMMON (the options every run of the round shares).
#   run NAME OPTIONS...   train RUNS/NAME with COMMON and OPTIONS, log to RUNS/NAME.log;
#                         skipped once its model is written, resumed from its checkpoint
run() { name=$1; shift
    if [ -f "$RUNS/$name/model.safetensors" ]; then echo "$name done"; return 0; fi
    resume=""; [ -f "$RUNS/$name/checkpoints/last.pt" ] && resume="--resume"
    $PY -m malenhance train $COMMON --output "$RUNS/$name" "$@" $resume >> "$RUNS/$name.log" 2>&1; }
mkdir -p "$RUNS"
