#!/bin/sh
# Round 91's verdict (RULE.md) once `fresh91-s1` is back in runs/r91/fresh91-s1 (30000 steps,
# exported): devreal scores, the paired probe against `fresh87-s1` and `fresh69-s1` (in-noise
# PESQ-wb and DNSMOS OVRL decide), and the pauses of the speech-gate test's signal.
#   sh experiments/2026-12-07-round91-gpu/judge.sh
set -eu
PY=${PY:-.venv/bin/python}
D=experiments/2026-12-07-round91-gpu
[ -f runs/r91/fresh91-s1/model.safetensors ] || { echo "no runs/r91/fresh91-s1 model" >&2; exit 1; }
mkdir -p runs/r87
[ -d runs/r87/fresh87-s1 ] || cp -r experiments/2026-12-07-round87-gpu/models/fresh87-s1 runs/r87/
RUNS=runs/r91 sh experiments/2026-12-06-round55-cpu/score.sh fresh91-s1
for base in fresh87-s1 fresh69-s1; do
    $PY experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default "$base" fresh91-s1 \
        > "$D/probe-vs-$base.md"
done
$PY experiments/2026-12-07-round90-analysis/pause_hum.py runs/r87/fresh87-s1 runs/r91/fresh91-s1 \
    > "$D/pause-hum.md"
cat "$D/probe-vs-fresh87-s1.md" "$D/pause-hum.md"
