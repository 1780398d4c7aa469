"""Real wideband human speech: which recordings, which side of the split, and how to read them.

Three Debian packages hold real voices with content above 4 kHz (``shared/notes/environment.md``,
"Real wideband speech"); none is reserved:

- ``asterisk-core-sounds-{en,es,fr,it,ru}-g722``: studio prompts stored as G.722 at 16 kHz
  (decoded with the PyPI ``g722`` package). The same utterances as the 8 kHz ``-wav`` packs,
  so each speaker sits on the same side as its 8 kHz twin (``voices.REAL8K_*``): Allison (en,
  es), June (fr) and Carlo (it) train; IvrvoiceRU (ru) is development only.
- ``klettres-data``: letters and syllables read by volunteers, one set per language, 44.1 kHz.
  Sets whose pauses are not clean (3rd-percentile frame within 43 dB of the active level,
  measured 2026-12-04) are not used at all: as targets they would teach the model to keep
  hum and hiss. Of the clean sets, four languages are development only (``ru`` and ``uk`` may
  share a speaker, so both are).
- ``fillets-ng-data-cs``: Czech voice acting. Nearly every line carries an echo tail and a
  noise floor ~30 dB under the speech (only ~2 of 66 min pass the clean-pause screen), so it
  is not a training target here; its minor character voices (not the processed parrot and
  robot) are development material, where every system meets the same floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

G722_RATE = 16000

#: G.722 packs: package -> (speaker, language); speakers as in ``voices.REAL8K_*``.
G722_TRAIN = {
    "asterisk-core-sounds-en-g722": ("Allison", "en"),
    "asterisk-core-sounds-es-g722": ("Allison", "es"),
    "asterisk-core-sounds-fr-g722": ("June", "fr"),
    "asterisk-core-sounds-it-g722": ("Carlo", "it"),
}
G722_DEV = {"asterisk-core-sounds-ru-g722": ("IvrvoiceRU", "ru")}

KLETTRES = "klettres-data"
#: klettres sets with clean pauses, by language folder.
KLETTRES_TRAIN = ("da", "de", "en_GB", "fr", "lt", "nds", "pt_BR")
KLETTRES_DEV = ("nl", "ru", "tn", "uk")

FILLETS = "fillets-ng-data-cs"
#: fillets minor voices for development (speaker code: second field of the file name);
#: ``pap`` (parrot) and ``x`` are processed voices, the digit codes hold noisy effects.
FILLETS_DEV = ("hs", "c", "r", "p", "s", "leb", "o", "k")

#: A file is kept as a clean training target when its 3rd-percentile 20 ms frame lies at least
#: this far under its active speech level.
CLEAN_FLOOR_DB = -45.0


@dataclass(frozen=True)
class Recording:
    """One real recording: where it is and whose voice it is."""

    path: Path
    package: str
    speaker: str
    language: str


def read(path: Path) -> tuple[np.ndarray, int]:
    """Read a recording as mono float32: ``.g722`` through the codec, anything else through
    libsndfile (WAV, FLAC, Ogg Vorbis)."""
    if path.suffix == ".g722":
        import G722  # the PyPI ``g722`` package (recipe extra)

        pcm = G722.G722(G722_RATE, 64000).decode(path.read_bytes())
        return np.asarray(pcm, dtype=np.float32) / 32768.0, G722_RATE
    audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return audio.mean(axis=1), int(rate)


def floor_db(audio: np.ndarray, rate: int) -> float:
    """3rd-percentile 20 ms frame level relative to the active speech level (frames within
    40 dB of the loudest), in dB: how far the pauses lie under the speech."""
    n = int(0.02 * rate)
    frames = len(audio) // n
    if frames < 5:
        return 0.0
    power = np.square(audio[: frames * n].reshape(frames, n), dtype=np.float64).mean(axis=1)
    level = 10 * np.log10(power + 1e-12)
    active = level[level > level.max() - 40]
    active_db = 10 * np.log10(np.mean(10 ** (active / 10)))
    return float(np.percentile(level, 3) - active_db)


def g722_prompts(root: Path, package: str, speaker: str, language: str) -> list[Recording]:
    """The spoken prompts of an extracted G.722 pack (no silence or tone files), sorted."""
    sounds = root / "usr/share/asterisk/sounds"
    files = sorted(p for p in sounds.rglob("*.g722")
                   if "silence" not in p.parts and not p.stem.startswith(("beep", "tone")))
    return [Recording(p, package, speaker, language) for p in files]


def klettres_sets(root: Path, languages: tuple[str, ...]) -> dict[str, list[Recording]]:
    """klettres recordings of the given language folders: one speaker per language."""
    base = root / "usr/share/klettres"
    return {lang: [Recording(p, KLETTRES, f"klettres_{lang}", lang)
                   for p in sorted((base / lang).rglob("*.ogg"))]
            for lang in languages}


def fillets_speaker(path: Path) -> str:
    """The speaker code of a fillets line (``level-SPEAKER-line.ogg``), or ``""``."""
    parts = path.stem.split("-")
    return parts[1] if len(parts) > 2 else ""


def fillets_voices(root: Path, speakers: tuple[str, ...]) -> dict[str, list[Recording]]:
    """fillets lines of the given speaker codes."""
    out: dict[str, list[Recording]] = {s: [] for s in speakers}
    for p in sorted((root / "usr/share/games/fillets-ng/sound").rglob("*.ogg")):
        spk = fillets_speaker(p)
        if spk in out:
            out[spk].append(Recording(p, FILLETS, f"fillets_{spk}", "cs"))
    return out


def check_disjoint() -> None:
    """Raise if a real speaker or klettres language is on both sides of the split."""
    train = {s for s, _ in G722_TRAIN.values()} | {f"klettres_{x}" for x in KLETTRES_TRAIN}
    dev = {s for s, _ in G722_DEV.values()} | {f"klettres_{x}" for x in KLETTRES_DEV}
    dev |= {f"fillets_{x}" for x in FILLETS_DEV}
    overlap = sorted(train & dev)
    if overlap:
        raise AssertionError("real speech on both sides of the split: " + ", ".join(overlap))
