"""Round 51 (RULE.md): a second judge for the transparency / OVRL trade-off. DistillMOS on
devreal's noisy clips and clean references (the systems' outputs and the inputs themselves),
DNSMOS P.808 from the existing rows, paired against the default; writes judge.md.

    python experiments/2026-12-06-round51-analysis/judge.py eval/devreal18 data/default/devreal

DistillMOS scores are cached in eval/devreal18/distillmos.csv (set, system, file, score), so
a second call only reports.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import soundfile as sf
import torch

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round14 = load_decide("2026-12-05-round14-gpu")
round16 = load_decide("2026-12-05-round16-cpu")
paired, fmt, only = round13.paired, round13.fmt, round16.only

HERE = Path(__file__).parent
DEFAULT = "h-ovs05"  # the bundled r27-ovs05
OURS = ["r27lim30", "r27lim24", "r27lim18", "r27lim12", "speech24", "speech18", "speech12",
        "big-more"]
PEERS = ["peer-gtcrn", "peer-deepfilternet3", "peer-nsnet2", "peer-dtln", "peer-rnnoise"]
GROUPS = ["g722", "klettres", "fillets"]


def folders(evals: Path, dev: Path) -> dict[tuple[str, str], Path]:
    """(set, system) -> folder of 16 kHz wav files named by clip."""
    out = {("noisy", "input"): dev / "noisy", ("clean", "reference"): dev / "clean"}
    for kind in ("noisy", "clean"):
        for system in [DEFAULT, *OURS, *PEERS]:
            if (evals / kind / system).is_dir():
                out[(kind, system)] = evals / kind / system
    return out


def score_missing(cache: Path, todo: dict[tuple[str, str], Path]) -> None:
    import distillmos

    done = set()
    if cache.exists():
        with open(cache, newline="") as handle:
            done = {(r["set"], r["system"], r["file"]) for r in csv.DictReader(handle)}
    torch.set_num_threads(2)
    model = distillmos.ConvTransformerSQAModel().eval()
    new = not cache.exists()
    with open(cache, "a", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["set", "system", "file", "distillmos"])
        for (kind, system), folder in todo.items():
            for path in sorted(folder.glob("*.wav")):
                if (kind, system, path.stem) in done:
                    continue
                audio, rate = sf.read(path, dtype="float32", always_2d=True)
                if rate != 16000:
                    raise SystemExit(f"{path}: {rate} Hz, DistillMOS needs 16 kHz")
                with torch.inference_mode():
                    score = model(torch.from_numpy(audio.mean(axis=1))[None]).item()
                writer.writerow([kind, system, path.stem, f"{score:.6f}"])
            handle.flush()
            print(f"{kind}/{system} scored", file=sys.stderr)


def load(cache: Path) -> dict[str, dict]:
    """{set: {system: {file: {"distillmos": score}}}}."""
    out: dict[str, dict] = {"noisy": {}, "clean": {}}
    with open(cache, newline="") as handle:
        for r in csv.DictReader(handle):
            out[r["set"]].setdefault(r["system"], {})[r["file"]] = {
                "distillmos": float(r["distillmos"])}
    return out


def mean(scores: dict, system: str, key: str) -> float:
    values = [v[key] for v in scores[system].values()]
    return sum(values) / len(values)


def against(scores: dict, base: str, systems: list[str], key: str, title: str) -> list[str]:
    lines = [f"### {title}\n", "| system | all 120: mean | minus the default | "
             + " | ".join(GROUPS) + " |", "|---|---|---|" + "---|" * len(GROUPS)]
    for system in [base, *systems]:
        if system not in scores:
            continue
        cells = [f"{mean(scores, system, key):.3f}"]
        if system == base:
            cells += [""] * (1 + len(GROUPS))
        else:
            cells.append(fmt(paired(scores, base, system, key)))
            cells += [fmt(paired(only(scores, {g}), base, system, key)) for g in GROUPS]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    return lines + [""]


def main() -> None:
    evals, dev = Path(sys.argv[1]), Path(sys.argv[2])
    cache = evals / "distillmos.csv"
    score_missing(cache, folders(evals, dev))
    judged = load(cache)
    p808 = round13.table(evals / "dnsmos120.csv")
    noisy_systems = ["input", *OURS, *PEERS]
    lines = ["# Round 51: a second judge\n",
             "Paired against the default (`h-ovs05`, the bundled r27-ovs05) over devreal's "
             "120 clips; ± is the 95 % half-width.\n", "## Noisy clips\n"]
    lines += against(p808, DEFAULT, noisy_systems, "dnsmos_ovrl", "DNSMOS P.835 OVRL")
    lines += against(p808, DEFAULT, noisy_systems, "dnsmos_p808", "DNSMOS P.808")
    lines += against(judged["noisy"], DEFAULT, noisy_systems, "distillmos", "DistillMOS")
    lines += ["## Clean references: the systems' output on them, and the references\n"]
    lines += against(judged["clean"], DEFAULT, ["reference", *OURS, *PEERS], "distillmos",
                     "DistillMOS")
    (HERE / "judge.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
