#!/bin/sh
# Round 30 (CPU, RULE.md): c22-pairs6's recipe with Vorbis twins of the real voices, and the
# same twins without the codec (control).
#   sh experiments/2026-12-05-round30-cpu/run.sh          # from the repo root; resumable
#   RUNS=runs/r30 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
#       c30-vorbis c30-plain
#   python experiments/2026-12-05-round30-cpu/decide.py eval/devreal18 data/default/devreal
set -eu
PY=${PY:-.venv/bin/python}
RUNS=runs/r30
. experiments/scripts/cpu_round.sh
COMMON=$ROUND19_RECIPE

sh experiments/scripts/weigh_pairs.sh data/r22/pairs6 6
[ -d data/r30/vorbis ] || $PY experiments/2026-12-05-round30-cpu/codec_pairs.py data/r22/pairs6 data/r30
run c30-vorbis --data data/r30/vorbis &
run c30-plain --data data/r30/plain &
wait
