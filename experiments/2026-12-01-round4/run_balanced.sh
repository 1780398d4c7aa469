#!/bin/sh
set -e
cd /work/main
M=.venv/bin/malenhance
R=runs/r4cpu/balanced-frozen-all-w3
$M enhance data/default/dev/noisy -o eval/dev/r4cpu-balanced -m $R --threads 1 --quiet --overwrite &
$M enhance data/default/dev8k/noisy -o eval/dev8k/r4cpu-balanced -m $R --threads 1 --quiet --overwrite
wait
.venv/bin/python experiments/scripts/stationary_check.py --out eval/stationary
$M enhance eval/stationary/noisy -o eval/stationary/r4cpu-balanced -m $R --threads 1 --quiet --overwrite &
$M enhance eval/stationary/noisy -o eval/stationary/default -m default --threads 1 --quiet --overwrite
wait
$M enhance eval/stationary/noisy -o eval/stationary/r4cpu-extra -m runs/r4cpu/extra-frozen-all-w3 --threads 1 --quiet --overwrite
$M score eval/dev/r3-frozen-all-w3 eval/dev/r4cpu-extra eval/dev/r4cpu-base eval/dev/r4cpu-balanced eval/dev/peer-deepfilternet3 eval/dev/peer-gtcrn eval/dev/peer-dtln eval/dev/peer-nsnet2 eval/dev/peer-rnnoise eval/dev/peer-webrtc eval/dev/peer-noisereduce \
  --ref eval/dev100/clean --noisy eval/dev100/noisy --dnsmos --jobs 2 -o eval/r4cpu/scores.csv --resume --quiet
$M score eval/dev8k/r3-frozen-all-w3 eval/dev8k/r4cpu-extra eval/dev8k/r4cpu-base eval/dev8k/r4cpu-balanced eval/dev8k/peer-* \
  --ref data/default/dev8k/clean --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r4cpu/dev8k-scores.csv --resume --quiet
rm -f eval/r4cpu/stationary-scores.csv
$M score eval/stationary/default eval/stationary/r4cpu-extra eval/stationary/r4cpu-balanced --ref eval/stationary/clean --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r4cpu/stationary-scores.csv --quiet
touch eval/r4cpu/balanced.done
