"""Round 54 (RULE.md): the transparency and high-SNR goals on devreal's clean references.

    python experiments/2026-12-06-round54-analysis/screen.py eval/devreal54 data/default \
        > experiments/2026-12-06-round54-analysis/screen.md

A clip is clean when every recording its manifest names passes the recipe's own screen
(``realspeech.floor_db <= CLEAN_FLOOR_DB``), each read whole as the recipe reads it. The scores
are the committed per-clip tables of round 50 (``eval/devreal54`` holds them, with the default
re-run on the rebuilt devreal as ``default``).
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT))
from recipes.default import build_data, realspeech  # noqa: E402

HIGH_SNR_DB = 15.0
CLEAN_PASS = ["default", "peer-deepfilternet3", "peer-dtln", "peer-gtcrn"]
ALL = CLEAN_PASS + ["peer-nsnet2", "peer-rnnoise"]


def recording_floors(data: Path) -> dict[tuple[str, str], float]:
    """floor_db of every held-out recording devreal draws from, by (speaker, file name)."""
    builder = build_data.Builder(data, build_data.Config())
    floors = {}
    for _group, speakers, _pause in builder._real_dev_sources():
        for recs in speakers:
            for rec in recs:
                audio, rate = realspeech.read(rec.path)
                floors[(rec.speaker, rec.path.name)] = realspeech.floor_db(audio, rate)
    return floors


def worst_floors(data: Path) -> dict[str, tuple[dict, float]]:
    """Each devreal clip's manifest entry and the highest floor_db among its recordings."""
    clips = json.loads((data / "devreal/manifest.json").read_text())["clips"]
    floors = recording_floors(data)
    return {Path(c["file"]).stem: (c, max(floors[(c["speaker"], p)] for p in c["prompts"]))
            for c in clips}


def clean_clips(data: Path) -> set[str]:
    """The clips whose every recording passes the recipe's clean screen (subset C)."""
    return {name for name, (_, worst) in worst_floors(data).items()
            if worst <= realspeech.CLEAN_FLOOR_DB}


def table(path: Path) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["system"], {})[row["file"]] = row
    return out


def mean(rows: dict, files: list[str], key: str) -> float:
    return statistics.fmean(float(rows[f][key]) for f in files)


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    screened = worst_floors(data)
    worst = {name: floor for name, (_, floor) in screened.items()}
    clean_set = {name for name, floor in worst.items() if floor <= realspeech.CLEAN_FLOOR_DB}
    source = {name: clip["group"] for name, (clip, _) in screened.items()}
    snr = {name: clip["snr_db"] for name, (clip, _) in screened.items()}
    parts = {"C (clean)": sorted(clean_set), "N (not clean)": sorted(set(source) - clean_set)}

    print("# Round 54: devreal's references through the recipe's clean screen\n")
    print(f"Screen: every recording of the clip at floor_db <= {realspeech.CLEAN_FLOOR_DB} dB.\n")
    print("| source | clips | clean | worst recording floor, median (dB) |")
    print("|---|---|---|---|")
    for group in ("g722", "klettres", "fillets"):
        names = [n for n in source if source[n] == group]
        print(f"| {group} | {len(names)} | {sum(n in clean_set for n in names)} "
              f"| {statistics.median(worst[n] for n in names):.1f} |")

    clean = table(folder / "clean-scores.csv")
    noisy = table(folder / "noisy-all-scores.csv")
    print("\n## Transparency (output against its clean input): PESQ-wb / ESTOI\n")
    print("| system | " + " | ".join(f"{p} ({len(f)})" for p, f in parts.items())
          + " | C: g722 | C: klettres | all 120 |")
    print("|---|---|---|---|---|---|")
    for system in CLEAN_PASS:
        rows = clean[system]
        cells = []
        subsets = list(parts.values()) + [
            [n for n in parts["C (clean)"] if source[n] == g] for g in ("g722", "klettres")]
        for files in subsets + [sorted(source)]:
            cells.append(f"{mean(rows, files, 'pesq_wb'):.2f} / {mean(rows, files, 'estoi'):.3f}"
                         if files else "-")
        print(f"| {system} | " + " | ".join(cells) + " |")

    high = {n for n in source if snr[n] >= HIGH_SNR_DB}
    print(f"\n## Inputs at {HIGH_SNR_DB:.0f}-20 dB that leave with a lower SI-SDR\n")
    heads = [f"{p}: {len(high & set(f))} high-SNR" for p, f in parts.items()]
    print("| system | " + " | ".join(heads) + " | all |")
    print("|---|---|---|---|")
    for system in ALL:
        rows = noisy[system]
        cells = [str(sum(float(rows[n]["si_sdr_improvement"]) < 0 for n in high & set(files)))
                 for files in parts.values()]
        cells.append(str(sum(float(rows[n]["si_sdr_improvement"]) < 0 for n in high)))
        print(f"| {system} | " + " | ".join(cells) + " |")

    print("\n## Per clip: the default's transparency on C, lowest first\n")
    print("| clip | worst floor (dB) | PESQ-wb | ESTOI |")
    print("|---|---|---|---|")
    rows = clean["default"]
    for n in sorted(parts["C (clean)"], key=lambda n: float(rows[n]["pesq_wb"]))[:10]:
        print(f"| {n} | {worst[n]:.1f} | {float(rows[n]['pesq_wb']):.2f} "
              f"| {float(rows[n]['estoi']):.3f} |")


if __name__ == "__main__":
    main()
