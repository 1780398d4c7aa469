"""Round 45's data (RULE.md): every line of the main voice-acting voices `m` and `v` as pairs.

    PYTHONPATH=. python experiments/2026-12-06-round45-cpu/mv_pairs.py data/r45/mvall

Round 16's joining (its `joined_files`, the same order) run to the end of each voice's lines;
the first files are round 16's (checked byte for byte against data/r15/pairs-extra's raw
side, whose teacher targets are reused); the rest go through DeepFilterNet3 for their
targets. OUT = data/r15/pairs hard-linked, plus the new pairs in the same speaker folders,
plus the whole voice-acting set hard-linked K - 1 more times (K x its minutes closest to
6 x round 16's 24 min).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

from benchmarks.peers import enhance_with_peer  # noqa: E402
from recipes.default import realspeech  # noqa: E402

fillets_targets = load_decide("2026-12-05-round16-cpu", "fillets_targets")

EXTRA = Path("data/r15/pairs-extra")
CONTROL_MINUTES = 6 * 24.0


def main() -> None:
    out = Path(sys.argv[1])
    root = Path("data/default/cache/extracted") / realspeech.FILLETS
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-rl", "data/r15/pairs", str(out)], check=True)
    fillets_targets.MINUTES_PER_VOICE = 1e9  # every line
    seconds = 0.0
    for voice in fillets_targets.VOICES:
        speaker = f"cs_fillets_{voice}"
        files = fillets_targets.joined_files(root, voice)
        for i, audio in enumerate(files):
            name = Path("real16k") / speaker / f"{speaker}_{i:04d}.flac"
            raw_path, target_path = out / "original" / name, out / "clean" / name
            if (EXTRA / "original" / name).exists():
                kept, _ = sf.read(EXTRA / "original" / name, dtype="float32")
                probe = out / "probe.flac"
                sf.write(probe, np.clip(audio, -1, 1), fillets_targets.RATE)
                again, _ = sf.read(probe, dtype="float32")
                probe.unlink()
                assert np.array_equal(kept, again), f"{name} differs from round 16's"
            elif not target_path.exists():
                target = enhance_with_peer("deepfilternet3", audio, fillets_targets.RATE, 2)
                for path, signal in ((raw_path, audio), (target_path, target)):
                    path.parent.mkdir(parents=True, exist_ok=True)
                    sf.write(path, np.clip(signal, -1, 1), fillets_targets.RATE)
            seconds += len(audio) / fillets_targets.RATE
        print(voice, len(files), "files", flush=True)
    minutes = seconds / 60
    copies = max(1, round(CONTROL_MINUTES / minutes))
    for voice in fillets_targets.VOICES:
        speaker = f"cs_fillets_{voice}"
        for k in range(2, copies + 1):
            for side in ("clean", "original"):
                copy = out / side / "real16k" / f"{speaker}_copy{k}"
                if not copy.exists():
                    subprocess.run(["cp", "-rl", str(out / side / "real16k" / speaker),
                                    str(copy)], check=True)
    print(f"{minutes:.1f} min of voice acting, drawn {copies}x "
          f"({copies * minutes:.0f} min-equivalents; control {CONTROL_MINUTES:.0f})")


if __name__ == "__main__":
    main()
