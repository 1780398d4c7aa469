"""Per clip, the upper band's noise floor with minimum statistics (the bench's output) against
the floor rising 3 dB/s alone (``WINDOW_S = 0``, enhanced here), on all devfull clips.

    PYTHONPATH=. python experiments/2026-12-05-fullband/compare_floor.py eval/devfull-floor
    PYTHONPATH=. python experiments/2026-12-05-fullband/compare_floor.py - WINDOW_S=2.0 ...

With ``-`` and settings of malenhance.upper_band instead of a bench output folder, the "now"
side is enhanced here with those settings.

Prints the paired differences (mean ±95 % half-width) over all clips and each half, and the
clips that got worse in 8-20 kHz band SNR.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import malenhance.upper_band as upper_band  # noqa: E402
from benchmarks.bench_fullband import band_scores, clip_names  # noqa: E402
from malenhance.enhance import enhance_signal  # noqa: E402
from malenhance.light import load_engine  # noqa: E402

DEV = Path(os.environ.get("DEVFULL", "data/default/devfull"))


def ci(diff: np.ndarray) -> str:
    return f"{diff.mean():+.2f} ±{1.96 * diff.std(ddof=1) / np.sqrt(len(diff)):.2f}"


def main(out: Path, settings: list[str]) -> None:
    engine = load_engine("default", threads=1)

    def enhance(audio: np.ndarray, rate: int, **values: float) -> np.ndarray:
        saved = {k: getattr(upper_band, k) for k in values}
        vars(upper_band).update(values)
        try:
            return enhance_signal(engine, audio, rate)
        finally:
            vars(upper_band).update(saved)

    now = dict((k, float(v)) for k, v in (s.split("=") for s in settings))
    names = clip_names(DEV)
    new, old = [], []
    for name in names:
        clean, rate = sf.read(DEV / "clean" / name, dtype="float32")
        noisy, _ = sf.read(DEV / "noisy" / name, dtype="float32")
        if str(out) == "-":
            ours = enhance(noisy, rate, **now)
        else:
            ours, _ = sf.read(out / "noisy" / "malenhance" / name, dtype="float32")
        new.append(band_scores(clean, ours, rate))
        # the floor before: rising 3 dB/s, no window
        old.append(band_scores(clean, enhance(noisy, rate, WINDOW_S=0.0), rate))
        passed = enhance(clean, rate, WINDOW_S=0.0)
        old[-1]["clean_pass_upper_level"] = band_scores(clean, passed, rate)["upper_level"]
    keys = list(new[0])
    report: dict = {"before_means": {k: round(float(np.mean([o[k] for o in old])), 2)
                                     for k in old[0]}}
    half = len(names) // 2
    for label, part in (("all", slice(None)), ("first half (tuned on)", slice(None, half)),
                        ("second half", slice(half, None))):
        report[f"now - before, {label}"] = {
            k: ci(np.array([n[k] - o[k] for n, o in zip(new[part], old[part], strict=True)]))
            for k in keys}
    diff = np.array([n["snr_8-20k"] - o["snr_8-20k"] for n, o in zip(new, old, strict=True)])
    report["worse_8-20k"] = {names[i]: round(float(diff[i]), 2)
                             for i in np.flatnonzero(diff < -0.005)}
    report["better_8-20k"] = {names[i]: round(float(diff[i]), 2)
                              for i in np.flatnonzero(diff > 0.005)}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
