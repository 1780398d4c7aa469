#!/bin/sh
# Round 6 (GPU) evaluation: every run on dev, dev8k and the steady-noise set, scored in the
# same runs as the current default (r5cpu-synth; its outputs from round 5's run.sh).
set -e
cd /work/main
M=.venv/bin/malenhance
RUNS="r6/frozen-all-w3 r6/df3-frozen-all-w3 r6/df3-conventional r6b/frozen-all-w3 r6b/df3-frozen-all-w3"
name() { echo "$1" | sed 's#/#-#'; }
for r in $RUNS; do
  n=$(name $r)
  $M enhance data/default/dev/noisy -o eval/dev/$n -m runs/$r --threads 1 --quiet --overwrite &
  $M enhance data/default/dev8k/noisy -o eval/dev8k/$n -m runs/$r --threads 1 --quiet --overwrite
  wait
  $M enhance eval/stationary/noisy -o eval/stationary/$n -m runs/$r --threads 1 --quiet --overwrite
done
mkdir -p eval/r6
S=""; for r in $RUNS; do S="$S $(name $r)"; done
$M score $(for n in r5cpu-synth $S; do echo eval/stationary/$n; done) --ref eval/stationary/clean \
  --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r6/stationary-scores.csv --resume --quiet
$M score $(for n in r5cpu-synth $S; do echo eval/dev8k/$n; done) --ref data/default/dev8k/clean \
  --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r6/dev8k-scores.csv --resume --quiet
$M score $(for n in r5cpu-synth $S; do echo eval/dev/$n; done) --ref eval/dev100/clean \
  --noisy eval/dev100/noisy --dnsmos --jobs 2 -o eval/r6/scores.csv --resume --quiet
touch eval/r6/done
