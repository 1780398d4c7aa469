"""Round 47, afterwards (descriptive, no prediction): how much the default takes away, per
clip, as the energy of input minus output over the output's, by source, for devreal's clean
references and for its noisy clips by input SNR (hi >= 15 dB, mid 5-15, lo < 5). Writes
removed.md.

    python experiments/2026-12-06-round47-analysis/removed.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

SYSTEM = "h-ovs05"  # the bundled r27-ovs05


def removed_db(x: np.ndarray, y: np.ndarray) -> float:
    n = min(len(x), len(y))
    return float(10 * np.log10(np.mean((x[:n] - y[:n]) ** 2) / np.mean(y[:n] ** 2) + 1e-12))


def band(snr: float) -> str:
    return "hi" if snr >= 15 else "mid" if snr >= 5 else "lo"


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    manifest = json.loads((dev / "manifest.json").read_text())
    clips = {Path(c["file"]).stem: c for c in manifest["clips"]}
    cells: dict[tuple[str, str], list[float]] = {}
    for part in ("clean", "noisy"):
        for path in sorted((dev / part).glob("*.wav")):
            x, _ = sf.read(path)
            y, _ = sf.read(folder / part / SYSTEM / path.name)
            source = path.stem.split("_")[1]
            kind = "clean reference" if part == "clean" else band(clips[path.stem]["snr_db"])
            cells.setdefault((source, kind), []).append(removed_db(x, y))
    lines = ["# What the default takes away (round 47, afterwards)", "",
             "Energy of input minus output over the output's, per clip (dB), the bundled "
             "default on devreal; median and 10th / 90th percentiles. Written by removed.py.",
             "", "| source | input | clips | median | p10 | p90 |", "|---|---|---|---|---|---|"]
    for (source, kind), values in sorted(cells.items()):
        v = np.array(values)
        lines.append(f"| {source} | {kind} | {len(v)} | {np.median(v):.1f} | "
                     f"{np.percentile(v, 10):.1f} | {np.percentile(v, 90):.1f} |")
    (Path(__file__).parent / "removed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
