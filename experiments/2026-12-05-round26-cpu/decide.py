"""Round 26's report and rule (RULE.md): the bundled default at each attenuation limit beside
no limit and the peers, then round 18's rule against no limit.

    sh experiments/2026-12-05-round26-cpu/score.sh
    python experiments/2026-12-05-round26-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
fell, mean, high_snr = round18.fell, round18.mean, round18.high_snr

NO_LIMIT = "p-distill-res"  # the bundled default's weights in round 18's tables
LIMITS = ["lim30", "lim24", "lim18", "lim12", "lim6"]
PEERS = ["peer-dtln", "peer-gtcrn", "peer-nsnet2", "peer-deepfilternet3", "peer-rnnoise"]


def means_table(noisy: dict, clean: dict, d120: dict, high: set[str], names: list[str],
                labels: dict[str, str] | None = None) -> None:
    """One row of devreal means per system (``labels`` renames some)."""
    labels = labels or {}
    print("| system | clean in: PESQ-wb | ESTOI | in noise: PESQ-wb | ESTOI | SI-SDR "
          "| SIG | BAK | OVRL | SNR fell (>= 15 dB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in names:
        cells = [f"{mean(clean, name, 'pesq_wb'):.2f}", f"{mean(clean, name, 'estoi'):.3f}",
                 f"{mean(noisy, name, 'pesq_wb'):.2f}", f"{mean(noisy, name, 'estoi'):.3f}",
                 f"{mean(noisy, name, 'si_sdr'):.2f}",
                 *(f"{mean(d120, name, k):.2f}" for k in ("dnsmos_sig", "dnsmos_bak",
                                                          "dnsmos_ovrl")),
                 str(fell(noisy, high, name))]
        print(f"| {labels.get(name, name)} | " + " | ".join(cells) + " |")


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    high = high_snr(dev / "manifest.json")
    limits = [s for s in LIMITS if s in noisy and s in clean and s in d120]

    print("## Means on devreal (120 clips; clean in = the clean references enhanced)\n")
    means_table(noisy, clean, d120, high, [NO_LIMIT, *limits, *PEERS],
                {NO_LIMIT: "no limit (default)"})

    dtln = mean(clean, "peer-dtln", "pesq_wb")
    reach = [s for s in limits if mean(clean, s, "pesq_wb") >= dtln]
    # the mildest limit (the largest number of dB) that is as transparent as DTLN
    advice = max(reach, key=lambda s: int(s[3:])) if reach else None
    print(f"\nThe mildest limit as transparent as DTLN (PESQ-wb {dtln:.2f}): {advice or 'none'}\n")

    round19.rule_against_bundled(noisy, clean, d120, dev, limits)


if __name__ == "__main__":
    main()
