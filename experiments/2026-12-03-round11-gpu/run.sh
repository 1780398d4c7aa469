#!/bin/sh
# Round 11 (GPU) evaluation: the six runs (RUNS=runs/r11, unpacked from the device's pack
# archives) on the 150 dev clips, the 150 of the fresh draw, dev8k and the steady-noise set.
# The score tables start as copies of round 9's (the default, the noisy input and round 9's
# runs, this round's start among them, scored by the same scorer on the same files), and
# --resume adds the new systems.
set -e
cd "$(dirname "$0")/../.."
M=.venv/bin/malenhance
NEW=${NEW:-"r11-sd3-frozen-all-w3 r11-sd0-frozen-all-w3 r11-sd1-frozen-all-w3 r11-sd10-frozen-all-w3 r11-sd0-conventional r11-sd3-conventional"}
S="r7-frozen-all-w3 r9-speech-frozen-all-w3 $NEW"
for r in $NEW; do
  m=runs/r11/${r#r11-}
  [ -d eval/devfresh/$r ] && continue
  $M enhance data/default/dev/noisy -o eval/dev/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance data/devfresh/dev/noisy -o eval/devfresh/$r -m $m --threads 1 --quiet --overwrite
  wait
  $M enhance data/default/dev8k/noisy -o eval/dev8k/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance eval/stationary/noisy -o eval/stationary/$r -m $m --threads 1 --quiet --overwrite
  wait
done
mkdir -p eval/r11
for t in dev150 devfresh dev8k stationary; do
  [ -f eval/r11/$t-scores.csv ] || cp eval/r9/$t-scores.csv eval/r11/$t-scores.csv
done
$M score $(for n in $S; do echo eval/dev/$n; done) --ref data/default/dev/clean \
  --noisy data/default/dev/noisy --dnsmos --jobs 2 -o eval/r11/dev150-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/devfresh/$n; done) --ref data/devfresh/dev/clean \
  --noisy data/devfresh/dev/noisy --dnsmos --jobs 2 -o eval/r11/devfresh-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/dev8k/$n; done) --ref data/default/dev8k/clean \
  --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r11/dev8k-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/stationary/$n; done) --ref eval/stationary/clean \
  --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r11/stationary-scores.csv --resume --quiet
touch eval/r11/done
