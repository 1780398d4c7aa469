"""Round 32's 48 kHz check (RULE.md): each model's 0-8 kHz and 8-20 kHz band SNR on devfull,
per clip, as ``malenhance enhance`` computes it (the onnxruntime engine, full band, one
thread), written to one CSV that decide.py reads.

    python experiments/2026-12-05-round32-gpu/devfull.py eval/devfull32 \\
        default=malenhance/weights/default k-more=runs/r32/k-more ...

Outputs go to OUT/NAME/ (kept: a model already enhanced is not run again); the table to
OUT/bands.csv (system, file, snr_0-8k, snr_8-20k), rebuilt from every OUT/NAME each call.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[2]))
from benchmarks.bench_fullband import band_scores, clip_names  # noqa: E402

DEV = Path("data/default/devfull")


def enhance(model: str, out: Path, clips: list[str]) -> None:
    from malenhance.enhance import enhance_signal
    from malenhance.light import load_engine

    engine = load_engine(model, threads=1)
    out.mkdir(parents=True, exist_ok=True)
    for clip in clips:
        if not (out / clip).exists():
            audio, rate = sf.read(DEV / "noisy" / clip, dtype="float32")
            sf.write(out / clip, enhance_signal(engine, audio, rate, full_band=True), rate,
                     subtype="FLOAT")


def main() -> None:
    out, systems = Path(sys.argv[1]), dict(arg.split("=", 1) for arg in sys.argv[2:])
    clips = clip_names(DEV)
    for name, model in systems.items():
        enhance(model, out / name, clips)
    rows = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        for clip in clips:
            clean, rate = sf.read(DEV / "clean" / clip, dtype="float32")
            enhanced, _ = sf.read(folder / clip, dtype="float32")
            scores = band_scores(clean, enhanced, rate)
            rows.append({"system": folder.name, "file": Path(clip).stem,
                         "snr_0-8k": f"{scores['snr_0-8k']:.4f}",
                         "snr_8-20k": f"{scores['snr_8-20k']:.4f}"})
    with open(out / "bands.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["system", "file", "snr_0-8k", "snr_8-20k"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{out / 'bands.csv'}: {len(rows)} rows")


if __name__ == "__main__":
    main()
