"""Round 44 (analysis): where GTCRN's DNSMOS lead on the voice-acting clips comes from.

    python experiments/2026-12-06-round44-analysis/tails.py eval/devreal18 data/default/devreal

For devreal's noisy clips without an added room, by source: each system's output level in
three kinds of frame, defined on the clean reference (10 ms hop, 20 ms window), relative to
the reference's median speech-frame level: speech (reference within 25 dB of its loudest
frame), tails (the 50-300 ms after a speech run ends, not speech: echo and decay) and
pauses (the reference's quietest fifth, not tails). Median over each clip's frames, mean over
clips; with the DNSMOS BAK of each system on the same clips. Then the same speech and pause
frames split into bands (Hann-windowed spectra, each band's median frame energy), and how
much the output's level moves from frame to frame where the reference has no speech.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round19 = load_decide("2026-12-05-round19-cpu")

HOP, WINDOW = 160, 320
SYSTEMS = ("input", "h-ovs05", "peer-gtcrn", "peer-deepfilternet3", "peer-nsnet2")
BANDS = ((0, 250), (250, 1000), (1000, 3000), (3000, 5000), (5000, 6500), (6500, 8000))


def frames_of(x: np.ndarray) -> np.ndarray:
    """``x`` cut into WINDOW-long frames every HOP samples (the end zero-padded)."""
    return np.lib.stride_tricks.sliding_window_view(np.pad(x, (0, WINDOW)), WINDOW)[::HOP]


def frame_db(x: np.ndarray) -> np.ndarray:
    return 10 * np.log10(np.mean(frames_of(x) ** 2, axis=1) + 1e-12)


def frame_power(x: np.ndarray) -> np.ndarray:
    """Hann-windowed power spectrum of each frame."""
    return np.abs(np.fft.rfft(frames_of(x) * np.hanning(WINDOW))) ** 2


def frame_kinds(ref: np.ndarray) -> dict[str, np.ndarray]:
    level = frame_db(ref)
    speech = level >= level.max() - 25
    tail = np.zeros_like(speech)
    ends = np.flatnonzero(speech[:-1] & ~speech[1:])
    for end in ends:
        tail[end + 5 : end + 31] = True
    tail &= ~speech
    pause = (level <= np.percentile(level, 20)) & ~speech & ~tail
    return {"speech": speech, "tail": tail, "pause": pause, "ref_level": level}


def clip_levels(folder: Path, dev: Path, name: str) -> dict[str, dict[str, float]]:
    ref, _ = sf.read(dev / "clean" / name, dtype="float64")
    kinds = frame_kinds(ref)
    speech_level = np.median(kinds["ref_level"][kinds["speech"]])
    out = {"reference": {k: np.median(kinds["ref_level"][m]) - speech_level
                         for k, m in kinds.items() if k != "ref_level" and m.any()}}
    for system in SYSTEMS:
        audio, _ = sf.read(folder / "noisy" / system / name, dtype="float64")
        level = frame_db(audio[: len(ref)])[: len(kinds["speech"])]
        out[system] = {k: np.median(level[m]) - speech_level
                       for k, m in kinds.items() if k != "ref_level" and m.any()}
    return out


def band_db(x: np.ndarray, frames: np.ndarray, rate: int = 16000) -> np.ndarray:
    """Median energy (dB) over the selected frames in each of BANDS."""
    power = frame_power(x)[: len(frames)][frames]
    freqs = np.fft.rfftfreq(WINDOW, 1 / rate)
    return np.array([10 * np.log10(np.median(power[:, (freqs >= lo) & (freqs < hi)].sum(1))
                                   + 1e-12) for lo, hi in BANDS])


def band_table(folder: Path, dev: Path, names: list[str], systems: tuple[str, ...]) -> None:
    """Band levels in speech and pause frames against the reference's speech frames."""
    rows: dict[tuple[str, str], list[np.ndarray]] = {}
    for name in names:
        ref, _ = sf.read(dev / "clean" / name, dtype="float64")
        kinds = frame_kinds(ref)
        speech_level = 10 * np.log10(np.median(frame_power(ref)[kinds["speech"]].sum(1)))
        for system in systems:
            audio = ref if system == "reference" else sf.read(
                folder / "noisy" / system / name, dtype="float64")[0][: len(ref)]
            for kind in ("speech", "pause"):
                if kinds[kind].any():
                    rows.setdefault((system, kind), []).append(
                        band_db(audio, kinds[kind]) - speech_level)
    print("| frames | system | " + " | ".join(f"{lo}-{hi} Hz" for lo, hi in BANDS) + " |")
    print("|---|---|" + "---|" * len(BANDS))
    for kind in ("speech", "pause"):
        for system in systems:
            if (system, kind) in rows:
                print(f"| {kind} | {system} | " + " | ".join(
                    f"{v:+.1f}" for v in np.mean(rows[system, kind], axis=0)) + " |")


def fluctuation_table(folder: Path, dev: Path, clips: list[dict],
                      systems: tuple[str, ...] = SYSTEMS) -> None:
    """Outside the reference's speech frames: the std of the output's frame level (dB) and
    the median change from one frame to the next (dB), mean over clips without a room."""
    print("| source | clips | " + " | ".join(systems) + " |")
    print("|---|---|" + "---|" * len(systems))
    for group in ("g722", "klettres", "fillets"):
        names = [c["file"] for c in clips if c["group"] == group and not c["reverb"]]
        spread: dict[str, list[float]] = {system: [] for system in systems}
        step: dict[str, list[float]] = {system: [] for system in systems}
        for name in names:
            ref, _ = sf.read(dev / "clean" / name, dtype="float64")
            gap = ~frame_kinds(ref)["speech"]
            for system in systems:
                audio, _ = sf.read(folder / "noisy" / system / name, dtype="float64")
                level = frame_db(audio[: len(ref)])[: len(gap)]
                spread[system].append(np.std(level[gap]))
                step[system].append(np.median(np.abs(np.diff(level))[gap[1:] & gap[:-1]]))
        cells = [f"{np.mean(spread[s]):.1f} / {np.mean(step[s]):.2f}" for s in systems]
        print(f"| {group} | {len(names)} | " + " | ".join(cells) + " |")


def dnsmos_cells(tables: dict[str, dict], clips: list[dict], total: bool = False) -> None:
    """DNSMOS SIG / BAK / OVRL of each system, mean over each source-and-room cell's clips
    (steps 2, 4 and 5); ``total`` adds a row over all clips."""
    cells = [(g, room) for g in ("g722", "klettres", "fillets") for room in (False, True)]
    print("| source | room added | clips | " + " | ".join(tables) + " |")
    print("|---|---|---|" + "---|" * len(tables))
    for group, room in cells + ([(None, None)] if total else []):
        names = [Path(c["file"]).stem for c in clips
                 if group is None or (c["group"] == group and bool(c["reverb"]) == room)]
        means = [" / ".join(f"{np.mean([t[n][f'dnsmos_{m}'] for n in names]):.2f}"
                            for m in ("sig", "bak", "ovrl")) for t in tables.values()]
        label = ("all", "") if group is None else (group, "yes" if room else "no")
        print(f"| {label[0]} | {label[1]} | {len(names)} | " + " | ".join(means) + " |")


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    _, _, d120 = round19.tables(folder)
    clips = json.loads((dev / "manifest.json").read_text())["clips"]
    systems = ("reference", *SYSTEMS)
    print("Level in dB against the reference's median speech frame (mean over clips of each "
          "clip's median); BAK: DNSMOS on the same clips.\n")
    print("| source | clips | frames | " + " | ".join(systems) + " |")
    print("|---|---|---|" + "---|" * len(systems))
    for group in ("g722", "klettres", "fillets"):
        names = [c["file"] for c in clips if c["group"] == group and not c["reverb"]]
        levels = [clip_levels(folder, dev, n) for n in names]
        for kind in ("speech", "tail", "pause"):
            cells = [np.mean([lv[s][kind] for lv in levels if kind in lv[s]]) for s in systems]
            print(f"| {group} | {len(names)} | {kind} | "
                  + " | ".join(f"{c:+.1f}" for c in cells) + " |")
        bak = [np.mean([d120[s][Path(n).stem]["dnsmos_bak"] for n in names])
               if s in d120 else float("nan") for s in systems]
        print(f"| {group} | {len(names)} | BAK | " + " | ".join(f"{b:.2f}" for b in bak) + " |")
    names = [c["file"] for c in clips if c["group"] == "fillets" and not c["reverb"]]
    print("\nThe fillets clips without an added room, by band (dB against the reference's "
          "median speech-frame energy):\n")
    band_table(folder, dev, names, systems)
    print("\nOutside speech frames: std of the frame level / median frame-to-frame change "
          "(dB):\n")
    fluctuation_table(folder, dev, clips)


if __name__ == "__main__":
    main()
