#!/bin/sh
# Round 5 (CPU) evaluation: both runs on dev, dev8k and the steady-noise set; scored in the
# same runs as the default (rows for the default and peers are re-scored with them).
set -e
cd /work/main
M=.venv/bin/malenhance
$M enhance data/default/dev/noisy -o eval/dev/r5cpu-synth -m runs/r5cpu/synth-frozen-all-w3 --threads 1 --quiet --overwrite &
$M enhance data/default/dev/noisy -o eval/dev/r5cpu-base -m runs/r5cpu/base-frozen-all-w3 --threads 1 --quiet --overwrite
wait
for n in synth base; do
  $M enhance data/default/dev8k/noisy -o eval/dev8k/r5cpu-$n -m runs/r5cpu/$n-frozen-all-w3 --threads 1 --quiet --overwrite &
  $M enhance eval/stationary/noisy -o eval/stationary/r5cpu-$n -m runs/r5cpu/$n-frozen-all-w3 --threads 1 --quiet --overwrite
  wait
done
$M score eval/stationary/default eval/stationary/r4-frozen-all-w3 eval/stationary/r5cpu-synth eval/stationary/r5cpu-base --ref eval/stationary/clean --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r5cpu/stationary-scores.csv --resume --quiet
$M score eval/dev8k/r3-frozen-all-w3 eval/dev8k/r4-frozen-all-w3 eval/dev8k/r5cpu-synth eval/dev8k/r5cpu-base \
  --ref data/default/dev8k/clean --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r5cpu/dev8k-scores.csv --resume --quiet
$M score eval/dev/r3-frozen-all-w3 eval/dev/r4-frozen-all-w3 eval/dev/r5cpu-synth eval/dev/r5cpu-base \
  --ref eval/dev100/clean --noisy eval/dev100/noisy --dnsmos --jobs 2 -o eval/r5cpu/scores.csv --resume --quiet
touch eval/r5cpu/done
