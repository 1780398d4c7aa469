#!/bin/sh
# Round 95's clause 0: the whole test suite with MODEL bundled as the default, in a throw-away
# worktree of HEAD; only the golden pins are re-measured (repin_golden.py), nothing else moves.
#   sh experiments/scripts/trial_bundle.sh runs/r105/s105-a      # exit status: pytest's
set -eu
MODEL=$(cd "$1" && pwd)
PY=$(pwd)/.venv/bin/python
TRIAL=$(mktemp -d)/trial
git worktree add -q --detach "$TRIAL" HEAD
trap 'git worktree remove --force "$TRIAL"; rmdir "$(dirname "$TRIAL")"' EXIT
cp "$MODEL/model.safetensors" "$MODEL/config.json" "$TRIAL/malenhance/weights/default/"
cd "$TRIAL"
# the trial's package, not the one the venv installed (a script's own folder leads sys.path)
export PYTHONPATH="$TRIAL"
$PY -m malenhance.light malenhance/weights/default
# the ensemble averages the default with real-noise, so its pins move with the default
$PY experiments/scripts/repin_golden.py default
$PY experiments/scripts/repin_golden.py ensemble
$PY -m pytest -q -p no:cacheprovider
