"""Round 75: every system of one side-by-side run on devreal, means over the same clips,
against the issue's goals (in noise: PESQ-wb, ESTOI, SI-SDR, DNSMOS OVRL; transparency on the
clean references; SNR drops at 15-20 dB).

    python experiments/2026-12-07-round75-analysis/table.py eval/side75 data/default
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round19 = load_decide("2026-12-05-round19-cpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
HIGH_SNR_DB = 15.0


def mean(rows: dict, key: str, files: set[str] | None = None) -> float:
    values = [v[key] for f, v in rows.items() if files is None or f in files]
    values = [x for x in values if not math.isnan(x)]
    return sum(values) / len(values)


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    clips = json.loads((data / "devreal/manifest.json").read_text())["clips"]
    high = {Path(c["file"]).stem for c in clips if c["snr_db"] >= HIGH_SNR_DB}
    subset_c = screen.clean_clips(data)
    noisy, clean, dnsmos = round19.tables(folder)
    systems = [s for s in noisy if s != "noisy-input"]
    print(f"Means over the set's {len(clips)} real clips, every system run in this one run. "
          f"Transparency: each system on the clean references (output against input); "
          f"C: the {len(subset_c)} references that pass the clean screen. Drops: clips at "
          f">= 15 dB input SNR ({len(high)}) whose SI-SDR the system lowers.\n")
    print("| system | PESQ-wb | ESTOI | SI-SDR (dB) | OVRL | SIG | BAK | P.808 "
          "| transparency PESQ-wb / ESTOI (120) | (C) | drops |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    order = sorted(systems, key=lambda s: -mean(noisy[s], "pesq_wb"))
    for s in ["noisy-input"] + order:
        d = dnsmos.get("input" if s == "noisy-input" else s)
        mos = " | ".join(f"{mean(d, k):.3f}" for k in
                         ("dnsmos_ovrl", "dnsmos_sig", "dnsmos_bak", "dnsmos_p808")) if d else \
            " | ".join(["-"] * 4)
        if s in clean:
            see = (f"{mean(clean[s], 'pesq_wb'):.3f} / {mean(clean[s], 'estoi'):.3f} | "
                   f"{mean(clean[s], 'pesq_wb', subset_c):.3f} / "
                   f"{mean(clean[s], 'estoi', subset_c):.3f}")
            drops = sum(noisy[s][f]["si_sdr_improvement"] < 0 for f in high)
        else:
            see, drops = "- | -", "-"
        print(f"| {s} | {mean(noisy[s], 'pesq_wb'):.3f} | {mean(noisy[s], 'estoi'):.3f} | "
              f"{mean(noisy[s], 'si_sdr'):.2f} | {mos} | {see} | {drops} |")


if __name__ == "__main__":
    main()
