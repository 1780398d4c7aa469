#!/bin/sh
# Round 4 (GPU) evaluation: enhance dev, dev8k and the steady-noise set, score against the
# default and the peers of the same run's enhanced folders.
set -e
cd /work/main
M=.venv/bin/malenhance
for name in conventional frozen-all-w3; do
  R=runs/r4/$name
  $M enhance data/default/dev/noisy -o eval/dev/r4-$name -m $R --threads 1 --quiet --overwrite &
  $M enhance data/default/dev8k/noisy -o eval/dev8k/r4-$name -m $R --threads 1 --quiet --overwrite
  wait
  $M enhance eval/stationary/noisy -o eval/stationary/r4-$name -m $R --threads 1 --quiet --overwrite
done
$M score eval/dev/r3-frozen-all-w3 eval/dev/r4-conventional eval/dev/r4-frozen-all-w3 eval/dev/r4cpu-balanced eval/dev/peer-deepfilternet3 eval/dev/peer-gtcrn eval/dev/peer-dtln eval/dev/peer-nsnet2 eval/dev/peer-rnnoise eval/dev/peer-webrtc eval/dev/peer-noisereduce \
  --ref eval/dev100/clean --noisy eval/dev100/noisy --dnsmos --jobs 2 -o eval/r4gpu/scores.csv --resume --quiet
$M score eval/dev8k/r3-frozen-all-w3 eval/dev8k/r4-conventional eval/dev8k/r4-frozen-all-w3 eval/dev8k/r4cpu-balanced eval/dev8k/peer-* \
  --ref data/default/dev8k/clean --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r4gpu/dev8k-scores.csv --resume --quiet
$M score eval/stationary/default eval/stationary/r4cpu-balanced eval/stationary/r4-conventional eval/stationary/r4-frozen-all-w3 --ref eval/stationary/clean --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r4gpu/stationary-scores.csv --resume --quiet
touch eval/r4gpu/done
