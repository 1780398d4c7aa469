"""Audio below the model's rate (8 kHz telephone speech, 11.025 kHz).

Resampled to 16 kHz, such audio has an empty upper band, which the model never saw in
training; before malenhance/band_fill.py the bundled model took the speech for noise there
and left 8 kHz audio worse than it came in (ESTOI 0.43 -> 0.34 on the golden clip).
"""

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import malenhance
from malenhance.band_fill import BandFill
from malenhance.enhance import EnhancePipeline
from malenhance.resample import StreamResampler
from malenhance.scoring import metrics

DATA = Path(__file__).parent / "data"


def _resample(audio: np.ndarray, rate: int) -> np.ndarray:
    resampler = StreamResampler(16000, rate)
    return np.concatenate([resampler.push(audio[None]), resampler.flush()], axis=1)[0]


def _resample_from(audio: np.ndarray, rate: int) -> np.ndarray:
    resampler = StreamResampler(rate, 16000)
    return np.concatenate([resampler.push(audio[None]), resampler.flush()], axis=1)[0]


@pytest.fixture(scope="module")
def model():
    return malenhance.load_model()


@pytest.mark.parametrize("rate", [8000, 11025])
def test_low_rate_speech_comes_out_better_than_it_went_in(model, rate):
    clean, _ = sf.read(DATA / "golden_clean.flac", dtype="float32")
    noisy, _ = sf.read(DATA / "golden_noisy.flac", dtype="float32")
    clean, noisy = _resample(clean, rate), _resample(noisy, rate)
    enhanced = malenhance.enhance_array(model, noisy, rate)
    assert enhanced.shape == noisy.shape
    # PESQ narrow-band at 8 kHz; 11.025 kHz goes to 16 kHz for wide-band PESQ.
    at_pesq_rate = (lambda x: x) if rate == 8000 else (lambda x: _resample_from(x, rate))
    pesq_rate, mode = (8000, "nb") if rate == 8000 else (16000, "wb")

    def scores(audio):
        return {"pesq": metrics.pesq_score(at_pesq_rate(clean), at_pesq_rate(audio), pesq_rate,
                                           mode=mode),
                "estoi": metrics.stoi_score(clean, audio, rate, extended=True)}

    before, after = scores(noisy), scores(enhanced)
    assert after["estoi"] > before["estoi"] + 0.05, (before, after)
    assert after["pesq"] > before["pesq"] + 0.3, (before, after)


def test_band_fill_is_the_same_whatever_the_chunking():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 16000)).astype(np.float32) * 0.1
    whole = BandFill(8000, 16000, 2).push(x)
    fill = BandFill(8000, 16000, 2)
    parts = np.concatenate([fill.push(x[:, a:b]) for a, b in
                            ((0, 1), (1, 700), (700, 700), (700, 16000))], axis=1)
    np.testing.assert_allclose(parts, whole, rtol=1e-5, atol=1e-7)


def test_band_fill_stays_above_the_input_band():
    x = np.zeros((1, 32000), np.float32)
    x[0] = 0.1 * np.sin(2 * np.pi * 440 * np.arange(32000) / 16000)
    added = BandFill(8000, 16000, 1).push(x)[0] - x[0]
    spectrum = np.abs(np.fft.rfft(added[16000:])) ** 2
    freqs = np.fft.rfftfreq(16000, 1 / 16000)
    below, above = spectrum[freqs < 3500].sum(), spectrum[freqs > 4500].sum()
    assert below < above * 1e-3
    level_db = 10 * np.log10(added[16000:].var() / x[0, 16000:].var())
    assert -22 < level_db < -18  # LEVEL_DB against the input's level


def test_pipeline_fills_only_below_the_model_rate(model):
    assert EnhancePipeline(model, 8000, 1).fill is not None
    assert EnhancePipeline(model, 16000, 1).fill is None
    assert EnhancePipeline(model, 48000, 2).fill is None
