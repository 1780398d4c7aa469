"""Round 126: speech segments an enhancer deletes, on both held-out sets' 240 clips.

50 ms segments; a speech segment has the clean reference within 20 dB of the clip's loudest
segment; deleted: the output more than 10 dB below the clean reference there. Noisy inputs
and, for our systems, the clean references passed through (clean in).

    sh experiments/2026-12-08-round126-analysis/run_peers.sh    # peers' outputs, runs/r126
    python experiments/2026-12-08-round126-analysis/deletions.py   # results.md; deletions.csv
    python experiments/2026-12-08-round126-analysis/deletions.py --report   # from the csv
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

HERE = Path(__file__).parent
SETS = {"devreal": (Path("data/default/devreal"), Path("eval/devreal54")),
        "confirm78": (Path("data/confirm78/devreal"), Path("eval/confirm78"))}
OURS = ["s105-a", "default", "s101-pause01", "ens118"]
PEERS = ["deepfilternet3", "gtcrn", "nsnet2", "dtln"]
NAMES = {"s105-a": "s105-a (default)", "default": "r27-ovs05 (previous default)",
         "s101-pause01": "s101-pause01 (real-noise)", "ens118": "ens118 (ensemble)"}
SEGMENT_S, SPEECH_RANGE_DB, DELETED_DB, SYLLABLE_SEGMENTS = 0.05, 20.0, 10.0, 3
RUNS = Path("runs/r126")
SOURCES = {"g722": "studio prompts", "klettres": "volunteers", "fillets": "voice acting"}


def levels(signal: np.ndarray, size: int) -> np.ndarray:
    count = len(signal) // size
    frames = signal[: count * size].reshape(count, size)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


def longest_run(flags: np.ndarray) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def deleted(clean: np.ndarray, output: np.ndarray, rate: int) -> tuple[int, int, int]:
    """Speech segments, deleted ones, the longest run of deleted segments."""
    size = round(SEGMENT_S * rate)
    reference = levels(clean, size)
    out = levels(output[: len(clean)], size)[: len(reference)]
    speech = reference >= reference.max() - SPEECH_RANGE_DB
    gone = speech & (out < reference - DELETED_DB)
    return int(speech.sum()), int(gone.sum()), longest_run(gone)


def shares_by_source(output: Callable[[str, Path, str], Path]) -> dict[str, tuple[float, int]]:
    """Source (and "all") -> (deleted share in %, clips with a syllable deleted) over both
    sets' clips, ``output(set_name, eval_folder, file)`` naming each system output."""
    totals: dict[str, list[int]] = {}
    for set_name, (data, evaluation) in SETS.items():
        for clip in json.loads((data / "manifest.json").read_text())["clips"]:
            source = next(s for s in SOURCES if s in clip["file"])
            clean, rate = sf.read(data / "clean" / clip["file"], dtype="float64")
            out = sf.read(output(set_name, evaluation, clip["file"]), dtype="float64")[0]
            speech, gone, run = deleted(clean, out, rate)
            for key in (source, "all"):
                total = totals.setdefault(key, [0, 0, 0])
                total[0] += speech
                total[1] += gone
                total[2] += run >= SYLLABLE_SEGMENTS
    return {k: (100 * g / s, n) for k, (s, g, n) in totals.items()}


def main() -> None:
    if sys.argv[1:] == ["--report"]:
        report(read_rows())
        return
    rows = []
    for set_name, (data, evaluation) in SETS.items():
        clips = json.loads((data / "manifest.json").read_text())["clips"]
        for clip in clips:
            file = clip["file"]
            clean, rate = sf.read(data / "clean" / file, dtype="float64")
            outputs = {(s, "noisy"): evaluation / "noisy" / s / file for s in OURS}
            outputs.update({(s, "clean"): evaluation / "clean" / s / file for s in OURS})
            outputs.update({(s, "noisy"): RUNS / f"peer-{s}" / f"{set_name}__{file}"
                            for s in PEERS})
            for (system, condition), path in outputs.items():
                speech, gone, run = deleted(clean, sf.read(path, dtype="float64")[0], rate)
                rows.append({"set": set_name, "file": file, "snr_db": clip["snr_db"],
                             "system": system, "input": condition, "speech_segments": speech,
                             "deleted": gone, "longest_run": run})
    with open(HERE / "deletions.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report(rows)


def read_rows() -> list[dict]:
    with open(HERE / "deletions.csv", newline="") as handle:
        return [{**r, "snr_db": float(r["snr_db"]),
                 **{k: int(r[k]) for k in ("speech_segments", "deleted", "longest_run")}}
                for r in csv.DictReader(handle)]


def report(rows: list[dict]) -> None:
    print("# Round 126: deleted speech segments (50 ms), 240 clips of both held-out sets\n")
    print(f"Speech segment: clean within {SPEECH_RANGE_DB:g} dB of the clip's loudest; deleted:"
          f" output more than {DELETED_DB:g} dB below clean. A syllable: a run of"
          f" {SYLLABLE_SEGMENTS} or more.\n")
    print("| system | input | speech segments | deleted | share | clips with a syllable deleted"
          " | longest run (segments) |")
    print("|---|---|---|---|---|---|---|")
    for system in OURS + PEERS:
        for condition in ("noisy", "clean"):
            mine = [r for r in rows if r["system"] == system and r["input"] == condition]
            if not mine:
                continue
            speech = sum(r["speech_segments"] for r in mine)
            gone = sum(r["deleted"] for r in mine)
            syllables = [r for r in mine if r["longest_run"] >= SYLLABLE_SEGMENTS]
            print(f"| {NAMES.get(system, system)} | {condition} | {speech} | {gone} |"
                  f" {100 * gone / speech:.2f} % | {len(syllables)} |"
                  f" {max(r['longest_run'] for r in mine)} |")
    print("\nBy source (noisy input; clean in for ours after the slash): deleted share, clips"
          " with a syllable deleted\n")
    print("| system | " + " | ".join(SOURCES.values()) + " |\n|---|" + "---|" * len(SOURCES))
    for system in OURS + PEERS:
        cells = []
        for key in SOURCES:
            parts = []
            for condition in ("noisy", "clean"):
                mine = [r for r in rows if r["system"] == system and r["input"] == condition
                        and key in r["file"]]
                if mine:
                    share = sum(r["deleted"] for r in mine) / sum(r["speech_segments"]
                                                                  for r in mine)
                    runs = sum(r["longest_run"] >= SYLLABLE_SEGMENTS for r in mine)
                    parts.append(f"{100 * share:.1f} %, {runs}")
            cells.append(" / ".join(parts))
        print(f"| {NAMES.get(system, system)} | " + " | ".join(cells) + " |")
    print("\nClips with a syllable deleted by the default (noisy input), and who else does:\n")
    worst = [r for r in rows if r["system"] == "s105-a" and r["input"] == "noisy"
             and r["longest_run"] >= SYLLABLE_SEGMENTS]
    for r in sorted(worst, key=lambda r: -r["longest_run"]):
        others = [NAMES.get(o["system"], o["system"]).split(" ")[0] for o in rows
                  if o["file"] == r["file"] and o["set"] == r["set"] and o["input"] == "noisy"
                  and o["system"] != "s105-a" and o["longest_run"] >= SYLLABLE_SEGMENTS]
        print(f"- {r['set']}/{r['file']} ({r['snr_db']:.1f} dB): run {r['longest_run']},"
              f" {r['deleted']} of {r['speech_segments']}; also: {', '.join(others) or 'none'}")


if __name__ == "__main__":
    main()
