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
# The confirmation test (CONFIRMATION_RULE.md): the 50 clips never scored before, with peers.
mkdir -p eval/dev50/clean eval/dev50/noisy
for f in $(ls data/default/dev/clean | sort | sed -n '101,150p'); do
  ln -f data/default/dev/clean/$f eval/dev50/clean/$f; ln -f data/default/dev/noisy/$f eval/dev50/noisy/$f
done
$M score eval/dev/r5cpu-synth eval/dev/r6b-frozen-all-w3 eval/dev/r6-df3-frozen-all-w3 \
  $(for p in deepfilternet3 nsnet2 rnnoise dtln gtcrn webrtc noisereduce; do echo eval/dev/peer-$p; done) \
  --ref eval/dev50/clean --noisy eval/dev50/noisy --dnsmos --jobs 2 -o eval/r6/dev50-scores.csv --resume --quiet
# All 150 clips in one table (peers' first 100 from round 4's run, the rest from this one):
{ head -1 eval/r6/dev50-scores.csv; grep '^peer-' eval/r4gpu/scores.csv
  grep -E '^(noisy-input|r5cpu-synth|r6b-frozen-all-w3|r6-df3-frozen-all-w3),' eval/r6/scores.csv
  tail -n +2 eval/r6/dev50-scores.csv; } > eval/r6/dev150-scores.csv
