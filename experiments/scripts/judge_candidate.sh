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
DNSMOS_INPUTS=eval/confirm78/noisy/default
for name in $NAMES; do
    for part in noisy clean; do
        [ -d "eval/confirm78/$part/$name" ] || $PY -m malenhance enhance \
            "data/confirm78/devreal/$part" -o "eval/confirm78/$part/$name/" -m "$RUNS/$name" \
            --threads 1 --quiet
    done
    DNSMOS_INPUTS="$DNSMOS_INPUTS eval/confirm78/noisy/$name"
done
$PY experiments/2026-12-05-round14-gpu/fast_scores_add.py eval/confirm78 data/confirm78/devreal $NAMES
$PY -m malenhance score $DNSMOS_INPUTS --dnsmos --jobs 2 -o eval/confirm78/dnsmos120.csv \
    --resume --quiet
$PY experiments/2026-12-07-round90-analysis/pooled.py $NAMES
