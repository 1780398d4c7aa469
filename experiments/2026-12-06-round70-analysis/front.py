"""Round 70 (analysis): every model scored on devreal in rounds 54-68, on the axes the
bundling rule trades, against the bundled default, paired over the same clips.

    python experiments/2026-12-06-round70-analysis/front.py eval/devreal54 data/default > front.md
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round58 = load_decide("2026-12-06-round58-gpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
paired = round13.paired
DEFAULT = "default"


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    clean_set = screen.clean_clips(data)
    noisy, clean, dnsmos = round19.tables(folder)
    manifest = data / "devreal/manifest.json"
    systems = sorted(s for s in dnsmos if s in clean and s in noisy and s != DEFAULT
                     and len(dnsmos[s]) == len(dnsmos[DEFAULT]))
    default_drops = round13.snr_fell(noisy, manifest, DEFAULT)
    print("| model | C ESTOI | transparency PESQ-wb | OVRL | P.808 | in noise PESQ-wb "
          "| SI-SDR (dB) | SNR drops |")
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    for system in systems:
        c_estoi = paired(round58.subset(clean, clean_set), DEFAULT, system, "estoi")
        rows.append((c_estoi[0], system, [
            c_estoi,
            paired(clean, DEFAULT, system, "pesq_wb"),
            paired(dnsmos, DEFAULT, system, "dnsmos_ovrl"),
            paired(dnsmos, DEFAULT, system, "dnsmos_p808"),
            paired(noisy, DEFAULT, system, "pesq_wb"),
            paired(noisy, DEFAULT, system, "si_sdr"),
        ], round13.snr_fell(noisy, manifest, system)))
    for _, system, cells, drops in sorted(rows, reverse=True):
        text = " | ".join(f"{m:+.3f} ±{ci:.3f}" if i != 5 else f"{m:+.2f} ±{ci:.2f}"
                          for i, (m, ci, _) in enumerate(cells))
        print(f"| `{system}` | {text} | {drops} |")
    print(f"\nThe default: {default_drops} SNR drops; the rule's margins: C ESTOI >= +0.010, "
          "OVRL >= -0.010, drops <= the default's.")


if __name__ == "__main__":
    main()
