"""Round 111: every system's means on devreal and the confirmation set pooled (240 clips),
the peers beside the shipped models and the ensemble; per-source transparency too.

    python experiments/2026-12-07-round111-cpu/report.py [MORE ...]   # MORE: systems to add
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

pooled = load_decide("2026-12-07-round90-analysis", "pooled")
SYSTEMS = ["noisy-input", "default", "s101-pause01", "ens111", "peer-deepfilternet3",
           "peer-gtcrn", "peer-nsnet2", "peer-dtln", "peer-rnnoise"]
SOURCES = ("g722", "klettres", "fillets")


def mean(rows: dict, key: str, keep=lambda f: True) -> float:
    values = [float(v[key]) for f, v in rows.items() if keep(f)]
    return float(np.mean(values)) if values else float("nan")


def main() -> None:
    SYSTEMS.extend(sys.argv[1:])
    (noisy, clean, dnsmos), _, high = pooled.pooled_tables()
    print("| system | in noise PESQ-wb | ESTOI | SI-SDR | DNSMOS SIG | BAK | OVRL | P.808 "
          "| clean in PESQ-wb | ESTOI | SNR drops (57) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for s in SYSTEMS:
        drops = sum(float(noisy[s][f]["si_sdr_improvement"]) < 0 for f in high if f in noisy[s])
        cells = [mean(noisy[s], k) for k in ("pesq_wb", "estoi", "si_sdr")]
        # the DNSMOS table names the input "input" (malenhance score's own name)
        judged = dnsmos["input" if s == "noisy-input" else s]
        cells += [mean(judged, k) for k in ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl",
                                            "dnsmos_p808")]
        transparency = [mean(clean.get(s, {}), k) for k in ("pesq_wb", "estoi")]
        print(f"| {s} | " + " | ".join(f"{c:.3f}" for c in cells + transparency)
              + f" | {drops} |")
    print("\nClean in (PESQ-wb / ESTOI) by source:\n")
    print("| system | " + " | ".join(SOURCES) + " |")
    print("|---|" + "---|" * len(SOURCES))
    for s in SYSTEMS[1:]:
        cells = [f"{mean(clean[s], 'pesq_wb', lambda f, k=k: k in f):.3f} / "
                 f"{mean(clean[s], 'estoi', lambda f, k=k: k in f):.3f}" for k in SOURCES]
        print(f"| {s} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
