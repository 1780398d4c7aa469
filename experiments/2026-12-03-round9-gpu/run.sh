#!/bin/sh
# Round 9 (GPU) evaluation: the five runs (RUNS=runs/r9, unpacked from the device's pack
# archives) on the 150 dev clips, the 150 of the fresh draw, dev8k and the steady-noise set.
# The score tables start as copies of round 8's (the default, the noisy input and round 8's
# runs scored by the same scorer on the same files), and --resume adds the new systems.
set -e
cd "$(dirname "$0")/../.."
M=.venv/bin/malenhance
NEW=${NEW:-"r9-speech-frozen-all-w3 r9-speech-conventional r9-speech-frozen-all-w3-res3 r9-speech-frozen-all-w1 r9-speech-frozen-all-w10"}
S="r7-frozen-all-w3 r8-speech-frozen-all-w3 r8-speech-conventional $NEW"
for r in $NEW; do
  m=runs/r9/${r#r9-}
  $M enhance data/default/dev/noisy -o eval/dev/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance data/devfresh/dev/noisy -o eval/devfresh/$r -m $m --threads 1 --quiet --overwrite
  wait
  $M enhance data/default/dev8k/noisy -o eval/dev8k/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance eval/stationary/noisy -o eval/stationary/$r -m $m --threads 1 --quiet --overwrite
  wait
done
mkdir -p eval/r9
for t in dev150 devfresh dev8k stationary; do
  [ -f eval/r9/$t-scores.csv ] || cp eval/r8/$t-scores.csv eval/r9/$t-scores.csv
done
$M score $(for n in $S; do echo eval/dev/$n; done) --ref data/default/dev/clean \
  --noisy data/default/dev/noisy --dnsmos --jobs 2 -o eval/r9/dev150-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/devfresh/$n; done) --ref data/devfresh/dev/clean \
  --noisy data/devfresh/dev/noisy --dnsmos --jobs 2 -o eval/r9/devfresh-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/dev8k/$n; done) --ref data/default/dev8k/clean \
  --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r9/dev8k-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/stationary/$n; done) --ref eval/stationary/clean \
  --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r9/stationary-scores.csv --resume --quiet
touch eval/r9/done
