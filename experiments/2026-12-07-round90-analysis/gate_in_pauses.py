"""Round 90: how often the speech gate (``--speech-lim``) would open where nobody speaks, on a
set's real noisy clips: the gate run on each system's enhanced output (as enhance.py runs it),
its mean over the 10 ms frames where the clean reference is 40 dB below its loudest frame
(pauses), and over the frames within 20 dB of it (speech).

    python experiments/2026-12-07-round90-analysis/gate_in_pauses.py \
        eval/devreal54 data/default/devreal default s87-blend02
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[2]))
sys.path.insert(0, str(Path(__file__).parent))
from pause_residual_real import FRAME, frame_db  # noqa: E402

from malenhance.speech_gate import SpeechGate  # noqa: E402


def main() -> None:
    folder, dev, systems = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    opened = {s: {"pause": [], "speech": []} for s in systems}
    for ref in sorted((dev / "clean").glob("*.wav")):
        clean, rate = sf.read(ref, dtype="float32")
        level = frame_db(clean)
        where = {"pause": level < level.max() - 40, "speech": level > level.max() - 20}
        for s in systems:
            out, _ = sf.read(folder / "noisy" / s / ref.name, dtype="float32")
            gate = SpeechGate(rate).push(out[None, :])
            per_frame = gate[: len(gate) // FRAME * FRAME].reshape(-1, FRAME).mean(1)
            n = min(len(per_frame), len(level))
            for part, mask in where.items():
                if mask[:n].any():
                    opened[s][part].append(per_frame[:n][mask[:n]])
    print("| system | gate open in pauses | gate open in speech |")
    print("|---|---|---|")
    for s in systems:
        cells = [f"{100 * np.concatenate(opened[s][p]).mean():.1f} %" for p in ("pause", "speech")]
        print(f"| `{s}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
