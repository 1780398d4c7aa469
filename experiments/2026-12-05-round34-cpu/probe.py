"""Round 34's signal (RULE.md): pause attenuation at 6-8 kHz per source, `c34-res4` against
`c34-ctl`, then the full devreal scores, paired.

    python experiments/2026-12-05-round34-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from pause_residual import clip_residual  # noqa: E402
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
paired, fmt = round18.paired, round18.fmt

CONTROL, ARM = "c34-ctl", "c34-res4"
UPPER = slice(8, 10)  # pause_residual's 6-7 and 7-8 kHz bands
GROUPS = ("g722", "klettres", "fillets")


def upper_attenuation(folder: Path, dev: Path, system: str, group: str) -> float:
    """Median over the source's clips of the pause attenuation per band, 6-8 kHz mean (dB)."""
    per_clip = []
    for ref in sorted((dev / "clean").glob(f"real_{group}_*.wav")):
        clean, rate = sf.read(ref, dtype="float64")
        noisy, _ = sf.read(dev / "noisy" / ref.name, dtype="float64")
        enhanced, _ = sf.read(folder / "noisy" / system / ref.name, dtype="float64")
        got = clip_residual(clean, noisy, enhanced, rate)
        if got is not None:
            per_clip.append(got[0])
    return float(np.median(per_clip, axis=0)[UPPER].mean())


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    print("## Pause attenuation at 6-8 kHz in noise (median per source, dB)\n")
    print("| source | c34-ctl | c34-res4 | more removed |")
    print("|---|---|---|---|")
    gains = []
    for group in GROUPS:
        ctl = upper_attenuation(folder, dev, CONTROL, group)
        arm = upper_attenuation(folder, dev, ARM, group)
        gains.append(ctl - arm)
        print(f"| {group} | {ctl:.1f} | {arm:.1f} | {ctl - arm:+.1f} |")
    reaches = np.mean(gains) >= 1.5 and min(gains) >= 0.5
    print(f"\nMean {np.mean(gains):+.2f} dB, least {min(gains):+.2f} dB: the lever "
          f"{'reaches' if reaches else 'does not reach'} the upper band (RULE.md).\n")

    noisy, clean, d120 = round19.tables(folder)
    print(f"## `{ARM}` minus `{CONTROL}`, paired over 120 clips\n")
    print("| transparency PESQ-wb | in noise PESQ-wb | SI-SDR | DNSMOS BAK | OVRL |")
    print("|---|---|---|---|---|")
    print(f"| {fmt(paired(clean, CONTROL, ARM, 'pesq_wb'))} "
          f"| {fmt(paired(noisy, CONTROL, ARM, 'pesq_wb'))} "
          f"| {fmt(paired(noisy, CONTROL, ARM, 'si_sdr'), 2)} "
          f"| {fmt(paired(d120, CONTROL, ARM, 'dnsmos_bak'))} "
          f"| {fmt(paired(d120, CONTROL, ARM, 'dnsmos_ovrl'))} |")


if __name__ == "__main__":
    main()
