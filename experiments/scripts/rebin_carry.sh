#!/bin/sh
# The GPU rounds' data parts, .carry/p1.., sized to what a device call carries beside the
# tracked tree (64 MiB in all; TOTAL_MIB, 61, leaves slack: at 63.0 MiB eleven of thirteen
# calls were refused as over 64 MiB in round 105's loan; DistillMOS's 16.1 MiB weights file
# must still fit one part): run again whenever the tree has grown.
# Needs data/default/train, data/r58/pairs-extra and data/site312 (restore_machine.sh).
#   sh experiments/scripts/rebin_carry.sh
set -eu
PY=${PY:-.venv/bin/python}
site=data/site312
tree=$(git ls-files -z | xargs -0 stat -c %s | awk '{s += $1} END {print s / 1048576}')
part=$(echo "$tree" | awk -v total="${TOTAL_MIB:-61}" '{print total - $1}')
rm -rf .carry
$PY experiments/scripts/carry_parts.py .carry "$part" \
    data/default/train=data/r15/train data/r58/pairs-extra=data/r15/pairs-extra \
    "$site"=data/site
