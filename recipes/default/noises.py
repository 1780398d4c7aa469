"""Noise sources: real sound effects and music from allowed Debian packages, and synthetic noise.

Real files are read from the extracted packages (plain audio files, OpenTTD's ``opensfx.cat``
catalogue, XBlast's raw 8-bit samples). Each file is assigned to train or dev by a stable hash
of its *group* (its name with digits and variant suffixes removed), so that variants of one
sound (``door1``, ``door2``) never land on both sides.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import butter, lfilter, sosfilt

from recipes.default.sources import licence_of

AUDIO_SUFFIXES = {".wav", ".ogg", ".oga", ".flac"}
#: XBlast sounds flagged mono in its sound server; the others are interleaved stereo.
_XBLAST_MONO = {
    "xb_drop", "xbnbmb", "xbnkick", "xbnpmp", "xbnrc", "xbfire", "xb_expl", "xb_kick",
    "xb_pump", "xb_butt", "xbntel", "xbtele", "xbmbmb", "xb_spir", "xb_spbmb", "xbslide",
}
XBLAST_RATE = 22050


@dataclass
class NoiseFile:
    """One real noise recording inside a package.

    Attributes:
        package: the Debian package.
        member: its path inside the package (or ``catalogue#entry`` for packed sounds).
        licence: the licence of this file (per package, or per entry where one is given).
        load: returns ``(audio, rate)`` as mono float32.
    """

    package: str
    member: str
    licence: str
    load: Callable[[], tuple[np.ndarray, int]]

    @property
    def id(self) -> str:
        """Stable identifier ``package/member``."""
        return f"{self.package}/{self.member}"

    @property
    def group(self) -> str:
        """Variant group: the member's stem without digits and trailing variant marks."""
        stem = Path(self.member.split("#")[-1]).stem.lower()
        stem = re.sub(r"[\d_\-\s.()]+$", "", re.sub(r"\d+", "", stem))
        return f"{self.package}/{stem}"


#: Members that hold speech: unit acknowledgements and selections (megaglest), character
#: voices (warmux), a spoken greeting, character speech (supertux). Speech used as noise would
#: teach the model to remove speech, so these never become noise.
_SPEECH_LIKE = re.compile(
    r"(_ack|_select)\d*\.\w+$|/voices/|/factions/|/speech/|good_morning", re.I
)


def is_speech_like(member: str) -> bool:
    """True for package members that hold speech (never used as noise)."""
    return bool(_SPEECH_LIKE.search(member))


def _read_file(path: Path) -> tuple[np.ndarray, int]:
    """Read an audio file to mono float32."""
    audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return audio.mean(axis=1), int(rate)


def _readable(path: Path) -> bool:
    """True if libsndfile can open the file."""
    try:
        sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError):
        return False
    return True


def _read_bytes(data: bytes) -> tuple[np.ndarray, int]:
    """Read in-memory audio to mono float32."""
    audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return audio.mean(axis=1), int(rate)


def _read_xblast(path: Path) -> tuple[np.ndarray, int]:
    """XBlast raw sample: unsigned 8-bit at 22.05 kHz, interleaved stereo unless flagged mono."""
    raw = (np.fromfile(path, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if path.stem not in _XBLAST_MONO:
        raw = raw[: len(raw) // 2 * 2].reshape(-1, 2).mean(axis=1)
    return raw, XBLAST_RATE


def opensfx_entries(cat: Path) -> list[tuple[str, bytes]]:
    """Entries of an OpenTTD sound catalogue: ``(description, wav_bytes)``.

    The catalogue starts with (offset, size) pairs; each entry is a length-prefixed,
    NUL-terminated description (title, author, licence) followed by a RIFF/WAV file.
    """
    data = cat.read_bytes()
    first = struct.unpack_from("<I", data, 0)[0] & 0x7FFFFFFF
    out = []
    for i in range(first // 8):
        offset, size = struct.unpack_from("<II", data, 8 * i)
        offset &= 0x7FFFFFFF
        n = data[offset]
        desc = data[offset + 1 : offset + 1 + n].rstrip(b"\0").decode("utf-8", "replace")
        body = data[offset + 1 + n : offset + size]
        if body[:4] == b"RIFF":
            out.append((desc, body))
    return out


def _opensfx_licence(desc: str, default: str) -> str:
    """The licence named in an OpenSFX entry's description, else the package's."""
    m = re.search(r"License:\s*(.+?)\.?$", desc)
    return m.group(1).strip() if m else default


def real_noise_files(package: str, root: Path) -> list[NoiseFile]:
    """All usable noise recordings of an extracted package, sorted by id."""
    lic = licence_of(package)
    files: list[NoiseFile] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith("usr/share/doc"):
            continue
        if path.suffix.lower() in AUDIO_SUFFIXES:
            if not _readable(path):  # e.g. torcs-data's locked.wav: not audio libsndfile knows
                continue
            files.append(NoiseFile(package, rel, lic, lambda p=path: _read_file(p)))
        elif path.suffix == ".raw" and package == "xblast-tnt-sounds":
            files.append(NoiseFile(package, rel, lic, lambda p=path: _read_xblast(p)))
        elif path.name == "opensfx.cat":
            for k, (desc, body) in enumerate(opensfx_entries(path)):
                title = re.sub(r"[^A-Za-z0-9]+", "_", desc.split(".")[0]).strip("_")[:40]
                files.append(
                    NoiseFile(
                        package, f"{rel}#{k:03d}_{title}", _opensfx_licence(desc, lic),
                        lambda b=body: _read_bytes(b),
                    )
                )
    return files


def _unit_hash(text: str) -> float:
    """A stable number in [0, 1) from a string."""
    return int(hashlib.sha1(text.encode()).hexdigest()[:12], 16) / 16**12


def split_train_dev(files: list[NoiseFile], dev_fraction: float) -> tuple[list, list]:
    """Split by group hash; each package with 2+ groups keeps at least one group on each side."""
    train: list[NoiseFile] = []
    dev: list[NoiseFile] = []
    for package in sorted({f.package for f in files}):
        mine = [f for f in files if f.package == package]
        groups = sorted({f.group for f in mine}, key=_unit_hash)
        dev_groups = {g for g in groups if _unit_hash(g) < dev_fraction}
        if len(groups) >= 2 and not dev_groups:
            dev_groups = {groups[0]}
        if len(groups) >= 2 and len(dev_groups) == len(groups):
            dev_groups.discard(groups[-1])
        for f in mine:
            (dev if f.group in dev_groups else train).append(f)
    return train, dev


# ---------------------------------------------------------------- synthetic noise (train only)


def _shaped_noise(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    """Gaussian noise with power spectrum proportional to f**exponent."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.maximum(np.fft.rfftfreq(n), 1.0 / n)
    spec *= f ** (exponent / 2)
    y = np.fft.irfft(spec, n)
    return y / (y.std() + 1e-12)


def coloured(rng: np.random.Generator, n: int, rate: int) -> tuple[np.ndarray, dict]:
    """Coloured noise: spectral slope between brown (-2) and blue (+1)."""
    exponent = float(rng.uniform(-2.0, 1.0))
    return _shaped_noise(rng, n, exponent), {"exponent": round(exponent, 2)}


def hum(rng: np.random.Generator, n: int, rate: int) -> tuple[np.ndarray, dict]:
    """Mains hum and buzz: 50/60 Hz with random harmonics, slow drift, a weak noise floor."""
    f0 = float(rng.choice([50.0, 60.0])) * float(rng.uniform(0.995, 1.005))
    t = np.arange(n) / rate
    drift = 1 + 0.002 * np.sin(2 * np.pi * rng.uniform(0.05, 0.3) * t)
    decay = float(rng.uniform(0.3, 1.0))
    y = np.zeros(n)
    for k in range(1, int(rng.integers(3, 40))):
        if f0 * k > rate / 2 - 200:
            break
        amp = decay**k * rng.uniform(0.3, 1.0) if k > 1 else 1.0
        y += amp * np.sin(2 * np.pi * f0 * k * np.cumsum(drift) / rate + rng.uniform(0, 6.3))
    if rng.random() < 0.4:
        y = np.clip(y * rng.uniform(1.5, 4.0), -1, 1)
    y += 10 ** (rng.uniform(-40, -20) / 20) * _shaped_noise(rng, n, -1.0) * y.std()
    return y, {"f0": round(f0, 2), "decay": round(decay, 2)}


def clicks(rng: np.random.Generator, n: int, rate: int) -> tuple[np.ndarray, dict]:
    """Impulsive noise: clicks, crackle and ticks at a random rate over a faint floor."""
    per_s = float(rng.uniform(1.0, 40.0))
    y = 10 ** (rng.uniform(-50, -30) / 20) * _shaped_noise(rng, n, -1.0)
    for pos in np.flatnonzero(rng.random(n) < per_s / rate):
        length = int(rng.integers(int(0.0005 * rate), int(0.02 * rate)))
        burst = rng.standard_normal(length) * np.exp(-np.arange(length) / (length / 4))
        end = min(n, pos + length)
        y[pos:end] += rng.uniform(0.2, 1.0) * burst[: end - pos]
    return y, {"clicks_per_s": round(per_s, 1)}


def fan(rng: np.random.Generator, n: int, rate: int) -> tuple[np.ndarray, dict]:
    """Fan / air conditioning: low-passed noise, blade-pass tones, slow modulation."""
    cutoff = float(rng.uniform(300, 3000))
    sos = butter(2, cutoff, "low", fs=rate, output="sos")
    y = sosfilt(sos, rng.standard_normal(n))
    y /= y.std() + 1e-12
    t = np.arange(n) / rate
    blade = float(rng.uniform(20, 150))
    for k in range(1, 6):
        y += rng.uniform(0, 0.5) / k * np.sin(2 * np.pi * blade * k * t + rng.uniform(0, 6.3))
    y *= 1 + 0.2 * np.sin(2 * np.pi * rng.uniform(0.1, 2.0) * t)
    return y, {"cutoff_hz": round(cutoff), "blade_hz": round(blade, 1)}


def engine(rng: np.random.Generator, n: int, rate: int) -> tuple[np.ndarray, dict]:
    """Engine / motor: pulse train with wandering firing rate through a resonance, plus rumble."""
    base = float(rng.uniform(15, 90))
    t = np.arange(n) / rate
    freq = base * (1 + 0.15 * np.sin(2 * np.pi * rng.uniform(0.05, 0.5) * t))
    phase = np.cumsum(freq) / rate
    pulses = (np.diff(np.floor(phase), prepend=0) > 0).astype(float)
    pulses *= rng.uniform(0.6, 1.0, n)
    res = float(rng.uniform(80, 800))
    b, a = butter(2, [res * 0.7, res * 1.4], "band", fs=rate)
    y = lfilter(b, a, pulses)
    y /= y.std() + 1e-12
    y += 0.5 * _shaped_noise(rng, n, -2.0)
    return y, {"firing_hz": round(base, 1), "resonance_hz": round(res)}


def beeps(rng: np.random.Generator, n: int, rate: int) -> tuple[np.ndarray, dict]:
    """Tones: beeps, alarms and dual-tone sequences with random on/off timing."""
    t = np.arange(n) / rate
    y = np.zeros(n)
    pos = 0
    while pos < n:
        on = int(rng.uniform(0.05, 0.8) * rate)
        off = int(rng.uniform(0.05, 1.0) * rate)
        f1, f2 = rng.uniform(300, 3500, size=2)
        seg = slice(pos, min(n, pos + on))
        y[seg] = np.sin(2 * np.pi * f1 * t[seg]) + (rng.random() < 0.5) * np.sin(
            2 * np.pi * f2 * t[seg]
        )
        pos += on + off
    y += 0.01 * _shaped_noise(rng, n, 0.0)
    return y, {}


def bursts(rng: np.random.Generator, n: int, rate: int) -> tuple[np.ndarray, dict]:
    """Non-stationary bursts: typing, rustle, knocks (band-passed noise gated at random)."""
    y = 10 ** (rng.uniform(-45, -30) / 20) * _shaped_noise(rng, n, -1.0)
    per_s = float(rng.uniform(1.0, 8.0))
    for pos in np.flatnonzero(rng.random(n) < per_s / rate):
        length = int(rng.uniform(0.01, 0.25) * rate)
        lo = float(rng.uniform(100, 3000))
        sos = butter(2, [lo, min(lo * rng.uniform(1.5, 4), rate / 2 - 100)], "band", fs=rate,
                     output="sos")
        burst = sosfilt(sos, rng.standard_normal(length)) * np.hanning(length)
        end = min(n, pos + length)
        y[pos:end] += rng.uniform(0.3, 1.0) * burst[: end - pos] / (burst.std() + 1e-9)
    return y, {"bursts_per_s": round(per_s, 1)}


def babble(rng: np.random.Generator, n: int, rate: int,
           talkers: list[np.ndarray]) -> tuple[np.ndarray, dict]:
    """Babble: 3-8 TTS talkers at random levels and offsets."""
    count = int(rng.integers(3, 9))
    y = np.zeros(n)
    for _ in range(count):
        src = talkers[int(rng.integers(len(talkers)))]
        reps = int(np.ceil(n / max(len(src), 1))) + 1
        loop = np.tile(src, reps)
        start = int(rng.integers(0, len(src)))
        seg = loop[start : start + n]
        y += 10 ** (rng.uniform(-6, 0) / 20) * seg / (seg.std() + 1e-9)
    return y, {"talkers": count}


SYNTHETIC: dict[str, Callable[[np.random.Generator, int, int], tuple[np.ndarray, dict]]] = {
    "coloured": coloured,
    "hum": hum,
    "clicks": clicks,
    "fan": fan,
    "engine": engine,
    "beeps": beeps,
    "bursts": bursts,
}
