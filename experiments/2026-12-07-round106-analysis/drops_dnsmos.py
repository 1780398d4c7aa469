"""Round 106: what the SNR drops at 15-20 dB are, by DNSMOS against the clean references.

Round 95's clause 5 counts inputs at 15-20 dB whose SI-SDR goes down. Most are voice-acting
lines whose references carry echo and codec artefacts. If the outputs of those clips score
at or above their own references on DNSMOS (no reference needed), the drop is the system
changing the reference's flaws rather than damaging the voice; if below, it is damage. For
each system, on both real sets' 57 clips at 15-20 dB: drops by source, and the DNSMOS SIG
and OVRL of its outputs minus the references' (and minus the noisy inputs').

    malenhance score data/default/devreal/clean --dnsmos -o eval/devreal54/dnsmos-refs.csv
    malenhance score data/confirm78/devreal/clean --dnsmos -o eval/confirm78/dnsmos-refs.csv
    python experiments/2026-12-07-round106-analysis/drops_dnsmos.py > .../drops-dnsmos.md
"""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

SETS = {"devreal": (Path("eval/devreal54"), Path("data/default/devreal")),
        "confirm78": (Path("eval/confirm78"), Path("data/confirm78/devreal"))}
SYSTEMS = ["default", "s101-pause01", "peer-dtln", "peer-gtcrn", "peer-deepfilternet3",
           "peer-nsnet2", "peer-rnnoise"]
HIGH_SNR_DB = 15.0


def rows(path: Path) -> dict[tuple[str, str], dict]:
    with open(path, newline="") as handle:
        return {(r["system"], Path(r["file"]).stem): r for r in csv.DictReader(handle)}


def mean(values: list[float]) -> str:
    return f"{statistics.fmean(values):+.2f}" if values else "-"


def main() -> None:
    clips, every_clip = [], []  # (set, stem, group)
    scores, dnsmos, refs = {}, {}, {}
    for name, (folder, data) in SETS.items():
        for clip in json.loads((data / "manifest.json").read_text())["clips"]:
            every_clip.append((name, Path(clip["file"]).stem, clip["group"]))
            if clip["snr_db"] >= HIGH_SNR_DB:
                clips.append((name, Path(clip["file"]).stem, clip["group"]))
        scores[name] = rows(folder / "noisy-all-scores.csv")
        dnsmos[name] = rows(folder / "dnsmos120.csv")
        refs[name] = {stem: r for (_, stem), r in rows(folder / "dnsmos-refs.csv").items()}
    groups = sorted({g for _, _, g in clips})
    counts = {g: sum(c[2] == g for c in clips) for g in groups}
    print("# SNR drops at 15-20 dB and DNSMOS against the clean references (round 106)\n")
    print(f"{len(clips)} clips at 15-20 dB, both real sets: "
          + ", ".join(f"{g} {counts[g]}" for g in groups) + ". A drop: the output's SI-SDR "
          "below the input's. SIG / OVRL: the outputs' DNSMOS minus the clean references' "
          "(and minus the noisy inputs'), mean over the clips named.\n")
    print("| system | drops | " + " | ".join(f"drops {g}" for g in groups)
          + " | dropped clips: SIG vs ref | OVRL vs ref | OVRL vs input "
          "| all 57: SIG vs ref | OVRL vs ref |")
    print("|---|---|" + "---|" * len(groups) + "---|---|---|---|---|")
    for system in SYSTEMS:
        dropped, by_group = [], {g: 0 for g in groups}
        sig_ref, ovrl_ref, ovrl_in, all_sig, all_ovrl = [], [], [], [], []
        for name, stem, group in clips:
            out = dnsmos[name][(system, stem)]
            ref, noisy = refs[name][stem], dnsmos[name][("input", stem)]
            d_sig = float(out["dnsmos_sig"]) - float(ref["dnsmos_sig"])
            d_ovrl = float(out["dnsmos_ovrl"]) - float(ref["dnsmos_ovrl"])
            all_sig.append(d_sig)
            all_ovrl.append(d_ovrl)
            if float(scores[name][(system, stem)]["si_sdr_improvement"]) < 0:
                dropped.append(stem)
                by_group[group] += 1
                sig_ref.append(d_sig)
                ovrl_ref.append(d_ovrl)
                ovrl_in.append(float(out["dnsmos_ovrl"]) - float(noisy["dnsmos_ovrl"]))
        print(f"| `{system}` | {len(dropped)} | " + " | ".join(str(by_group[g]) for g in groups)
              + f" | {mean(sig_ref)} | {mean(ovrl_ref)} | {mean(ovrl_in)} | {mean(all_sig)} "
              f"| {mean(all_ovrl)} |")
    print("\nThe clean references themselves (all 240 clips), DNSMOS mean by source:\n")
    print("| source | clips | SIG | BAK | OVRL |")
    print("|---|---|---|---|---|")
    for group in groups:
        these = [refs[n][stem] for n, stem, g in every_clip if g == group]
        print(f"| {group} | {len(these)} | "
              + " | ".join(f"{statistics.fmean(float(r[k]) for r in these):.2f}"
                           for k in ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl")) + " |")


if __name__ == "__main__":
    main()
