#!/bin/sh
# Round 8 (GPU) evaluation: the default and the three runs (RUNS=runs/r8, unpacked from the
# device's pack archives) on the 150 dev clips, the 150 clips of the fresh draw
# (data/devfresh, seed 20261203), dev8k and the steady-noise set; each set scored in one
# `malenhance score` run.
set -e
cd "$(dirname "$0")/../.."
M=.venv/bin/malenhance
S=${S:-"r7-frozen-all-w3 r8-speech-frozen-all-w3 r8-frozen-all-w3 r8-speech-conventional"}
[ -n "$(ls eval/stationary/noisy 2>/dev/null)" ] || .venv/bin/python experiments/scripts/stationary_check.py --out eval/stationary
for r in $S; do
  m=runs/r8/${r#r8-}; [ "$r" = r7-frozen-all-w3 ] && m=default
  $M enhance data/default/dev/noisy -o eval/dev/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance data/devfresh/dev/noisy -o eval/devfresh/$r -m $m --threads 1 --quiet --overwrite
  wait
  $M enhance data/default/dev8k/noisy -o eval/dev8k/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance eval/stationary/noisy -o eval/stationary/$r -m $m --threads 1 --quiet --overwrite
  wait
done
mkdir -p eval/r8
$M score $(for n in $S; do echo eval/dev/$n; done) --ref data/default/dev/clean \
  --noisy data/default/dev/noisy --dnsmos --jobs 2 -o eval/r8/dev150-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/devfresh/$n; done) --ref data/devfresh/dev/clean \
  --noisy data/devfresh/dev/noisy --dnsmos --jobs 2 -o eval/r8/devfresh-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/dev8k/$n; done) --ref data/default/dev8k/clean \
  --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r8/dev8k-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/stationary/$n; done) --ref eval/stationary/clean \
  --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r8/stationary-scores.csv --resume --quiet
touch eval/r8/done
