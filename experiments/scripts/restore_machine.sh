#!/bin/sh
# A new machine has none of the ignored paths the rounds build on (data/, eval/, .carry/).
# This rebuilds them from the recipe and git (twenty-third session, ~10 minutes on 2 cores
# after `make install`):
#   sh experiments/scripts/restore_machine.sh
# - data/default: the recipe's train part as round 58 used it (no Kokoro) and devreal;
# - data/r15/{train,pairs-extra}, data/r23/pairs6: round 58's lineage data (1437 clean
#   files in pairs6), the voice-acting pairs from round 16's fillets_targets.py;
# - data/confirm78: round 78's confirmation set (its manifest is checked against git);
# - eval/devreal54, eval/confirm78: every round's committed per-clip tables (restore_eval.py);
# - .carry/p1..: the GPU rounds' data parts (carry_parts.py), with the Python 3.12 packages.
# Model weights that were never committed do not come back.
set -eu
PY=${PY:-.venv/bin/python}
$PY -m pip install -q -e ".[recipe]"
$PY -m pip install -q --no-deps -r benchmarks/requirements-peers.txt
$PY recipes/default/build_data.py --out data/default --nice 0 \
    --stages tts:piper,tts:festival,tts:flite,tts:espeak,real8k,real16k,noise_real,noise_extra,noise_synth,rir,devreal
if [ ! -d data/r58/pairs-extra ]; then
    PYTHONPATH=. $PY experiments/2026-12-05-round16-cpu/fillets_targets.py data/r58fillets
    mkdir -p data/r58/pairs-extra/clean data/r58/pairs-extra/original
    cp -rl data/r58fillets/teacher/clean/real16k data/r58/pairs-extra/clean/
    cp -rl data/r58fillets/raw/clean/real16k data/r58/pairs-extra/original/
fi
[ -d data/r15/train ] || { mkdir -p data/r15 && cp -rl data/default/train data/r15/train; }
[ -d data/r15/pairs-extra ] || cp -rl data/r58/pairs-extra data/r15/pairs-extra
sh experiments/scripts/weigh_pairs.sh data/r23/pairs6 6
echo "data/r23/pairs6: $(find data/r23/pairs6/clean -type f | wc -l) clean files (round 69: 1437)"
[ -d data/confirm78 ] || $PY experiments/2026-12-07-round78-confirm/build.py data/default data/confirm78
$PY - <<'PYEOF'
import json
built = json.load(open("data/confirm78/devreal/manifest.json"))["clips"]
kept = json.load(open("experiments/2026-12-07-round78-confirm/manifest.json"))["clips"]
print("confirm78 manifest", "matches git" if built == kept else "DIFFERS from git")
PYEOF
$PY experiments/scripts/restore_eval.py
site=data/site312  # on this file system: carry_parts.py hard-links
rm -rf "$site"
$PY -m pip install -q --target "$site" --no-deps --only-binary=:all: --python-version 3.12 \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
    soundfile pystoi soxr cffi pycparser distillmos==0.9.1 xls-r-sqa==0.1.0
rm -rf "$site/xls_r_sqa/models" "$site/__pycache__"  # xls-r-sqa's own models: unused
PY=$PY sh experiments/scripts/rebin_carry.sh
