"""Round 35 (analysis): is the noise the default leaves in pauses above 6 kHz added noise, or
the recording's own floor?

    python experiments/2026-12-06-round35-analysis/floor_split.py \
        eval/devreal18 data/default/devreal

For each noisy devreal clip: in the pause frames of the clean reference (pause_residual.py's
definition), how far the noisy input's 6-8 kHz energy lies above the reference's own 6-8 kHz
energy there ("added noise over floor", dB). Near 0 dB the input's upper band in pauses is the
recording's floor (hiss, hum harmonics, codec noise), which the reference keeps; well above it,
the added noise. Per bin of that ratio: the median pause attenuation at 6-8 kHz of the default
and the peers, and DNSMOS BAK of each minus the default's (mean over the bin's clips).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from pause_residual import PAUSE_DB, band_sums, clip_residual, power_frames  # noqa: E402

DEFAULT = "h-ovs05"  # r27-ovs05, the bundled default, in eval/devreal18
PEERS = ("peer-gtcrn", "peer-deepfilternet3", "peer-nsnet2", "peer-dtln")
UPPER = slice(8, 10)  # pause_residual's 6-7 and 7-8 kHz bands
BINS_DB = ((-99, 3), (3, 10), (10, 20), (20, 99))


def added_over_floor(clean: np.ndarray, noisy: np.ndarray, rate: int) -> float:
    """Noisy over clean energy at 6-8 kHz in the reference's pause frames (dB)."""
    n = min(len(clean), len(noisy))
    ref = power_frames(clean[:n])
    total = ref.sum(1)
    pauses = total < total.max() * 10 ** (PAUSE_DB / 10)
    noisy_upper = band_sums(power_frames(noisy[:n])[pauses], rate)[:, UPPER].sum()
    clean_upper = band_sums(ref[pauses], rate)[:, UPPER].sum()
    return float(10 * np.log10(noisy_upper / (clean_upper + 1e-20) + 1e-12))


def bak_table(folder: Path) -> dict[tuple[str, str], float]:
    with open(folder / "dnsmos120.csv", newline="") as f:
        return {(r["system"], r["file"]): float(r["dnsmos_bak"]) for r in csv.DictReader(f)}


def floor_table(folder: Path, dev: Path, systems: tuple[str, ...]) -> None:
    """The table for ``systems`` (their outputs in FOLDER/noisy/SYSTEM); BAK of each of
    the others minus the first's."""
    first, others = systems[0], systems[1:]
    bak = bak_table(folder)
    rows = []  # (clip, added over floor, {system: attenuation})
    for ref in sorted((dev / "clean").glob("real_*.wav")):
        clean, rate = sf.read(ref, dtype="float64")
        noisy, _ = sf.read(dev / "noisy" / ref.name, dtype="float64")
        attenuation = {}
        for system in systems:
            enhanced, _ = sf.read(folder / "noisy" / system / ref.name, dtype="float64")
            got = clip_residual(clean, noisy, enhanced, rate)
            if got is not None:
                attenuation[system] = float(got[0][UPPER].mean())
        if len(attenuation) == len(systems):
            rows.append((ref.stem, added_over_floor(clean, noisy, rate), attenuation))
    print(f"{len(rows)} noisy clips with pauses. Pause attenuation at 6-8 kHz (median, dB) and "
          f"DNSMOS BAK minus {first}'s (mean), by added noise over the recording's floor "
          f"at 6-8 kHz in those pauses.\n")
    print("| added over floor | clips | " + " | ".join(s.removeprefix("peer-") for s in systems)
          + " | " + " | ".join(f"BAK {s.removeprefix('peer-')}" for s in others) + " |")
    print("|---" * (2 + len(systems) + len(others)) + "|")
    for lo, hi in BINS_DB:
        chosen = [r for r in rows if lo <= r[1] < hi]
        label = f"< {hi} dB" if lo < -90 else (f">= {lo} dB" if hi > 90 else f"{lo}-{hi} dB")
        cells = [f"{np.median([r[2][s] for r in chosen]):.1f}" for s in systems]
        baks = [f"{np.mean([bak[(s, r[0])] - bak[(first, r[0])] for r in chosen]):+.2f}"
                for s in others]
        print(f"| {label} | {len(chosen)} | " + " | ".join(cells + baks) + " |")


def main() -> None:
    floor_table(Path(sys.argv[1]), Path(sys.argv[2]), (DEFAULT, *PEERS))


if __name__ == "__main__":
    main()
