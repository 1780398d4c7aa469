#!/bin/sh
# Round 95's clauses 1-5 for candidates for the default: each enhanced into devreal
# (eval/devreal54) and the confirmation set (eval/confirm78), scored beside the default, then
# both sets pooled (printed). Clause 0 is trial_bundle.sh. Rounds 105 on.
#   sh experiments/scripts/judge_candidate.sh runs/r105 s105-a s105-b
set -eu
PY=${PY:-.venv/bin/python}
RUNS=$1; shift
NAMES="$*"
RUNS=$RUNS sh experiments/2026-12-06-round55-cpu/score.sh $NAMES
RUNS=$RUNS EVAL=eval/confirm78 DEV=data/confirm78/devreal \
    sh experiments/2026-12-06-round55-cpu/score.sh $NAMES
$PY experiments/2026-12-07-round90-analysis/pooled.py $NAMES
