#!/bin/sh
# Round 52 (RULE.md): --speech-lim 18 with a slower gate, on devreal. From the repo root:
#   sh experiments/2026-12-06-round52-cpu/run.sh
#   RUNS=runs/r52 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh speech18-slow
#   python experiments/2026-12-06-round52-cpu/judge.py eval/devreal18 data/default/devreal \
#       | grep -v "^DistillMOS variant" > experiments/2026-12-06-round52-cpu/judge.md
set -eu
PY=${PY:-.venv/bin/python}
for part in noisy clean; do
    $PY -c "
import sys
import malenhance.speech_gate as gate
gate.HOLD_HOPS, gate.AVERAGE_HOPS = 30, 20  # 300 ms hold, 200 ms average (was 100, 50)
from malenhance.cli import main
sys.argv = ['malenhance', 'enhance', 'data/default/devreal/$part', '-o',
            'eval/devreal18/$part/speech18-slow', '--speech-lim', '18', '--jobs', '1']
main()
"
done
