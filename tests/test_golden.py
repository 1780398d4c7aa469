"""Golden numbers: the bundled default model's scores on a fixed clip (tests/data).

A change to the model, the weights or the enhancement pipeline that moves these numbers
must be deliberate: re-pin them and say why in the commit. The clip is espeak-ng speech
plus pink noise and hum at 2.5 dB SNR, stored as FLAC so that it does not depend on the
espeak-ng version installed.
"""

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import malenhance
from malenhance.scoring import metrics

DATA = Path(__file__).parent / "data"
PINNED = {"pesq_wb": 1.4550, "estoi": 0.6581, "si_sdr": 10.018}
TOLERANCE = {"pesq_wb": 0.02, "estoi": 0.005, "si_sdr": 0.05}


def _scores(clean, audio):
    return {
        "pesq_wb": metrics.pesq_score(clean, audio, 16000, mode="wb"),
        "estoi": metrics.stoi_score(clean, audio, 16000, extended=True),
        "si_sdr": metrics.si_sdr(clean, audio),
    }


# The output's speech level (over the clean signal's active 20 ms frames, within 40 dB of
# its loudest) minus the input's and the clean signal's, in dB. The metrics above ignore
# loudness: a model made 6 dB quieter passed them (issue 26).
PINNED_LEVEL_DB = {"vs_input": -3.45, "vs_clean": -1.64}
LEVEL_TOLERANCE_DB = 1.0


@pytest.fixture(scope="module")
def golden():
    clean, _ = sf.read(DATA / "golden_clean.flac", dtype="float32")
    noisy, _ = sf.read(DATA / "golden_noisy.flac", dtype="float32")
    enhanced = malenhance.enhance_array(malenhance.load_model(), noisy, 16000)
    return clean, noisy, enhanced


def _frame_power(audio, frame=320):
    count = len(audio) // frame
    return (np.asarray(audio[: count * frame], np.float64).reshape(count, frame) ** 2).mean(1)


def test_bundled_model_keeps_the_speech_level(golden):
    clean, noisy, enhanced = golden
    power = {name: _frame_power(x) for name, x in
             (("clean", clean), ("input", noisy), ("output", enhanced))}
    clean_db = 10 * np.log10(power["clean"] + 1e-12)
    active = clean_db > clean_db.max() - 40

    def level(name):
        return 10 * np.log10(power[name][active].mean())

    got = {"vs_input": level("output") - level("input"),
           "vs_clean": level("output") - level("clean")}
    for name, value in PINNED_LEVEL_DB.items():
        assert got[name] == pytest.approx(value, abs=LEVEL_TOLERANCE_DB), got


def test_bundled_model_golden_numbers(golden):
    clean, noisy, enhanced = golden
    scores = _scores(clean, enhanced)
    for name, value in PINNED.items():
        assert scores[name] == pytest.approx(value, abs=TOLERANCE[name]), (name, scores)
    before = _scores(clean, noisy)
    assert all(scores[name] > before[name] for name in PINNED)
