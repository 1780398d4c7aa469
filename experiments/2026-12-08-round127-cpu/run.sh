#!/bin/sh
# Round 127 (README.md): 400 CPU steps from the bundled default with and without the pause
# lever, side by side (~20 min on 2 cores; resumable).
#   sh experiments/2026-12-08-round127-cpu/run.sh
#   sh experiments/scripts/judge_candidate.sh runs/r127 c127-ctl c127-nopause c127-half
#   python experiments/2026-12-07-round90-analysis/pooled.py --base c127-ctl c127-nopause
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r127
. experiments/scripts/cpu_round.sh
COMMON="$REAL_NOISE_CPU_RECIPE --init malenhance/weights/default --threads 1"
run c127-ctl --pause-prob 0.1 --pause-fade-ms 200 &
run c127-nopause --pause-prob 0 &
wait
run c127-half --pause-prob 0.05 --pause-fade-ms 200  # the addendum
