"""Sentences for the TTS voices: English from a small grammar, pseudo-words for other languages.

No text corpus ships in the registries, and a denoiser needs phonetic variety rather than
meaning, so English text comes from templates over a few hundred words, and voices of other
languages read pseudo-words spelled in their script (their letter-to-sound rules then give
the language's own sounds) mixed with digits, which every engine reads in its own language.
"""

from __future__ import annotations

import numpy as np

_NOUNS = (
    "dog cat river bank store spoon cheese brother sister window garden kitchen doctor "
    "teacher engine bridge mountain village island letter pocket hammer basket bottle "
    "candle mirror pencil ticket market station train airport harbour forest desert "
    "valley winter summer morning evening picture story question answer number paper "
    "shadow thunder weather jacket button wallet camera guitar piano violin farmer "
    "sailor pilot driver baker painter neighbour visitor stranger children people "
    "coffee sugar butter onion pepper lemon orange cherry carrot potato tomato biscuit "
    "blanket pillow curtain carpet ladder fence gate castle tower temple chapel "
    "museum library office meeting project budget report machine signal battery "
    "cable planet rocket ocean beach pebble feather rabbit turtle monkey parrot"
).split()
_ADJS = (
    "quick brown lazy large small heavy bright quiet noisy gentle careful sudden "
    "ancient modern yellow purple golden silver wooden broken empty crowded narrow "
    "distant hungry thirsty sleepy clever honest famous fragile smooth rough bitter "
    "sweet fresh frozen hidden private public simple strange cheerful patient"
).split()
_VERBS = (
    "carried painted watched followed opened closed visited answered borrowed "
    "repaired cleaned ordered noticed dropped pushed pulled measured described "
    "delivered collected finished started remembered forgot explained checked"
).split()
_NAMES = (
    "Stella Bob Alice Peter Maria James Fatima Oscar Ingrid Raj Chen Olga Pablo Yuki "
    "Kofi Amelia Dmitri Lucia Tom Nadia Samuel Greta Victor Hannah Leo Zara"
).split()
_PLACES = (
    "the river bank|the old station|the crowded market|the village square|the north gate|"
    "the top of the tower|the harbour wall|the back of the room|the edge of the forest"
).split("|")
_TEMPLATES = (
    "The {adj} {noun} {verb} the {adj2} {noun2} near {place}.",
    "Please ask {name} to bring the {adj} {noun} from {place}.",
    "{name} {verb} {num} {noun2}s before the {noun} arrived.",
    "Did you see the {adj} {noun} that {name} {verb} yesterday?",
    "We {verb} the {noun} at {time} and left it by the {noun2}.",
    "A {adj} {noun} is hard to find, but {name} {verb} one anyway.",
    "{name} said the {noun} was {adj}, not {adj2}.",
    "On {day} morning the {adj} {noun} {verb} {num} {noun2}s at {place}.",
    "Call me at {phone} if the {noun} is still {adj}.",
    "Why would anyone leave a {adj} {noun} next to {place}?",
    "Turn left after the {noun}, then walk {num} blocks to {place}.",
    "The {noun2} costs {num} dollars and {num2} cents.",
)
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_LATIN_ONSETS = (
    "b c d f g h j k l m n p r s t v z br pr tr kr gr pl bl st sk sp ch sh ts".split()
)
_LATIN_VOWELS = "a e i o u a e i o u y ae ei ou ie".split()
_LATIN_CODAS = ["", "", "", "n", "m", "s", "r", "l", "t", "k", "st", "nd"]
_CYR_ONSETS = "б в г д ж з к л м н п р с т ф х ц ч ш щ бр пр тр кр ст ск".split()
_CYR_VOWELS = "а е и о у ы я ю ё э".split()
_CYR_CODAS = ["", "", "", "н", "м", "с", "р", "л", "т", "к", "й"]


def _pick(rng: np.random.Generator, items: tuple[str, ...] | list[str]) -> str:
    """One item, uniformly."""
    return str(items[int(rng.integers(len(items)))])


def english_sentence(rng: np.random.Generator) -> str:
    """One English sentence from the templates."""
    fields = {
        "adj": _pick(rng, _ADJS),
        "adj2": _pick(rng, _ADJS),
        "noun": _pick(rng, _NOUNS),
        "noun2": _pick(rng, _NOUNS),
        "verb": _pick(rng, _VERBS),
        "name": _pick(rng, _NAMES),
        "place": _pick(rng, _PLACES),
        "num": str(int(rng.integers(2, 99))),
        "num2": str(int(rng.integers(1, 99))),
        "time": f"{int(rng.integers(1, 12))} {_pick(rng, ['o clock', 'thirty', 'fifteen'])}",
        "day": _pick(rng, _DAYS),
        "phone": " ".join(str(int(d)) for d in rng.integers(0, 10, size=7)),
    }
    return _pick(rng, _TEMPLATES).format(**fields)


def pseudo_sentence(rng: np.random.Generator, script: str = "latin") -> str:
    """Pseudo-words in ``script`` (``latin`` or ``cyrillic``) with a number or two."""
    onsets, vowels, codas = (
        (_CYR_ONSETS, _CYR_VOWELS, _CYR_CODAS)
        if script == "cyrillic"
        else (_LATIN_ONSETS, _LATIN_VOWELS, _LATIN_CODAS)
    )
    words = []
    for _ in range(int(rng.integers(5, 12))):
        if rng.random() < 0.12:
            words.append(str(int(rng.integers(1, 2000))))
            continue
        n_syl = int(rng.integers(1, 4))
        words.append(
            "".join(
                _pick(rng, onsets) + _pick(rng, vowels) + _pick(rng, codas) for _ in range(n_syl)
            )
        )
    text = " ".join(words)
    end = _pick(rng, [".", ".", ".", "?", "!"])
    return text[0].upper() + text[1:] + end


def sentence(rng: np.random.Generator, language: str) -> str:
    """A sentence suited to a voice of ``language`` (BCP-47-ish code, e.g. ``en-us``, ``ru``)."""
    lang = language.lower()
    if lang.startswith("en"):
        return english_sentence(rng)
    if lang.split("-")[0] in {"ru", "uk", "bg", "be", "mk", "sr"}:
        return pseudo_sentence(rng, "cyrillic")
    if rng.random() < 0.2:
        return english_sentence(rng)
    return pseudo_sentence(rng, "latin")
