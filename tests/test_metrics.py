"""Metrics: identical to the reference libraries, maxima for identical signals, NaN with a
reason for what cannot be scored, and the vectorised composite equal to the loop version."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pesq import pesq
from pystoi import stoi

from malenhance.scoring import composite
from malenhance.scoring.metrics import (
    DNSMOS_METRICS,
    INTRUSIVE_METRICS,
    align,
    dnsmos_scores,
    intrusive_scores,
    metric_versions,
    pesq_mode,
    pesq_score,
    resample,
    si_sdr,
    stoi_score,
)
from tests.composite_reference import composite_loop, llr_loop, segsnr_loop, wss_loop
from tests.speech import SENTENCES, mix, noise_like, speech


@pytest.fixture(scope="module")
def pair16() -> tuple[np.ndarray, np.ndarray]:
    clean = speech(SENTENCES[1]).astype(np.float64)
    return clean, mix(clean.astype(np.float32), 5.0, seed=3).astype(np.float64)


@pytest.fixture(scope="module")
def pair8(pair16) -> tuple[np.ndarray, np.ndarray]:
    clean, noisy = pair16
    return resample(clean, 16000, 8000), resample(noisy, 16000, 8000)


def test_pesq_equals_the_pesq_package(pair16, pair8):
    assert pesq_score(*pair16, 16000) == pesq(16000, *pair16, "wb")
    assert pesq_score(*pair8, 8000) == pesq(8000, *pair8, "nb")
    assert pesq_mode(48000) == "wb" and pesq_mode(11025) == "nb"


def test_stoi_and_estoi_equal_pystoi(pair16):
    # pystoi varies in the last bit between identical calls (numpy's SIMD sums depend on
    # where temporaries land in memory): equal to 1e-12, not bit for bit.
    assert stoi_score(*pair16, 16000) == pytest.approx(stoi(*pair16, 16000), rel=1e-12)
    assert stoi_score(*pair16, 16000, extended=True) == pytest.approx(
        stoi(*pair16, 16000, extended=True), rel=1e-12)


def test_si_sdr_of_a_known_mixture():
    clean = speech(SENTENCES[0]).astype(np.float64)
    noise = noise_like(len(clean), seed=1).astype(np.float64)
    # Noise orthogonal to the clean signal (after the mean removal) gives exactly its SNR.
    centred = clean - clean.mean()
    noise -= noise.mean()
    noise -= np.dot(noise, centred) / np.dot(centred, centred) * centred
    noise *= np.linalg.norm(centred) / np.linalg.norm(noise) / 10 ** (7.0 / 20)
    assert si_sdr(3.0 * (clean + noise), clean) == pytest.approx(7.0, abs=1e-9)


def test_si_sdr_takes_the_estimate_first_in_scoring_and_in_training():
    """One argument order everywhere, ``(estimate, reference)``, pinned on both functions.

    SI-SDR is symmetric for two signals with energy (it is ``rho^2 / (1 - rho^2)`` of their
    correlation), so the case that tells the order apart is a silent signal: a silent
    estimate scores 0 dB against a real reference, while a silent reference cannot be
    scored against at all (an error here, a huge negative value in the training loss).
    """
    import torch

    from malenhance.errors import MetricError
    from malenhance.training.losses import si_sdr as loss_si_sdr

    reference = np.random.default_rng(0).standard_normal(4000)
    silent = np.zeros_like(reference)
    assert si_sdr(silent, reference) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(MetricError, match="reference has no energy"):
        si_sdr(reference, silent)
    ref_t, silent_t = torch.from_numpy(reference)[None], torch.from_numpy(silent)[None]
    assert float(loss_si_sdr(silent_t, ref_t)[0]) == pytest.approx(0.0, abs=1e-6)
    assert float(loss_si_sdr(ref_t, silent_t)[0]) < -100.0


def test_identical_signals_give_the_maxima(pair16, pair8):
    clean16, _ = pair16
    wide = intrusive_scores(clean16, clean16.copy(), 16000).values
    assert wide["pesq_wb"] == pytest.approx(4.644, abs=1e-3)
    assert math.isnan(wide["pesq_nb"])
    assert wide["stoi"] == pytest.approx(1.0, abs=1e-6)
    assert wide["estoi"] == pytest.approx(1.0, abs=1e-6)
    assert wide["si_sdr"] > 100
    assert (wide["csig"], wide["cbak"], wide["covl"]) == (5.0, 5.0, 5.0)
    narrow = intrusive_scores(pair8[0], pair8[0].copy(), 8000).values
    assert narrow["pesq_nb"] == pytest.approx(4.549, abs=1e-3)
    assert math.isnan(narrow["pesq_wb"])


def test_less_noise_scores_better_on_every_metric():
    clean = speech(SENTENCES[2]).astype(np.float64)
    worse, better = (
        intrusive_scores(clean, mix(clean.astype(np.float32), snr, seed=5).astype(np.float64),
                         16000).values
        for snr in (0.0, 15.0)
    )
    for name in ("pesq_wb", "stoi", "estoi", "si_sdr", "cbak", "covl"):
        assert better[name] > worse[name], name


def test_composite_equals_the_frame_loop_reference(pair16, pair8):
    for (clean, noisy), rate in ((pair16, 16000), (pair8, 8000)):
        # A faint noise floor keeps every frame away from the ill-conditioned LPC of
        # digital silence, where both implementations return rounding noise.
        floor = 1e-4 * noise_like(len(clean), seed=9, rate=rate)
        clean, noisy = clean + floor, noisy + 0.5 * floor
        value = pesq_score(clean, noisy, rate)
        expected = composite_loop(clean, noisy, rate, value)
        got = composite.composite_scores(clean, noisy, rate, value)
        for name in ("csig", "cbak", "covl"):
            assert got[name] == pytest.approx(expected[name], rel=1e-9, abs=1e-9), (rate, name)
        assert 1.0 < got["cbak"] < 5.0  # not clipped: the regressions were exercised
        a, b = clean + composite.EPS, noisy + composite.EPS
        np.testing.assert_allclose(composite.llr(a, b, rate), llr_loop(a, b, rate), rtol=1e-7)
        np.testing.assert_allclose(composite.wss(a, b, rate), wss_loop(a, b, rate), rtol=1e-9)
        np.testing.assert_allclose(
            composite.segmental_snr(a, b, rate), segsnr_loop(a, b, rate), rtol=1e-9, atol=1e-12
        )


def test_composite_handles_digital_silence_like_the_reference(pair16):
    clean, noisy = pair16  # espeak pads with exact zeros
    value = pesq_score(clean, noisy, 16000)
    expected = composite_loop(clean, noisy, 16000, value)
    got = composite.composite_scores(clean, noisy, 16000, value)
    for name in ("csig", "cbak", "covl"):
        assert got[name] == pytest.approx(expected[name], abs=0.01), name


def test_composite_blocks_give_the_same_result(monkeypatch, pair16):
    clean, noisy = pair16
    whole = composite.wss(clean, noisy, 16000)
    monkeypatch.setattr(composite, "BLOCK_FRAMES", 7)
    np.testing.assert_allclose(composite.wss(clean, noisy, 16000), whole, rtol=1e-12)


def test_silent_reference_gives_nan_and_a_reason(pair16):
    _, noisy = pair16
    scores = intrusive_scores(np.zeros_like(noisy), noisy, 16000)
    assert all(math.isnan(scores.values[name]) for name in INTRUSIVE_METRICS)
    assert scores.notes == ["intrusive metrics not computed: reference is silent"]


def test_too_short_reference_gives_nan_and_a_reason(pair16):
    clean, noisy = pair16
    scores = intrusive_scores(clean[:2000], noisy[:2000], 16000)
    assert all(math.isnan(v) for v in scores.values.values())
    assert "reference too short (0.125 s < 0.25 s)" in scores.notes[0]


def test_too_little_speech_for_stoi_is_nan_with_a_reason_while_pesq_still_scores(pair16):
    clean, noisy = pair16
    start = int(np.argmax(np.abs(clean) > 0.05))
    part = slice(start, start + 5000)  # 0.31 s: enough for PESQ, not for STOI's 30 frames
    scores = intrusive_scores(clean[part], noisy[part], 16000)
    assert math.isfinite(scores.values["pesq_wb"])
    assert math.isnan(scores.values["stoi"]) and math.isnan(scores.values["estoi"])
    assert any(note.startswith("STOI: less than 384 ms") for note in scores.notes)


def test_align_trims_resamples_and_downmixes_with_notes():
    ref = np.ones((16000, 2), dtype=np.float32) * 0.1
    est = np.ones(8100, dtype=np.float32) * 0.1
    r, e, rate, notes = align(ref, 16000, est, 8000)
    assert rate == 16000 and len(r) == len(e) == 16000
    assert r.ndim == e.ndim == 1
    assert any("channel counts differ" in n for n in notes)
    assert any("resampled from 8000 Hz" in n for n in notes)
    assert any("both trimmed to 16000" in n for n in notes)
    r, e, _, notes = align(ref[:, 0], 16000, ref[:100, 0], 16000)
    assert len(r) == len(e) == 100 and notes == [
        "length differs (100 vs reference 16000 samples): both trimmed to 100"
    ]


def test_metric_versions_names_the_scoring_packages():
    versions = metric_versions()
    assert versions["pesq"][0].isdigit() and versions["pystoi"][0].isdigit()
    assert {"speechmos", "onnxruntime"} <= set(versions)


@pytest.mark.slow
def test_dnsmos_rates_clean_speech_above_noisy_speech(pair16):
    clean, noisy = pair16
    good = dnsmos_scores(clean, 16000, threads=1)
    bad = dnsmos_scores(noisy, 16000, threads=1)
    assert set(good.values) == set(DNSMOS_METRICS)
    assert good.values["dnsmos_bak"] > bad.values["dnsmos_bak"] + 0.5
    assert good.values["dnsmos_ovrl"] > bad.values["dnsmos_ovrl"]
    assert all(1.0 <= v <= 5.0 for v in good.values.values())
    short = dnsmos_scores(clean[:100], 16000)
    assert all(math.isnan(v) for v in short.values.values()) and short.notes
