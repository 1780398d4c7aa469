"""Round 49 (RULE.md): speech/pause splices of the default's output and GTCRN's on devreal's
noisy clips, the speech frames from the clean reference; then DNSMOS in round 20's cells.

    python experiments/2026-12-06-round49-analysis/splice.py eval/devreal18 data/default/devreal
    python -m malenhance score eval/devreal18/noisy/splice-ours-speech \
        eval/devreal18/noisy/splice-gtcrn-speech --dnsmos --jobs 2 -o eval/devreal18/splice.csv
    python experiments/2026-12-05-round20-gpu/background.py eval/devreal18/splice.csv \
        data/default/devreal/manifest.json h-ovs05 splice-ours-speech splice-gtcrn-speech \
        peer-gtcrn   # after appending those two systems' rows of dnsmos120.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "2026-12-06-round48-cpu"))
from gated import speech_gate  # noqa: E402

OURS, GTCRN = "h-ovs05", "peer-gtcrn"


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    outs = {"splice-ours-speech": (OURS, GTCRN), "splice-gtcrn-speech": (GTCRN, OURS)}
    for name in outs:
        (folder / "noisy" / name).mkdir(parents=True, exist_ok=True)
    for path in sorted((dev / "noisy").glob("*.wav")):
        reference, rate = sf.read(dev / "clean" / path.name, dtype="float32")
        signals = {s: sf.read(folder / "noisy" / s / path.name, dtype="float32")[0]
                   for s in (OURS, GTCRN)}
        n = min(len(reference), *(len(v) for v in signals.values()))
        gate = speech_gate(reference[:n])
        for name, (in_speech, in_pauses) in outs.items():
            spliced = gate * signals[in_speech][:n] + (1 - gate) * signals[in_pauses][:n]
            sf.write(folder / "noisy" / name / path.name, np.clip(spliced, -1, 1), rate,
                     subtype="PCM_16")


if __name__ == "__main__":
    main()
