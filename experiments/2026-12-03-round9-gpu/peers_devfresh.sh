#!/bin/sh
# The peers on the fresh draw of the development set (data/devfresh, seed 20261203: 150
# clips that informed no choice), scored in one run with the bundled default. The peers'
# outputs come from `python -m benchmarks.peers enhance NAME data/devfresh/dev/noisy
# eval/devfresh/peer-NAME` (recipes/default/evaluate.sh shows the set-up, PEERS_SITE).
set -e
cd "$(dirname "$0")/../.."
M=.venv/bin/malenhance
PEERS=${PEERS:-/work/peers}
for p in deepfilternet3 dtln gtcrn noisereduce nsnet2 rnnoise webrtc; do
  [ "$(ls eval/devfresh/peer-$p | wc -l)" = 150 ] ||
    PYTHONPATH="$PEERS:." OMP_NUM_THREADS=1 .venv/bin/python -m benchmarks.peers enhance "$p" \
      data/devfresh/dev/noisy eval/devfresh/peer-$p
done
mkdir -p eval/r9
$M score eval/devfresh/${DEFAULT:-r7-frozen-all-w3} eval/devfresh/peer-* --ref data/devfresh/dev/clean \
  --noisy data/devfresh/dev/noisy --dnsmos --jobs 2 -o eval/r9/devfresh-peers.csv --resume --quiet
