"""Where a system changes clean real speech: per source and band, the output's level minus
the input's (dB) on the clean references of devreal (its "clean in" pass), in three kinds of
frame of the reference: speech (within 30 dB of its loudest frame), low (30-50 dB below:
word tails, breaths, a recording's floor under quiet speech) and pauses (more than 50 dB
below).

    python experiments/2026-12-05-round31-analysis/clean_bands.py eval/devreal18/clean \\
        data/default/devreal/clean p-distill-res h-ovs05 peer-dtln peer-gtcrn ...

Each SYSTEM is a folder of EVAL/SYSTEM holding the clean references enhanced.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from pause_residual import EDGES_HZ, band_sums, power_frames  # noqa: E402

KINDS = {"speech": (-30.0, 1.0), "low": (-50.0, -30.0), "pause": (-400.0, -50.0)}
GROUPS = ("g722", "klettres", "fillets")


def level_change(reference: Path, output: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per kind of frame: (input energy per band, output energy per band), summed."""
    x, rate = sf.read(reference, dtype="float64")
    y, _ = sf.read(output, dtype="float64")
    n = min(len(x), len(y))
    bx, by = band_sums(power_frames(x[:n]), rate), band_sums(power_frames(y[:n]), rate)
    level = 10 * np.log10(bx.sum(1) + 1e-12)
    level -= level.max()
    return {kind: (bx[(level >= lo) & (level < hi)].sum(0), by[(level >= lo) & (level < hi)].sum(0))
            for kind, (lo, hi) in KINDS.items()}


def group_change(folder: Path, references: Path, system: str, group: str
                 ) -> dict[str, np.ndarray]:
    """Per kind of frame: the level change per band (dB) of ``system`` on ``group``'s clips,
    energies summed over the clips."""
    files = sorted(p for p in references.glob("*.wav") if p.name.split("_")[1] == group)
    sums = {kind: [np.zeros(len(EDGES_HZ) - 1), np.zeros(len(EDGES_HZ) - 1)] for kind in KINDS}
    for path in files:
        for kind, (e_in, e_out) in level_change(path, folder / system / path.name).items():
            sums[kind][0] += e_in
            sums[kind][1] += e_out
    return {kind: 10 * np.log10((e_out + 1e-20) / (e_in + 1e-20))
            for kind, (e_in, e_out) in sums.items()}


def main() -> None:
    folder, references, systems = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    bands = " | ".join(f"{lo / 1000:g}k" for lo in EDGES_HZ[:-1])
    for group in GROUPS:
        files = sorted(p for p in references.glob("*.wav") if p.name.split("_")[1] == group)
        print(f"\n## {group} ({len(files)} clips): output minus input, dB\n")
        print(f"| system | frames | {bands} |")
        print("|---|---|" + "---|" * (len(EDGES_HZ) - 1))
        for system in systems:
            for kind, change in group_change(folder, references, system, group).items():
                print(f"| {system} | {kind} | " + " | ".join(f"{v:+.1f}" for v in change) + " |")


if __name__ == "__main__":
    main()
