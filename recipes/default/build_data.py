#!/usr/bin/env python3
"""Build the default model's training and development data.

    python recipes/default/build_data.py --out data/default [--seed N]

Writes ``OUT/train`` (dynamic-mixing layout: ``clean/``, ``noise/``, ``rir/``; the part to
carry to the GPU machine), ``OUT/dev`` and ``OUT/dev8k`` (paired ``noisy/`` + ``clean/``),
a ``manifest.json`` in each, and ``OUT/build_report.json`` (sizes, minutes, counts, timings).
Sources are fetched with apt-get/pip through the allow-list in ``sources.py``; reserved
packages are refused. Each stage is skipped when its output exists for the same settings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
import zlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

from recipes.default import (  # noqa: E402
    dsp,
    fetch,
    layout,
    noises,
    realspeech,
    rooms,
    sources,
    text,
    tts,
    voices,
)

RECIPE_VERSION = 4
REAL8K_RATE = 8000
FULLBAND_RATE = 48000


@dataclass
class Config:
    """Everything that decides the data. Changing a field re-runs the stages that use it."""

    seed: int = 20261125
    rate: int = 16000
    tts_minutes: dict = field(
        default_factory=lambda: {"piper": 7.0, "festival": 10.5, "flite": 3.0, "espeak": 8.0,
                                 "kokoro": 36.0}
    )
    real8k_minutes: float = 14.0
    real16k_minutes: float = 90.0  # real wideband speech, spread over the training sources
    real16k_augment_prob: float = 0.3  # upward pitch only: the top band must stay full
    file_seconds: tuple = (6.0, 12.0)
    espeak_file_seconds: tuple = (3.0, 6.0)
    augment_prob: float = 0.75
    semitones: tuple = (-4.0, 4.0)
    formant: tuple = (0.87, 1.15)
    tempo: tuple = (0.88, 1.12)
    real8k_augment_prob: float = 0.5
    clean_level_db: float = -26.0
    noise_level_db: float = -30.0
    noise_max_seconds: float = 12.0
    music_excerpts: int = 4
    extra_noise_max_seconds: float = 8.0
    extra_noise_per_group: int = 1
    extra_noise_excerpts: int = 2
    dev_noise_fraction: float = 0.25
    synthetic_counts: dict = field(
        default_factory=lambda: {
            "coloured": 24, "hum": 24, "clicks": 4, "fan": 16, "engine": 24, "beeps": 3,
            "bursts": 4, "babble": 6,
        }
    )
    synthetic_seconds: float = 6.0
    train_rirs: int = 200
    rir_max_seconds: float = 1.0
    rt60: tuple = (0.1, 0.8)
    dev_clips: int = 150
    dev_seconds: tuple = (3.0, 8.0)
    dev_snr: tuple = (-5.0, 15.0)
    dev_reverb_prob: float = 0.3
    dev_level_db: tuple = (-35.0, -15.0)
    dev_engine_weights: dict = field(
        default_factory=lambda: {"festival": 0.45, "flite": 0.2, "espeak": 0.35}
    )
    dev8k_clips: int = 60
    devreal_clips: int = 120  # real held-out voices; equal thirds g722 ru, klettres, fillets
    devreal_snr: tuple = (-5.0, 20.0)
    devfull_clips: int = 40  # 48 kHz: held-out real voices with content above 8 kHz
    devfull_snrs: tuple = (5.0, 15.0)
    dev8k_reverb_prob: float = 0.2
    dev_suffix: str = ".wav"
    budget_mib: float = 200.0  # carried to the GPU in parts of < 64 MiB (gpu_train.sh)
    offline: bool = False
    real_sources: bool = True

    @classmethod
    def tiny(cls, seed: int = 1) -> Config:
        """A seconds-long local build (espeak + synthetic noise only) for tests and smoke runs."""
        return cls(
            seed=seed, tts_minutes={"espeak": 0.15}, real8k_minutes=0.0,
            file_seconds=(2.0, 3.0), espeak_file_seconds=(2.0, 3.0),
            synthetic_counts={"coloured": 1, "hum": 1, "clicks": 1, "babble": 1},
            synthetic_seconds=2.0, train_rirs=2, dev_clips=3, dev_seconds=(1.5, 2.5),
            dev_engine_weights={"espeak": 1.0}, dev8k_clips=0, devreal_clips=0, devfull_clips=0,
            real16k_minutes=0.0, offline=True, real_sources=False,
        )


#: The config fields each stage depends on (its stamp changes when one of them does).
STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "tts": ("seed", "rate", "tts_minutes", "file_seconds", "espeak_file_seconds",
            "augment_prob", "semitones", "formant", "tempo", "clean_level_db"),
    "real8k": ("seed", "real8k_minutes", "file_seconds", "real8k_augment_prob", "semitones",
               "formant", "tempo", "clean_level_db", "real_sources"),
    "real16k": ("seed", "rate", "real16k_minutes", "file_seconds", "clean_level_db",
                "real16k_augment_prob", "semitones", "formant", "tempo", "real_sources"),
    "noise_real": ("seed", "rate", "noise_level_db", "noise_max_seconds", "music_excerpts",
                   "dev_noise_fraction", "real_sources"),
    "noise_extra": ("seed", "rate", "noise_level_db", "extra_noise_max_seconds",
                    "extra_noise_per_group", "extra_noise_excerpts", "real_sources"),
    "noise_synth": ("seed", "rate", "noise_level_db", "synthetic_counts", "synthetic_seconds"),
    "rir": ("seed", "rate", "train_rirs", "rir_max_seconds", "rt60", "offline"),
    "dev": ("seed", "rate", "dev_clips", "dev_seconds", "dev_snr", "dev_reverb_prob",
            "dev_level_db", "dev_engine_weights", "dev_noise_fraction", "dev_suffix",
            "real_sources", "rt60", "rir_max_seconds", "offline"),
    "dev8k": ("seed", "dev8k_clips", "dev_seconds", "dev_snr", "dev8k_reverb_prob",
              "dev_level_db", "dev_noise_fraction", "dev_suffix", "real_sources", "rt60"),
    "devreal": ("seed", "rate", "devreal_clips", "dev_seconds", "devreal_snr", "dev_reverb_prob",
                "dev_level_db", "dev_noise_fraction", "dev_suffix", "real_sources", "rt60",
                "rir_max_seconds", "clean_level_db"),
    "devfull": ("seed", "devfull_clips", "devfull_snrs", "dev_seconds", "dev_level_db",
                "dev_noise_fraction", "dev_suffix", "real_sources", "clean_level_db"),
}

#: The package roles (recipes/default/sources.py) whose files a stage reads.
_STAGE_ROLES: dict[str, tuple[str, ...]] = {
    "real8k": ("speech8k",), "noise_real": ("noise",), "noise_extra": ("noise_extra",),
    "dev": ("noise",), "dev8k": ("speech8k", "noise"), "real16k": ("speech16k",),
    "devreal": ("speech16k", "noise"), "devfull": ("speech16k", "noise"),
}


def log(msg: str) -> None:
    """Progress line on stderr."""
    print(f"[build_data {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def rng_for(seed: int, *keys: object) -> np.random.Generator:
    """An independent, reproducible random stream for (seed, keys...)."""
    words = [seed] + [zlib.crc32(str(k).encode()) for k in keys]
    return np.random.default_rng(words)


class Builder:
    """Runs the stages into ``out`` for one :class:`Config`."""

    def __init__(self, out: Path, cfg: Config, force: bool = False) -> None:
        self.out = out
        self.cfg = cfg
        self.force = force
        self.train = out / "train"
        self.cache = out / "cache"
        self.parts = out / ".parts"
        self._dev_noise: list[noises.NoiseFile] | None = None

    # ------------------------------------------------------------------ stage bookkeeping

    def stage_hash(self, stage: str) -> str:
        """Hash of the recipe version and the config fields a stage depends on."""
        base = stage.split(":")[0]
        sub = {k: getattr(self.cfg, k) for k in STAGE_FIELDS[base]}
        if base == "tts":  # one engine's stage depends on its own minutes only
            sub["tts_minutes"] = self.cfg.tts_minutes.get(stage.split(":")[1])
        # Adding a package to a role must rebuild the stages that read that role's packages.
        for role in _STAGE_ROLES.get(base, ()):
            sub[f"packages:{role}"] = sources.names(role)
        blob = json.dumps([RECIPE_VERSION, stage, sub], sort_keys=True, default=str)
        return hashlib.sha1(blob.encode()).hexdigest()[:16]

    def run_stage(self, stage: str, outdir: Path, fn) -> dict:
        """Run ``fn(outdir)`` unless a finished part with the same hash exists."""
        part_path = self.parts / (stage.replace(":", "_") + ".json")
        digest = self.stage_hash(stage)
        if not self.force and part_path.exists() and outdir.exists():
            part = json.loads(part_path.read_text())
            if part.get("hash") == digest:
                log(f"{stage}: up to date, skipped")
                return part
        if outdir.exists():
            shutil.rmtree(outdir)
        outdir.mkdir(parents=True)
        log(f"{stage}: building into {outdir}")
        start = time.time()
        items = fn(outdir)
        part = {"stage": stage, "hash": digest, "seconds": round(time.time() - start, 1),
                "items": items}
        layout.write_json(part_path, part)
        log(f"{stage}: {len(items)} items in {part['seconds']} s")
        return part

    # ------------------------------------------------------------------ setup

    def setup(self) -> dict:
        """Install tools and voices (apt), Python packages (pip); verify espeak voices."""
        info: dict = {"apt_installed": [], "pip_installed": []}
        if not self.cfg.offline:
            apt = ["sox", "espeak-ng", "flite", "festival", *voices.festival_packages()]
            info["apt_installed"] = fetch.apt_install(apt)
            info["pip_installed"] = fetch.pip_ensure(list(fetch.PIP_PINS))
        fetch.require_tools(["sox", "espeak-ng"] + ([] if self.cfg.offline else
                                                    ["flite", "text2wave"]))
        voices.check_disjoint()
        realspeech.check_disjoint()
        missing = voices.missing_espeak()
        if missing:
            raise RuntimeError(f"espeak-ng lacks {', '.join(missing)}")
        return info

    # ------------------------------------------------------------------ speech

    def _utterances(self, voice: tts.Voice, settings: dict, rng: np.random.Generator,
                    seconds: float) -> tuple[np.ndarray, int, list[str]]:
        """Sentences by one voice, trimmed and joined with short pauses, >= ``seconds`` long."""
        pieces: list[np.ndarray] = []
        texts: list[str] = []
        total, rate, failures = 0.0, 0, 0
        while total < seconds:
            sentence = text.sentence(rng, voice.language)
            try:
                audio, rate_now = tts.synthesize(voice, sentence, settings)
            except Exception as exc:  # noqa: BLE001 - a TTS engine may crash on odd text
                failures += 1
                if failures > 8:
                    raise RuntimeError(f"{voice.id} keeps failing: {exc}") from exc
                continue
            if rate and rate_now != rate:
                audio = dsp.resample(audio, rate_now, rate)
            rate = rate or rate_now
            audio = dsp.trim_silence(audio, rate)
            if len(audio) < 0.3 * rate or not np.isfinite(audio).all():
                failures += 1
                if failures > 8:
                    raise RuntimeError(f"{voice.id} produced no speech for {sentence!r}")
                continue
            pause = np.zeros(int(rng.uniform(0.12, 0.35) * rate), dtype=np.float32)
            pieces += [audio, pause] if pieces else [audio]
            texts.append(sentence)
            total = sum(len(p) for p in pieces) / rate
        return np.concatenate(pieces), rate, texts

    def _augment(self, audio: np.ndarray, rate: int, rng: np.random.Generator,
                 prob: float, out_rate: int) -> tuple[np.ndarray, dict | None]:
        """Speaker augmentation (pitch, formant, tempo) with probability ``prob``.

        Done at the engine's native ``rate``. A downward pitch shift scales the top of the
        band down too, so it is limited to what still fills the band up to ``out_rate / 2``
        (none for audio already at ``out_rate``): the clean files must never lack the top
        band, or the model would learn to remove it.
        """
        if rng.random() >= prob:
            return audio, None
        c = self.cfg
        lowest = max(c.semitones[0], 12 * np.log2(out_rate / rate) + 0.3)
        aug = {
            "semitones": round(float(rng.uniform(min(lowest, c.semitones[1]), c.semitones[1])),
                               2),
            "formant": round(float(rng.uniform(*c.formant)), 3),
            "tempo": round(float(rng.uniform(*c.tempo)), 3),
        }
        return dsp.speaker_augment(audio, rate, **aug), aug

    def speak(self, voice: tts.Voice, rng: np.random.Generator, seconds: float, rate_out: int,
              augment_prob: float) -> tuple[np.ndarray, dict]:
        """One clean file: one speaker (voice + settings + augmentation), ``rate_out`` Hz."""
        settings = tts.draw_settings(voice, rng)
        dry, rate, texts = self._utterances(voice, settings, rng, seconds)
        wet, aug = self._augment(dry, rate, rng, augment_prob, rate_out)
        audio = dsp.resample(wet, rate, rate_out)
        hf = dsp.band_share_db(audio, rate_out, 6000, 7500)
        if aug is not None:  # never let augmentation empty the top of the band
            dry_hf = dsp.band_share_db(dsp.resample(dry, rate, rate_out), rate_out, 6000, 7500)
            if hf < dry_hf - 10.0:
                audio, aug, hf = dsp.resample(dry, rate, rate_out), None, dry_hf
        meta = {"engine": voice.engine, "voice": voice.id, "language": voice.language,
                "package": voice.package, "licence": sources.licence_of(voice.package),
                "settings": settings, "augment": aug, "texts": texts,
                "hf_share_db": round(hf, 1)}
        return dsp.fade(self._level(audio, rate_out), rate_out), meta

    def _level(self, audio: np.ndarray, rate: int) -> np.ndarray:
        """Active speech level to ``clean_level_db``, peak at most 0.97."""
        gain = 10 ** ((self.cfg.clean_level_db - dsp.active_rms_db(audio, rate)) / 20)
        y = audio * gain
        top = float(np.abs(y).max())
        return (y * min(1.0, 0.97 / top) if top > 0 else y).astype(np.float32)

    def train_pool(self, engine: str) -> list[tts.Voice]:
        """Training voices of an engine (espeak: every train language x variant)."""
        if engine == "espeak":
            return voices.espeak_voices("train")
        if engine == "kokoro":
            tts.kokoro_model(self.cache)
            return voices.kokoro_voices(self.cfg.seed)
        return voices.TRAIN_VOICES[engine]

    def build_tts(self, engine: str, outdir: Path) -> list[dict]:
        """Training TTS for one engine: files of 6-12 s until its minutes are reached."""
        pool = self.train_pool(engine)
        target = self.cfg.tts_minutes[engine] * 60
        if engine == "piper":
            tts.reset_piper(self.cfg.seed)
        total, items, idx = 0.0, [], 0
        while total < target:
            rng = rng_for(self.cfg.seed, "tts", engine, idx)
            voice = pool[idx % len(pool)] if engine != "espeak" else pool[
                int(rng.integers(len(pool)))]
            span = self.cfg.espeak_file_seconds if engine == "espeak" else self.cfg.file_seconds
            audio, meta = self.speak(voice, rng, float(rng.uniform(*span)), self.cfg.rate,
                                     self.cfg.augment_prob)
            rel = Path("clean/tts") / engine / voice.slug / f"{engine}_{idx:04d}.flac"
            seconds = layout.write_audio(self.train / rel, audio, self.cfg.rate)
            items.append({"path": rel.as_posix(), "rate": self.cfg.rate,
                          "seconds": round(seconds, 3), "source": "tts", **meta})
            total += seconds
            idx += 1
            if idx % 20 == 0:
                log(f"tts:{engine}: {total / 60:.1f}/{target / 60:.1f} min")
        return items

    # ------------------------------------------------------------------ real 8 kHz speech

    def _prompts(self, package: str) -> list[Path]:
        """The prompt recordings of an asterisk sounds package, sorted."""
        root = fetch.apt_extract(package, self.cache)
        return sorted(p for p in (root / "usr/share/asterisk").rglob("*.wav"))

    def _join_prompts(self, files: list[Path], start: int, seconds: float,
                      rng: np.random.Generator, rate_out: int = REAL8K_RATE,
                      pause: tuple[float, float] = (0.15, 0.35), min_seconds: float = 0.25,
                      ) -> tuple[np.ndarray, list[str], int]:
        """Trimmed prompts from ``files[start:]`` joined with pauses to >= ``seconds``."""
        pieces: list[np.ndarray] = []
        used: list[str] = []
        i = start
        while i < len(files) and sum(len(p) for p in pieces) < seconds * rate_out:
            audio, rate = realspeech.read(files[i])
            i += 1
            if rate != rate_out:
                audio = dsp.resample(audio, rate, rate_out)
            audio = dsp.trim_silence(audio, rate_out)
            if len(audio) < min_seconds * rate_out:
                continue
            if pieces:
                pieces.append(np.zeros(int(rng.uniform(*pause) * rate_out), np.float32))
            pieces.append(audio)
            used.append(files[i - 1].name)
        audio = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
        return audio, used, i

    def build_real8k(self, outdir: Path) -> list[dict]:
        """Training real speech at its native 8 kHz in ``clean/real8k/``."""
        items: list[dict] = []
        per_pkg = self.cfg.real8k_minutes * 60 / len(voices.REAL8K_TRAIN)
        for package, (speaker, lang) in voices.REAL8K_TRAIN.items():
            files = self._prompts(package)
            order = rng_for(self.cfg.seed, "real8k-order", package).permutation(len(files))
            files = [files[k] for k in order]
            total, pos, idx = 0.0, 0, 0
            while total < per_pkg and pos < len(files):
                rng = rng_for(self.cfg.seed, "real8k", package, idx)
                audio, used, pos = self._join_prompts(
                    files, pos, float(rng.uniform(*self.cfg.file_seconds)), rng)
                if len(audio) == 0:
                    break
                audio, aug = self._augment(audio, REAL8K_RATE, rng,
                                           self.cfg.real8k_augment_prob, REAL8K_RATE)
                audio = dsp.fade(self._level(audio, REAL8K_RATE), REAL8K_RATE)
                rel = Path("clean/real8k") / f"{lang}_{speaker}" / f"{lang}_{idx:04d}.flac"
                seconds = layout.write_audio(self.train / rel, audio, REAL8K_RATE)
                items.append({"path": rel.as_posix(), "rate": REAL8K_RATE,
                              "seconds": round(seconds, 3), "source": "real8k",
                              "speaker": speaker, "language": lang, "package": package,
                              "licence": sources.licence_of(package), "prompts": used,
                              "augment": aug})
                total += seconds
                idx += 1
        return items

    # ------------------------------------------------------------------ real wideband speech

    def _real_train_sources(self) -> list[tuple[list[realspeech.Recording], float]]:
        """Training recordings per speaker, with the seconds to take from each: every clean
        klettres set whole (a few minutes), the G.722 speakers share the rest."""
        klettres = realspeech.klettres_sets(
            fetch.apt_extract(realspeech.KLETTRES, self.cache), realspeech.KLETTRES_TRAIN)
        out: list[tuple[list[realspeech.Recording], float]] = []
        for recs in klettres.values():
            clean = [r for r in recs
                     if realspeech.floor_db(*realspeech.read(r.path)) <= realspeech.CLEAN_FLOOR_DB]
            out.append((clean, float("inf")))
        share = self.cfg.real16k_minutes * 60 / len(realspeech.G722_TRAIN)
        for package, (speaker, lang) in realspeech.G722_TRAIN.items():
            root = fetch.apt_extract(package, self.cache)
            out.append((realspeech.g722_prompts(root, package, speaker, lang), share))
        return out

    def build_real16k(self, outdir: Path) -> list[dict]:
        """Training real wideband speech in ``clean/real16k/<language>_<speaker>/``: prompts
        or syllables joined with short pauses into 6-12 s files at 16 kHz."""
        rate, items = self.cfg.rate, []
        budget = self.cfg.real16k_minutes * 60
        for recs, cap in self._real_train_sources():
            if not recs:
                continue
            first = recs[0]
            order = rng_for(self.cfg.seed, "real16k-order", first.speaker, first.language)
            files = [recs[int(k)].path for k in order.permutation(len(recs))]
            total, pos, idx = 0.0, 0, 0
            while total < cap and pos < len(files) and budget > 0:
                rng = rng_for(self.cfg.seed, "real16k", first.speaker, first.language, idx)
                audio, used, pos = self._join_prompts(
                    files, pos, float(rng.uniform(*self.cfg.file_seconds)), rng, rate,
                    min_seconds=0.15)
                if len(audio) < rate:
                    break
                audio, aug = self._augment(audio, rate, rng, self.cfg.real16k_augment_prob, rate)
                audio = dsp.fade(self._level(audio, rate), rate)
                slug = layout.safe_name(f"{first.language}_{first.speaker}")
                rel = Path("clean/real16k") / slug / f"{slug}_{idx:04d}.flac"
                seconds = layout.write_audio(self.train / rel, audio, rate)
                items.append({"path": rel.as_posix(), "rate": rate, "seconds": round(seconds, 3),
                              "source": "real16k", "speaker": first.speaker,
                              "language": first.language, "package": first.package,
                              "licence": sources.licence_of(first.package), "prompts": used,
                              "augment": aug})
                total += seconds
                budget -= seconds
                idx += 1
        return items

    def _real_dev_sources(self) -> list[tuple[str, list[list[realspeech.Recording]], tuple]]:
        """Held-out real voices by group: (group, recordings per speaker, pause range).
        klettres syllables become word chains with long pauses; the others keep short ones."""
        g722 = []
        for package, (speaker, lang) in realspeech.G722_DEV.items():
            root = fetch.apt_extract(package, self.cache)
            g722.append(realspeech.g722_prompts(root, package, speaker, lang))
        klettres = realspeech.klettres_sets(
            fetch.apt_extract(realspeech.KLETTRES, self.cache), realspeech.KLETTRES_DEV)
        fillets = realspeech.fillets_voices(
            fetch.apt_extract(realspeech.FILLETS, self.cache), realspeech.FILLETS_DEV)
        return [("g722", g722, (0.15, 0.35)),
                ("klettres", [r for r in klettres.values() if r], (0.3, 0.9)),
                ("fillets", [r for r in fillets.values() if r], (0.1, 0.3))]

    def build_devreal(self, outdir: Path) -> list[dict]:
        """16 kHz paired dev set of real held-out voices in dev-only real noise: equal thirds
        G.722 prompts (ru), klettres word chains (4 languages), fillets voices (cs). Its clean
        side doubles as the transparency set (enhance ``clean/`` and compare with itself)."""
        rate = self.cfg.rate
        noise_iter = self._noise_cycle(self.dev_noise_pool(), rate, "devreal-noise")
        groups = self._real_dev_sources()
        per_group = int(np.ceil(self.cfg.devreal_clips / len(groups)))
        examples = []
        for group, speakers, pause in groups:
            cursors = {id(recs): 0 for recs in speakers}
            shuffled = [
                [recs[int(k)].path for k in rng_for(
                    self.cfg.seed, "devreal-order", group, recs[0].speaker).permutation(len(recs))]
                for recs in speakers]
            for j in range(per_group):
                if len(examples) >= self.cfg.devreal_clips:
                    break
                rng = rng_for(self.cfg.seed, "devreal", group, j)
                k = j % len(speakers)
                recs, files = speakers[k], shuffled[k]
                if cursors[id(recs)] >= len(files):
                    cursors[id(recs)] = 0
                length = float(rng.uniform(*self.cfg.dev_seconds))
                audio, used, cursors[id(recs)] = self._join_prompts(
                    files, cursors[id(recs)], length, rng, rate, pause, min_seconds=0.15)
                clean = self._cut(self._level(audio, rate), rate, length)
                first = recs[0]
                meta = {"group": group, "speaker": first.speaker, "language": first.language,
                        "package": first.package, "licence": sources.licence_of(first.package),
                        "prompts": used}
                examples.append(self._dev_example(
                    f"real_{group}_{layout.safe_name(first.speaker)}_{j:03d}", clean, rate, rng,
                    next(noise_iter), self.cfg.dev_reverb_prob, meta, self.cfg.devreal_snr))
        header = self._dev_header(rate)
        header["speech"] = ("real human voices held out from training: " +
                            realspeech.__doc__.split("\n\n")[0])
        header["snr_range_db"] = list(self.cfg.devreal_snr)
        return layout.write_paired(outdir, examples, header, self.cfg.dev_suffix)["clips"]

    def _hiss(self, i: int) -> noises.NoiseFile:
        """Full-band hiss (white or pink, 48 kHz) for the full-band dev set."""
        def load() -> tuple[np.ndarray, int]:
            rng = rng_for(self.cfg.seed, "devfull-hiss", i)
            white = rng.standard_normal(4 * FULLBAND_RATE)
            if i % 2:  # pink: -3 dB per octave
                spectrum = np.fft.rfft(white)
                freqs = np.fft.rfftfreq(len(white), 1 / FULLBAND_RATE)
                white = np.fft.irfft(spectrum / np.sqrt(np.maximum(freqs, 20.0)), len(white))
            return (0.03 * white / np.std(white)).astype(np.float32), FULLBAND_RATE

        kind = "pink" if i % 2 else "white"
        return noises.NoiseFile("synthetic", f"hiss_{kind}_{i}", "generated", load)

    def build_devfull(self, outdir: Path) -> list[dict]:
        """48 kHz paired dev set for the band above 8 kHz: held-out real voices with content
        there (klettres ru word chains, 44.1 kHz; fillets minor voices, 22.05 kHz) in dev-only
        real noise at its own rate or full-band hiss (one clip in four), at each of
        ``devfull_snrs`` in turn, without rooms."""
        rate = FULLBAND_RATE
        real_noise = self._noise_cycle(self.dev_noise_pool(), rate, "devfull-noise")
        hiss = self._noise_cycle([self._hiss(i) for i in range(4)], rate, "devfull-hiss")
        klettres = realspeech.klettres_sets(
            fetch.apt_extract(realspeech.KLETTRES, self.cache), ("ru",))["ru"]
        fillets = [r for recs in realspeech.fillets_voices(
            fetch.apt_extract(realspeech.FILLETS, self.cache), realspeech.FILLETS_DEV).values()
            for r in recs]
        examples = []
        for group, recs, pause in (("klettres", klettres, (0.3, 0.9)),
                                   ("fillets", fillets, (0.1, 0.3))):
            files = [recs[int(k)].path for k in rng_for(
                self.cfg.seed, "devfull-order", group).permutation(len(recs))]
            pos = 0
            for j in range(self.cfg.devfull_clips // 2):
                rng = rng_for(self.cfg.seed, "devfull", group, j)
                pos = 0 if pos >= len(files) else pos
                length = float(rng.uniform(*self.cfg.dev_seconds))
                audio, used, pos = self._join_prompts(files, pos, length, rng, rate, pause,
                                                      min_seconds=0.15)
                clean = self._cut(self._level(audio, rate), rate, length)
                snr = self.cfg.devfull_snrs[j % len(self.cfg.devfull_snrs)]
                noise = next(hiss) if j % 4 == 3 else next(real_noise)
                meta = {"group": group, "package": recs[0].package,
                        "licence": sources.licence_of(recs[0].package), "prompts": used}
                examples.append(self._dev_example(f"full_{group}_{j:03d}", clean, rate, rng,
                                                  noise, 0.0, meta, (snr, snr)))
        header = self._dev_header(rate)
        header["band"] = "0-24 kHz: real speech with content to ~11 kHz, full-band noise"
        header["snr_range_db"] = list(self.cfg.devfull_snrs)
        return layout.write_paired(outdir, examples, header, self.cfg.dev_suffix)["clips"]

    # ------------------------------------------------------------------ noise

    def real_noise_split(self) -> tuple[list[noises.NoiseFile], list[noises.NoiseFile]]:
        """All real noise files of the allowed noise packages, split train/dev by group."""
        files: list[noises.NoiseFile] = []
        for package in sources.names("noise", "apt"):
            files += noises.real_noise_files(package, fetch.apt_extract(package, self.cache))
        return noises.split_train_dev(files, self.cfg.dev_noise_fraction)

    def _prepare_noise(self, nf: noises.NoiseFile, rate: int) -> np.ndarray:
        """Load a noise file as mono at ``rate``, DC removed, silent ends trimmed."""
        audio, native = nf.load()
        audio = dsp.resample(audio - float(np.mean(audio)), native, rate)
        return dsp.trim_silence(audio, rate, floor_db=-50.0, max_pause=0.6, edge=0.02)

    def build_noise_real(self, outdir: Path) -> list[dict]:
        """Training real noise: train-side files, mono 16 kHz, at most ``noise_max_seconds``."""
        train_files, _ = self.real_noise_split()
        return self._write_noise(train_files, "noise/real", "noise-real",
                                 self.cfg.noise_max_seconds, self.cfg.music_excerpts)

    def _write_noise(self, files: list[noises.NoiseFile], folder: str, stream: str,
                     cap_seconds: float, excerpts: int) -> list[dict]:
        """Write each noise file (``excerpts`` random excerpts of long ones) as 16 kHz FLAC
        of at most ``cap_seconds`` under ``train/folder/<package>/``."""
        rate = self.cfg.rate
        items = []
        for k, nf in enumerate(files):
            audio = self._prepare_noise(nf, rate)
            if len(audio) < 0.25 * rate or dsp.rms_db(audio) < -70:
                continue
            rng = rng_for(self.cfg.seed, stream, nf.id)
            n_out = excerpts if len(audio) > 3 * cap_seconds * rate else 1
            for j in range(n_out):
                seg = dsp.fit_length(audio, min(len(audio), int(cap_seconds * rate)), rng, rate)
                seg = dsp.set_level(dsp.fade(seg, rate, 5.0), self.cfg.noise_level_db)
                name = layout.safe_name(nf.member.split("/")[-1].replace("#", "_"))
                rel = Path(folder) / nf.package / f"{k:03d}_{Path(name).stem}_{j}.flac"
                seconds = layout.write_audio(self.train / rel, seg, rate)
                items.append({"path": rel.as_posix(), "kind": "real", "package": nf.package,
                              "member": nf.member, "group": nf.group, "licence": nf.licence,
                              "seconds": round(seconds, 3)})
        return items

    def extra_noise_files(self) -> list[noises.NoiseFile]:
        """Train-only real noise: the ``noise_extra`` packages, speech-like members left out,
        at most ``extra_noise_per_group`` files of each group (many are near-duplicates)."""
        chosen: list[noises.NoiseFile] = []
        for package in sources.names("noise_extra", "apt"):
            files = [f for f in noises.real_noise_files(package, fetch.apt_extract(package,
                                                                                  self.cache))
                     if not noises.is_speech_like(f.member)]
            taken: dict[str, int] = {}
            for f in files:
                if taken.get(f.group, 0) < self.cfg.extra_noise_per_group:
                    taken[f.group] = taken.get(f.group, 0) + 1
                    chosen.append(f)
        return chosen

    def build_noise_extra(self, outdir: Path) -> list[dict]:
        """More training noise from the train-only packages (the dev sets never use them)."""
        return self._write_noise(self.extra_noise_files(), "noise/extra", "noise-extra",
                                 self.cfg.extra_noise_max_seconds, self.cfg.extra_noise_excerpts)

    def _talkers(self, count: int = 40) -> list[np.ndarray]:
        """Speech from training TTS files, for babble."""
        paths = sorted((self.train / "clean/tts").rglob("*.flac"))
        if not paths:
            raise RuntimeError("babble needs the training TTS stage first")
        rng = rng_for(self.cfg.seed, "talkers")
        chosen = [paths[int(i)] for i in rng.choice(len(paths), min(count, len(paths)),
                                                    replace=False)]
        return [noises._read_file(p)[0] for p in chosen]

    def build_noise_synth(self, outdir: Path) -> list[dict]:
        """Synthetic training noise: coloured, hum, clicks, fan, engine, beeps, bursts, babble."""
        rate = self.cfg.rate
        n = int(self.cfg.synthetic_seconds * rate)
        talkers = self._talkers() if self.cfg.synthetic_counts.get("babble") else []
        items = []
        for kind, count in sorted(self.cfg.synthetic_counts.items()):
            for i in range(count):
                rng = rng_for(self.cfg.seed, "synth", kind, i)
                if kind == "babble":
                    audio, params = noises.babble(rng, n, rate, talkers)
                else:
                    audio, params = noises.SYNTHETIC[kind](rng, n, rate)
                audio = dsp.set_level(dsp.fade(np.asarray(audio, np.float32), rate, 5.0),
                                      self.cfg.noise_level_db)
                rel = Path("noise/synth") / kind / f"{kind}_{i:03d}.flac"
                seconds = layout.write_audio(self.train / rel, audio, rate)
                items.append({"path": rel.as_posix(), "kind": "synthetic", "type": kind,
                              "params": params, "licence": "generated (recipe, MIT)",
                              "seconds": round(seconds, 3)})
        return items

    # ------------------------------------------------------------------ rooms

    def _rir(self, rng: np.random.Generator, rate: int) -> tuple[np.ndarray, dict]:
        """A simulated RIR (statistical model in offline mode)."""
        make = rooms.exponential_rir if self.cfg.offline else rooms.simulate_rir
        return make(rng, rate, self.cfg.rt60, self.cfg.rir_max_seconds)

    def build_rir(self, outdir: Path) -> list[dict]:
        """Training RIRs: random shoeboxes, RT60 in ``rt60``, 16 kHz, at most 1 s."""
        items = []
        for i in range(self.cfg.train_rirs):
            rir, info = self._rir(rng_for(self.cfg.seed, "rir", i), self.cfg.rate)
            rel = Path("rir") / f"rir_{i:04d}.flac"
            seconds = layout.write_audio(self.train / rel, rir, self.cfg.rate)
            items.append({"path": rel.as_posix(), "seconds": round(seconds, 4), **info,
                          "licence": "generated (pyroomacoustics, MIT)"})
        return items

    # ------------------------------------------------------------------ development sets

    def dev_noise_pool(self) -> list[noises.NoiseFile]:
        """Dev-side real noise files (or dev-only synthetic noise when real sources are off)."""
        if self._dev_noise is None:
            if self.cfg.real_sources:
                self._dev_noise = self.real_noise_split()[1]
            else:
                self._dev_noise = [self._synthetic_dev_noise(i) for i in range(4)]
        return self._dev_noise

    def _synthetic_dev_noise(self, i: int) -> noises.NoiseFile:
        """Offline stand-in for dev noise (only for --tiny / offline smoke builds)."""
        kind = sorted(noises.SYNTHETIC)[i % len(noises.SYNTHETIC)]

        def load() -> tuple[np.ndarray, int]:
            rng = rng_for(self.cfg.seed, "dev-synth-noise", i)
            return noises.SYNTHETIC[kind](rng, 4 * self.cfg.rate, self.cfg.rate)[0], self.cfg.rate

        return noises.NoiseFile("synthetic", f"dev_{kind}_{i}", "generated", load)

    def _dev_voice(self, rng: np.random.Generator) -> tts.Voice:
        """A dev voice: engine by ``dev_engine_weights``, then uniformly within the engine."""
        engines = sorted(self.cfg.dev_engine_weights)
        p = np.array([self.cfg.dev_engine_weights[e] for e in engines], dtype=float)
        engine = engines[int(rng.choice(len(engines), p=p / p.sum()))]
        pool = voices.espeak_voices("dev") if engine == "espeak" else voices.DEV_VOICES[engine]
        return pool[int(rng.integers(len(pool)))]

    def _noise_cycle(self, pool: list[noises.NoiseFile], rate: int, key: str):
        """Yield dev noise files in a seeded shuffled cycle, loaded at ``rate``."""
        rng = rng_for(self.cfg.seed, key, "order")
        cache: dict[str, np.ndarray] = {}
        while True:
            for k in rng.permutation(len(pool)):
                nf = pool[int(k)]
                if nf.id not in cache:
                    cache[nf.id] = self._prepare_noise(nf, rate)
                if len(cache[nf.id]) >= int(0.25 * rate) and dsp.rms_db(cache[nf.id]) > -70:
                    yield nf, cache[nf.id]

    def _dev_example(self, name: str, clean: np.ndarray, rate: int, rng: np.random.Generator,
                     noise_item, reverb_prob: float, meta: dict,
                     snr: tuple[float, float] | None = None) -> layout.Example:
        """Mix one dev example with a dev noise file, a random SNR/level and maybe a room."""
        nf, noise = noise_item
        rir, rir_info = None, None
        if rng.random() < reverb_prob:
            rir, rir_info = self._rir(rng, rate)
        meta = {**meta, "noise": {"package": nf.package, "member": nf.member,
                                  "group": nf.group, "licence": nf.licence},
                "reverb": rir_info}
        return layout.make_example(
            name, clean, noise, rate, float(rng.uniform(*(snr or self.cfg.dev_snr))),
            float(rng.uniform(*self.cfg.dev_level_db)), rng, rir, meta)

    def _cut(self, audio: np.ndarray, rate: int, seconds: float) -> np.ndarray:
        """Cut to about ``seconds`` (at a pause where one is near), never below the minimum."""
        lo, hi = self.cfg.dev_seconds
        out = dsp.cut_at_pause(audio, rate, min(seconds, hi))
        return out if len(out) >= lo * rate else dsp.fade(audio[: int(hi * rate)], rate, 30.0)

    def build_dev(self, outdir: Path) -> list[dict]:
        """16 kHz paired dev set from dev-only voices and dev-only real noise."""
        rate = self.cfg.rate
        noise_iter = self._noise_cycle(self.dev_noise_pool(), rate, "dev-noise")
        examples = []
        for i in range(self.cfg.dev_clips):
            rng = rng_for(self.cfg.seed, "dev", i)
            voice = self._dev_voice(rng)
            length = float(rng.uniform(*self.cfg.dev_seconds))
            clean, meta = self.speak(voice, rng, length, rate, augment_prob=0.0)
            clean = self._cut(clean, rate, length)
            examples.append(self._dev_example(f"dev_{i:04d}_{voice.slug}", clean, rate, rng,
                                              next(noise_iter), self.cfg.dev_reverb_prob, meta))
        header = self._dev_header(rate)
        manifest = layout.write_paired(outdir, examples, header, self.cfg.dev_suffix)
        return manifest["clips"]

    def build_dev8k(self, outdir: Path) -> list[dict]:
        """8 kHz paired dev set from held-out real speakers (scored in their own band)."""
        noise_iter = self._noise_cycle(self.dev_noise_pool(), REAL8K_RATE, "dev8k-noise")
        per_pkg = int(np.ceil(self.cfg.dev8k_clips / len(voices.REAL8K_DEV)))
        examples = []
        for package, (speaker, lang) in voices.REAL8K_DEV.items():
            files = self._prompts(package)
            order = rng_for(self.cfg.seed, "dev8k-order", package).permutation(len(files))
            files = [files[k] for k in order]
            pos = 0
            for j in range(per_pkg):
                if len(examples) >= self.cfg.dev8k_clips:
                    break
                rng = rng_for(self.cfg.seed, "dev8k", package, j)
                length = float(rng.uniform(*self.cfg.dev_seconds))
                audio, used, pos = self._join_prompts(files, pos, length, rng)
                clean = self._cut(self._level(audio, REAL8K_RATE), REAL8K_RATE, length)
                meta = {"speaker": speaker, "language": lang, "package": package,
                        "licence": sources.licence_of(package), "prompts": used}
                examples.append(self._dev_example(
                    f"dev8k_{lang}_{speaker}_{j:03d}", clean, REAL8K_RATE, rng,
                    next(noise_iter), self.cfg.dev8k_reverb_prob, meta))
        header = self._dev_header(REAL8K_RATE)
        header["band"] = "0-4 kHz (real 8 kHz studio speech; score at 8 kHz, e.g. PESQ nb)"
        return layout.write_paired(outdir, examples, header, self.cfg.dev_suffix)["clips"]

    def _dev_header(self, rate: int) -> dict:
        """Manifest header shared by the dev sets."""
        return {
            "recipe": "recipes/default", "recipe_version": RECIPE_VERSION,
            "seed": self.cfg.seed, "rate": rate, "layout": "paired: noisy/NAME + clean/NAME",
            "target": "clean speech; when 'reverb' is set, the noisy input has the fully "
                      "reverberant speech and the target its direct path plus the first "
                      f"{int(layout.EARLY_REFLECTIONS_S * 1000)} ms (as malenhance.data does)",
            "snr_definition": "active level of the (reverberant) speech, frames within 40 dB "
                              "of the loudest, over noise RMS, per clip",
            "snr_range_db": list(self.cfg.dev_snr), "level_range_dbfs": list(self.cfg.dev_level_db),
            "disjoint_from_train": "base voices / 8 kHz speakers and noise files (by group)",
        }

    # ------------------------------------------------------------------ all together

    def build(self, stages: list[str] | None = None) -> dict:
        """Run all (or the named) stages and write manifests and the build report."""
        start = time.time()
        want = set(stages or ["tts", "real8k", "real16k", "noise_real", "noise_extra",
                              "noise_synth", "rir", "dev", "dev8k", "devreal", "devfull"])
        setup = self.setup()
        parts: dict[str, dict] = {}
        engines = sorted(self.cfg.tts_minutes) if "tts" in want else sorted(
            s.split(":", 1)[1] for s in want if s.startswith("tts:"))
        unknown = set(engines) - set(self.cfg.tts_minutes)
        if unknown:
            raise SystemExit(f"unknown TTS engine(s): {', '.join(sorted(unknown))}")
        for engine in engines:
            parts[f"tts:{engine}"] = self.run_stage(
                f"tts:{engine}", self.train / "clean/tts" / engine,
                lambda d, e=engine: self.build_tts(e, d))
        plan = [
            ("real8k", self.train / "clean/real8k", self.build_real8k,
             self.cfg.real_sources and self.cfg.real8k_minutes > 0),
            ("real16k", self.train / "clean/real16k", self.build_real16k,
             self.cfg.real_sources and self.cfg.real16k_minutes > 0),
            ("noise_real", self.train / "noise/real", self.build_noise_real,
             self.cfg.real_sources),
            ("noise_extra", self.train / "noise/extra", self.build_noise_extra,
             self.cfg.real_sources),
            ("noise_synth", self.train / "noise/synth", self.build_noise_synth, True),
            ("rir", self.train / "rir", self.build_rir, self.cfg.train_rirs > 0),
            ("dev", self.out / "dev", self.build_dev, self.cfg.dev_clips > 0),
            ("dev8k", self.out / "dev8k", self.build_dev8k,
             self.cfg.real_sources and self.cfg.dev8k_clips > 0),
            ("devreal", self.out / "devreal", self.build_devreal,
             self.cfg.real_sources and self.cfg.devreal_clips > 0),
            ("devfull", self.out / "devfull", self.build_devfull,
             self.cfg.real_sources and self.cfg.devfull_clips > 0),
        ]
        for stage, outdir, fn, enabled in plan:
            if stage in want and enabled:
                parts[stage] = self.run_stage(stage, outdir, fn)
        for f in sorted(self.parts.glob("*.json")) if self.parts.exists() else []:
            part = json.loads(f.read_text())
            parts.setdefault(part["stage"], part)
        self.write_train_manifest(parts)
        report = self.report(parts, setup, time.time() - start)
        layout.write_json(self.out / "build_report.json", report)
        return report

    def write_train_manifest(self, parts: dict[str, dict]) -> None:
        """``train/manifest.json``: every clean, noise and RIR file with source and licence."""
        def items(prefix: str) -> list[dict]:
            return [i for s, p in sorted(parts.items()) if s.startswith(prefix)
                    for i in p["items"]]

        manifest = {
            "recipe": "recipes/default", "recipe_version": RECIPE_VERSION, "config":
            asdict(self.cfg), "layout": "dynamic mixing: clean/ noise/ rir/",
            "band_limited_clean": "clean/real8k/ is real speech kept at 8 kHz: restrict the "
                                  "loss to below 4 kHz for these files",
            "clean": items("tts:") + items("real8k") + items("real16k"),
            "noise": items("noise_real") + items("noise_extra") + items("noise_synth"),
            "rir": items("rir"),
            "licences": self.licences(),
        }
        layout.write_json(self.train / "manifest.json", manifest)

    def licences(self) -> dict[str, str]:
        """Licence of every allow-listed package (the recipe uses no other)."""
        return {s.name: s.licence for s in sources.ALLOWED}

    def report(self, parts: dict[str, dict], setup: dict, seconds: float) -> dict:
        """Sizes (MiB), minutes of audio, counts, disjointness checks and timings."""
        t = self.train
        dirs = {
            "train/clean/tts": t / "clean/tts", "train/clean/real8k": t / "clean/real8k",
            "train/clean/real16k": t / "clean/real16k",
            "train/noise/real": t / "noise/real", "train/noise/extra": t / "noise/extra",
            "train/noise/synth": t / "noise/synth",
            "train/rir": t / "rir", "train (total)": t, "dev": self.out / "dev",
            "dev8k": self.out / "dev8k", "devreal": self.out / "devreal",
            "devfull": self.out / "devfull",
        }
        sizes = {k: round(layout.dir_mib(v), 2) for k, v in dirs.items()}
        minutes: dict[str, float] = {}
        counts: dict[str, int] = {}
        for stage, part in parts.items():
            for item in part["items"]:
                key = self._minutes_key(stage, item)
                minutes[key] = minutes.get(key, 0.0) + item.get("seconds", 0.0) / 60
                counts[key] = counts.get(key, 0) + 1
        voices_used = {
            "train": sorted({i["voice"] for s, p in parts.items() if s.startswith("tts:")
                             for i in p["items"]}),
            "dev": sorted({i["voice"] for i in parts.get("dev", {}).get("items", [])}),
        }
        overlap = sorted(set(voices_used["train"]) & set(voices_used["dev"]))
        train_noise_items = [i for s in ("noise_real", "noise_extra")
                             for i in parts.get(s, {}).get("items", [])]
        train_noise = {i["member"] for i in train_noise_items}
        train_groups = {i["group"] for i in train_noise_items}
        dev_noise = [i["noise"] for s in ("dev", "dev8k", "devreal", "devfull")
                     for i in parts.get(s, {})
                     .get("items", [])]
        real_train = {i["speaker"] for i in parts.get("real16k", {}).get("items", [])}
        real_dev = {i["speaker"] for i in parts.get("devreal", {}).get("items", [])}
        return {
            "seed": self.cfg.seed, "build_seconds_this_run": round(seconds, 1),
            "stage_seconds": {s: p.get("seconds") for s, p in sorted(parts.items())},
            "sizes_mib": sizes,
            "within_budget": sizes["train (total)"] <= self.cfg.budget_mib,
            "budget_mib": self.cfg.budget_mib,
            "minutes": {k: round(v, 2) for k, v in sorted(minutes.items())},
            "counts": dict(sorted(counts.items())),
            "disjointness": {
                "train_voices": len(voices_used["train"]),
                "dev_voices": len(voices_used["dev"]),
                "voice_overlap": overlap,
                "real_speaker_overlap": sorted(real_train & real_dev),
                "noise_file_overlap": sorted({d["member"] for d in dev_noise} & train_noise),
                "noise_group_overlap": sorted({d["group"] for d in dev_noise} & train_groups),
            },
            "setup": setup,
        }

    @staticmethod
    def _minutes_key(stage: str, item: dict) -> str:
        """Bucket for the minutes/counts tables."""
        if stage.startswith("tts:"):
            return f"train clean {stage} {item['voice']}" if item["engine"] != "espeak" \
                else f"train clean {stage}"
        if stage == "real8k":
            return f"train clean real8k {item['language']}_{item['speaker']}"
        if stage in ("noise_real", "noise_extra"):
            return f"train noise {stage[6:]} {item['package']}"
        if stage == "noise_synth":
            return f"train noise synth {item['type']}"
        if stage == "rir":
            return "train rir"
        if stage == "dev":
            return f"dev {item['engine']}"
        return f"{stage} {item.get('language', '')}_{item.get('speaker', '')}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("data/default"), help="output folder")
    ap.add_argument("--seed", type=int, default=Config.seed)
    ap.add_argument("--stages", default="", help="comma list: tts,real8k,real16k,noise_real,"
                    "noise_extra,noise_synth,rir,dev,dev8k,devreal,devfull (default all); "
                    "tts:ENGINE "
                    "for one TTS engine")
    ap.add_argument("--tts-minutes", default="", metavar="ENGINE=MIN,...",
                    help="minutes of training speech per TTS engine, overriding the recipe's "
                    "(e.g. festival=42,espeak=32); the first files are those of a smaller build")
    ap.add_argument("--force", action="store_true", help="rebuild stages even if up to date")
    ap.add_argument("--tiny", action="store_true", help="seconds-long local smoke build")
    ap.add_argument("--offline", action="store_true",
                    help="no apt/pip: use installed tools only")
    ap.add_argument("--nice", type=int, default=10, help="os.nice increment (0 = none)")
    return ap.parse_args(argv)


def _minutes(text: str) -> dict[str, float]:
    """``festival=42,espeak=32`` -> ``{"festival": 42.0, "espeak": 32.0}``."""
    out = {}
    for item in text.split(","):
        engine, sep, value = (part.strip() for part in item.partition("="))
        try:
            minutes = float(value)
        except ValueError:
            minutes = -1.0
        if not (engine and sep) or minutes < 0:
            raise SystemExit(f"--tts-minutes: expected ENGINE=MINUTES, got {item!r}")
        out[engine] = minutes
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    if args.nice:
        os.nice(args.nice)
    import torch

    torch.set_num_threads(1)
    cfg = Config.tiny(args.seed) if args.tiny else Config(seed=args.seed)
    if args.offline:
        cfg = replace(cfg, offline=True)
    if args.tts_minutes:
        cfg = replace(cfg, tts_minutes={**cfg.tts_minutes, **_minutes(args.tts_minutes)})
    stages = [s for s in args.stages.split(",") if s] or None
    report = Builder(args.out, cfg, force=args.force).build(stages)
    print(json.dumps({k: report[k] for k in ("sizes_mib", "minutes", "build_seconds_this_run",
                                             "within_budget", "disjointness")}, indent=1))
    if not report["within_budget"]:
        log(f"WARNING: train is {report['sizes_mib']['train (total)']} MiB, over the "
            f"{cfg.budget_mib} MiB budget")
    return 0


__all__ = ["Builder", "Config", "main"]

if __name__ == "__main__":
    sys.exit(main())
