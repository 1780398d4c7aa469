#!/bin/sh
# enhance + score the two CPU fine-tunes; run after training finishes
set -e
cd /work/main
M=.venv/bin/malenhance
$M enhance data/default/dev/noisy -o eval/dev/r4cpu-extra -m runs/r4cpu/extra-frozen-all-w3 --threads 1 --quiet --overwrite &
$M enhance data/default/dev/noisy -o eval/dev/r4cpu-base -m runs/r4cpu/base-frozen-all-w3 --threads 1 --quiet
wait
$M enhance data/default/dev8k/noisy -o eval/dev8k/r4cpu-extra -m runs/r4cpu/extra-frozen-all-w3 --threads 1 --quiet --overwrite &
$M enhance data/default/dev8k/noisy -o eval/dev8k/r4cpu-base -m runs/r4cpu/base-frozen-all-w3 --threads 1 --quiet
wait
python3 - <<'PY'
import csv
keep = {"noisy-input", "r3-frozen-all-w3", *(f"peer-{p}" for p in "deepfilternet3 gtcrn dtln nsnet2 rnnoise webrtc noisereduce".split())}
rows = list(csv.reader(open("eval/r3/scores.csv")))
with open("eval/r4cpu/scores.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(rows[0]); [w.writerow(r) for r in rows[1:] if r[0] in keep]
PY
$M score eval/dev/r3-frozen-all-w3 eval/dev/r4cpu-extra eval/dev/r4cpu-base eval/dev/peer-deepfilternet3 eval/dev/peer-gtcrn eval/dev/peer-dtln eval/dev/peer-nsnet2 eval/dev/peer-rnnoise eval/dev/peer-webrtc eval/dev/peer-noisereduce \
  --ref eval/dev100/clean --noisy eval/dev100/noisy --dnsmos --jobs 2 -o eval/r4cpu/scores.csv --resume --quiet
rm -f eval/r4cpu/dev8k-scores.csv
$M score eval/dev8k/r3-frozen-all-w3 eval/dev8k/r4cpu-extra eval/dev8k/r4cpu-base eval/dev8k/peer-* \
  --ref data/default/dev8k/clean --noisy data/default/dev8k/noisy --no-dnsmos --jobs 2 -o eval/r4cpu/dev8k-scores.csv --quiet
touch eval/r4cpu/done
