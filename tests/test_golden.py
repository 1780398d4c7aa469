"""Golden numbers: the bundled default model's scores on a fixed clip (tests/data).

A change to the model, the weights or the enhancement pipeline that moves these numbers
must be deliberate: re-pin them and say why in the commit. The clip is espeak-ng speech
plus pink noise and hum at 2.5 dB SNR, stored as FLAC so that it does not depend on the
espeak-ng version installed.
"""

from pathlib import Path

import pytest
import soundfile as sf

import malenhance
from malenhance.scoring import metrics

DATA = Path(__file__).parent / "data"
PINNED = {"pesq_wb": 1.5421, "estoi": 0.6769, "si_sdr": 10.617}
TOLERANCE = {"pesq_wb": 0.02, "estoi": 0.005, "si_sdr": 0.05}


def _scores(clean, audio):
    return {
        "pesq_wb": metrics.pesq_score(clean, audio, 16000, mode="wb"),
        "estoi": metrics.stoi_score(clean, audio, 16000, extended=True),
        "si_sdr": metrics.si_sdr(clean, audio),
    }


def test_bundled_model_golden_numbers():
    clean, _ = sf.read(DATA / "golden_clean.flac", dtype="float32")
    noisy, _ = sf.read(DATA / "golden_noisy.flac", dtype="float32")
    enhanced = malenhance.enhance_array(malenhance.load_model(), noisy, 16000)
    scores = _scores(clean, enhanced)
    for name, value in PINNED.items():
        assert scores[name] == pytest.approx(value, abs=TOLERANCE[name]), (name, scores)
    before = _scores(clean, noisy)
    assert all(scores[name] > before[name] for name in PINNED)
