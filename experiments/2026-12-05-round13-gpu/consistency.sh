#!/bin/sh
# Self-consistency: each model's output on devreal/noisy enhanced again by the same model;
# SI-SDR of the second pass against the first (high = the model leaves its own output alone).
set -eu
EVAL=${EVAL:-eval/devreal13}
for name in conventional mal-frozen mal-frozen-fe mal-dynamic deep-distillmos \
            conventional-levers2 mal-frozen-levers2 default; do
    spec=runs/r13/$name; [ "$name" = default ] && spec=default
    .venv/bin/python -m malenhance enhance "$EVAL/noisy/$name" -o "$EVAL/again/$name" \
        -m "$spec" --threads 1 --quiet --skip-existing
done
.venv/bin/python - "$EVAL" <<'PY'
import sys
from pathlib import Path
import soundfile as sf
from malenhance.scoring.metrics import si_sdr
folder = Path(sys.argv[1])
for system in sorted((folder / "again").iterdir()):
    values = [si_sdr(sf.read(f)[0], sf.read(folder / "noisy" / system.name / f.name)[0])
              for f in sorted(system.glob("*.wav"))]
    print(f"| {system.name} | {sum(values) / len(values):.1f} | {len(values)} |")
PY
