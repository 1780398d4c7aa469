#!/bin/sh
# Round 10 evaluation: the three runs (RUNS=runs/r10, unpacked from the device's pack
# archives) on the 300 pooled development clips. The score tables start as copies of round
# 9's (the same files and scorer) and --resume adds the new systems.
set -e
cd "$(dirname "$0")/../.."
M=.venv/bin/malenhance
NEW="r10-conv-frozen-all-w3 r10-conv-dynamic-all-w3 r10-conv-conventional"
S="r7-frozen-all-w3 r9-speech-conventional $NEW"
for r in $NEW; do
  m=runs/r10/${r#r10-}
  $M enhance data/default/dev/noisy -o eval/dev/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance data/devfresh/dev/noisy -o eval/devfresh/$r -m $m --threads 1 --quiet --overwrite
  wait
done
mkdir -p eval/r10
for t in dev150 devfresh; do
  [ -f eval/r10/$t-scores.csv ] || cp eval/r9/$t-scores.csv eval/r10/$t-scores.csv
done
$M score $(for n in $S; do echo eval/dev/$n; done) --ref data/default/dev/clean \
  --noisy data/default/dev/noisy --dnsmos --jobs 2 -o eval/r10/dev150-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/devfresh/$n; done) --ref data/devfresh/dev/clean \
  --noisy data/devfresh/dev/noisy --dnsmos --jobs 2 -o eval/r10/devfresh-scores.csv --resume --quiet
touch eval/r10/done
