"""Round 123: BSS Eval v3 SIR and SAR of every system's output at 15-20 dB input SNR.

References per clip: the clean reference and the added noise (noisy minus clean). SIR: the
speech against the noise left in the signal; SAR: what is neither (changes to the speech).
Needs `pip install mir_eval==0.8.2` (analysis only, not a malenhance dependency).

    sh experiments/2026-12-08-round123-analysis/run_peers.sh   # the peers' outputs, runs/r123
    python experiments/2026-12-08-round123-analysis/sir_sar.py   # results.md's text; sir_sar.csv
    python experiments/2026-12-08-round123-analysis/sir_sar.py --report   # from sir_sar.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import warnings
from pathlib import Path

import numpy as np
import soundfile as sf

HERE = Path(__file__).parent
SETS = {"devreal": (Path("data/default/devreal"), Path("eval/devreal54/noisy")),
        "confirm78": (Path("data/confirm78/devreal"), Path("eval/confirm78/noisy"))}
HIGH_SNR_DB = 15.0
OURS = ["s105-a", "ens118", "default"]  # `default` in the eval tables is r27-ovs05
PEERS = ["deepfilternet3", "gtcrn", "nsnet2", "dtln", "rnnoise"]
SOURCES = ["g722", "klettres", "fillets"]  # studio prompts, volunteers, voice acting
NAMES = {"default": "r27-ovs05 (previous default)", "s105-a": "s105-a (default)",
         "ens118": "ens118 (ensemble)"}


def high_clips() -> list[tuple[str, str]]:
    """(set, file name) of every clip at >= 15 dB input SNR, both sets."""
    out = []
    for name, (data, _) in SETS.items():
        clips = json.loads((data / "manifest.json").read_text())["clips"]
        out += [(name, c["file"]) for c in clips if c["snr_db"] >= HIGH_SNR_DB]
    return out


def output_path(system: str, set_name: str, file: str, runs: Path) -> Path:
    if system in PEERS:
        return runs / f"peer-{system}" / f"{set_name}__{file}"
    return SETS[set_name][1] / system / file


def bss(clean: np.ndarray, noise: np.ndarray, estimate: np.ndarray) -> tuple[float, ...]:
    """SDR, SIR, SAR (dB) of ``estimate`` for the speech source."""
    from mir_eval.separation import bss_eval_sources

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # deprecated in 0.8; pinned 0.8.2
        sdr, sir, sar, _ = bss_eval_sources(np.stack([clean, noise]),
                                            np.stack([estimate, noise]),
                                            compute_permutation=False)
    return float(sdr[0]), float(sir[0]), float(sar[0])


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    scale = np.dot(estimate, reference) / np.dot(reference, reference)
    target = scale * reference
    return float(10 * np.log10(np.sum(target**2) / np.sum((estimate - target) ** 2)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--link", type=Path, help="only link the noisy inputs into this folder")
    parser.add_argument("--runs", type=Path, default=Path("runs/r123"))
    parser.add_argument("--report", action="store_true", help="only report sir_sar.csv")
    args = parser.parse_args()
    if args.report:
        report(read_rows(HERE / "sir_sar.csv"))
        return
    clips = high_clips()
    if args.link:
        args.link.mkdir(parents=True, exist_ok=True)
        for set_name, file in clips:
            link = args.link / f"{set_name}__{file}"
            if not link.exists():
                link.symlink_to((SETS[set_name][0] / "noisy" / file).resolve())
        return
    rows = []
    for set_name, file in clips:
        data = SETS[set_name][0]
        clean, _ = sf.read(data / "clean" / file, dtype="float64")
        noisy, _ = sf.read(data / "noisy" / file, dtype="float64")
        noise = noisy - clean
        systems = {"input": noisy}
        for system in OURS + PEERS:
            out, _ = sf.read(output_path(system, set_name, file, args.runs), dtype="float64")
            systems[system] = out[: len(clean)]
        for system, signal in systems.items():
            sdr, sir, sar = bss(clean, noise, signal)
            rows.append({"set": set_name, "file": file, "system": system, "sdr": sdr,
                         "sir": sir, "sar": sar, "si_sdr": si_sdr(clean, signal)})
    with open(HERE / "sir_sar.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}
                         for r in rows)
    report(rows)


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="") as handle:
        return [{k: (v if k in ("set", "file", "system") else float(v)) for k, v in r.items()}
                for r in csv.DictReader(handle)]


def report(rows: list[dict]) -> None:
    table = {(r["set"], r["file"], r["system"]): r for r in rows}
    clips = sorted({(r["set"], r["file"]) for r in rows})
    print(f"# Round 123: SIR and SAR at 15-20 dB ({len(clips)} clips, both sets)\n")
    print("Per system: clips whose output SIR is below the input's (noise left, relative to"
          " the speech, above the input's), clips whose SI-SDR is below the input's (clause 5),"
          " and means. Input means: SIR {:.2f}, SI-SDR {:.2f} dB.\n".format(
              statistics.mean(table[c + ("input",)]["sir"] for c in clips),
              statistics.mean(table[c + ("input",)]["si_sdr"] for c in clips)))
    print("| system | SIR drops | SI-SDR drops | SI-SDR drops with SAR below the input's SI-SDR"
          " | mean SIR change (dB) | min SIR change | mean SAR (dB) | mean SI-SDR change |")
    print("|---|---|---|---|---|---|---|---|")
    for system in OURS + PEERS:
        sir_change, sdr_change, sar, sar_limited = [], [], [], 0
        for c in clips:
            into, out = table[c + ("input",)], table[c + (system,)]
            sir_change.append(out["sir"] - into["sir"])
            sdr_change.append(out["si_sdr"] - into["si_sdr"])
            sar.append(out["sar"])
            if out["si_sdr"] < into["si_sdr"] and out["sar"] < into["si_sdr"]:
                sar_limited += 1
        name = NAMES.get(system, system)
        print(f"| {name} | {sum(d < 0 for d in sir_change)} | {sum(d < 0 for d in sdr_change)}"
              f" | {sar_limited} | {statistics.mean(sir_change):+.2f} | {min(sir_change):+.2f}"
              f" | {statistics.mean(sar):.2f} | {statistics.mean(sdr_change):+.2f} |")
    print("\nBy source: clips, SI-SDR drops, mean SIR change, mean output SAR minus input SI-SDR"
          " (below zero: the speech changed more than the input's noise weighed).\n")
    print("| system | " + " | ".join(SOURCES) + " |\n|---|" + "---|" * len(SOURCES))
    for system in OURS + PEERS:
        cells = []
        for source in SOURCES:
            mine = [c for c in clips if source in c[1]]
            pairs = [(table[c + ("input",)], table[c + (system,)]) for c in mine]
            cells.append(f"{len(mine)}, {sum(o['si_sdr'] < i['si_sdr'] for i, o in pairs)},"
                         f" {statistics.mean(o['sir'] - i['sir'] for i, o in pairs):+.2f},"
                         f" {statistics.mean(o['sar'] - i['si_sdr'] for i, o in pairs):+.2f}")
        print(f"| {NAMES.get(system, system)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
