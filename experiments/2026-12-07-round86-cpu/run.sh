#!/bin/sh
# Round 86 (RULE.md): s79-self's recipe with the voice-acting pairs' targets band-split: the
# default's output below 4.5 kHz, the original above 5.5 kHz. After round 79's build.sh:
#   sh experiments/2026-12-07-round86-cpu/run.sh           # ~26 min on 2 cores
#   RUNS=runs/r86 sh experiments/2026-12-06-round55-cpu/score.sh c86-hf5
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r86
$PY experiments/2026-12-07-round86-cpu/build.py data/r79/pairs-extra-self \
    data/r86/pairs-extra-hf5 4500 5500
EXTRA=data/r86/pairs-extra-hf5 sh experiments/scripts/weigh_pairs.sh data/r86/hf5 6
. experiments/scripts/cpu_round.sh
COMMON="$FRESH69_STAGE2_RECIPE --mal-weight 3 --mal-variant frozen"
run c86-hf5 --data data/r86/hf5 --threads 2
