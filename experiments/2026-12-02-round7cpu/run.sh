#!/bin/sh
# Round 7 (CPU) evaluation: the default and both runs on all 150 dev clips, dev8k and the
# steady-noise set, each set scored in one `malenhance score` run. The peers' rows come from
# round 6's table (results/2026-12-02-round6-gpu/dev150-scores.csv.gz); the default is
# re-scored here, and its rows must equal that table's (same data, same scorer).
set -e
cd "$(dirname "$0")/../.."
M=.venv/bin/malenhance
[ -d eval/dev100/clean ] || { mkdir -p eval/dev100/clean eval/dev100/noisy
  for f in $(ls data/default/dev/clean | sort | head -100); do
    ln -f data/default/dev/clean/$f eval/dev100/clean/$f; ln -f data/default/dev/noisy/$f eval/dev100/noisy/$f; done; }
[ -d eval/stationary/noisy ] || .venv/bin/python experiments/scripts/stationary_check.py --out eval/stationary
for r in default r7cpu-extra2 r7cpu-base; do
  m=$r; [ "$r" = default ] || m=runs/r7cpu/${r#r7cpu-}-frozen-all-w3
  [ "$r" = default ] && r=r5cpu-synth
  $M enhance data/default/dev/noisy -o eval/dev/$r -m $m --threads 1 --quiet --overwrite &
  $M enhance data/default/dev8k/noisy -o eval/dev8k/$r -m $m --threads 1 --quiet --overwrite
  wait
  $M enhance eval/stationary/noisy -o eval/stationary/$r -m $m --threads 1 --quiet --overwrite
done
mkdir -p eval/r7cpu
S="r5cpu-synth r7cpu-extra2 r7cpu-base"
$M score $(for n in $S; do echo eval/stationary/$n; done) --ref eval/stationary/clean \
  --noisy eval/stationary/noisy --dnsmos --jobs 2 -o eval/r7cpu/stationary-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/dev8k/$n; done) --ref data/default/dev8k/clean \
  --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r7cpu/dev8k-scores.csv --resume --quiet
$M score $(for n in $S; do echo eval/dev/$n; done) --ref data/default/dev/clean \
  --noisy data/default/dev/noisy --dnsmos --jobs 2 -o eval/r7cpu/dev150-scores.csv --resume --quiet
touch eval/r7cpu/done
