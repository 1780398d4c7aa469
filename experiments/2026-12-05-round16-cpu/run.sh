#!/bin/sh
# Round 16 (CPU): RULE.md's three runs, one after another (2 threads each); resumable by name.
#   python experiments/2026-12-05-round16-cpu/fillets_targets.py data/r16fillets
#   for a in teacher raw; do cp -al data/default/train data/r16/$a
#       cp -r data/r16fillets/$a/clean/real16k/* data/r16/$a/clean/real16k/; done
#   cp -al data/default/train data/r16/pairs; teacher's files into clean/real16k/, raw's into
#       original/real16k/ (the mixture holds the recording, the target is the teacher's)
#   sh experiments/2026-12-05-round16-cpu/run.sh [control|teacher|raw|pairs|pairs-more|all]
set -eu
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-runs/r16}
COMMON="--init runs/r14/fe-more --batch-size 8 --segment-seconds 4 --snr-range=-5,30
  --extra-noise-prob 0.5 --noise-balance --seed 0 --threads 2 --workers 1 --export last
  --valid-every 0 --checkpoint-every 100 --quiet --clean-prob 0.2 --oversuppression-weight 1
  --stage1-steps 0 --stage2-steps 300 --stage2-lr 1e-4 --mal-variant frozen-fe --mal-layers all
  --mal-weight 3"
run() { name=$1; data=$2
    if [ -f "$RUNS/$name/model.safetensors" ]; then echo "$name done"; return 0; fi
    resume=""; [ -f "$RUNS/$name/checkpoints/last.pt" ] && resume="--resume"
    $PY -m malenhance train $COMMON --data "$data" --output "$RUNS/$name" $resume \
        >> "$RUNS/$name.log" 2>&1; }
mkdir -p "$RUNS"
case "${1:-all}" in
  control) run c16-control data/default/train ;;
  teacher) run c16-teacher data/r16/teacher ;;
  raw) run c16-raw data/r16/raw ;;
  pairs) run c16-pairs data/r16/pairs ;;  # added after the first two arms were scored
  pairs-more) COMMON=$(echo "$COMMON" | sed 's#runs/r14/fe-more#runs/r16/c16-pairs#')
      run c16-pairs-more data/r16/pairs ;;  # added after c16-pairs was scored
  all) sh "$0" control; sh "$0" teacher; sh "$0" raw ;;
esac
