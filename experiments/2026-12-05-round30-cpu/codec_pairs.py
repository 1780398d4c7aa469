"""Round 30's data (RULE.md): round 22's pairs6 data plus, for every real 16 kHz training voice
that is not voice acting, a `<voice>_vorbis` twin whose original went through low-bitrate
Ogg Vorbis (OUT/vorbis), or is the clean file itself (OUT/plain, the control).

    PYTHONPATH=. python experiments/2026-12-05-round30-cpu/codec_pairs.py data/r22/pairs6 data/r30
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

SEED = 30
LEVELS = (0.6, 1.0)  # libsndfile's compression level: 1 is the lowest bitrate


def through_vorbis(audio: np.ndarray, rate: int, level: float) -> np.ndarray:
    buffer = io.BytesIO()
    sf.write(buffer, audio, rate, format="OGG", subtype="VORBIS", compression_level=level)
    buffer.seek(0)
    decoded, _ = sf.read(buffer, dtype="float32")
    out = np.zeros_like(audio)
    n = min(len(out), len(decoded))
    out[:n] = decoded[:n]
    return out


def link_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=os.link)


def main() -> None:
    base, out = Path(sys.argv[1]), Path(sys.argv[2])
    rng = np.random.default_rng(SEED)
    voices = sorted(p for p in (base / "clean" / "real16k").iterdir()
                    if p.is_dir() and "fillets" not in p.name)
    for kind in ("vorbis", "plain"):
        link_tree(base, out / kind)
    count = 0
    for voice in voices:
        for file in sorted(voice.rglob("*.flac")):
            rel = file.relative_to(voice)
            name = f"{voice.name}_vorbis"
            audio, rate = sf.read(file, dtype="float32")
            degraded = through_vorbis(audio, rate, float(rng.uniform(*LEVELS)))
            for kind in ("vorbis", "plain"):
                clean = out / kind / "clean" / "real16k" / name / rel
                original = out / kind / "original" / "real16k" / name / rel
                clean.parent.mkdir(parents=True, exist_ok=True)
                original.parent.mkdir(parents=True, exist_ok=True)
                os.link(file, clean)
                if kind == "plain":
                    os.link(file, original)
                else:
                    sf.write(original, degraded, rate, format="FLAC")
            count += 1
    print(f"{count} files from {len(voices)} voices -> {out}/vorbis, {out}/plain")


if __name__ == "__main__":
    main()
