"""The speech-only attenuation limit (``speech_lim_db``, ``--speech-lim``): the input is mixed
back in while someone speaks and nowhere else, the same however the signal is cut into
blocks, and refused when negative."""

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from malenhance.cli import app
from malenhance.enhance import enhance_signal
from malenhance.hub import bundled_models, load_model
from malenhance.light import load_for_inference
from malenhance.speech_gate import SpeechGate
from tests.speech import noise_like, sentences_with_pauses

RATE = 16000
runner = CliRunner()


@pytest.fixture(scope="module")
def default_model():
    return load_model("default")


@pytest.fixture(scope="module", params=sorted(bundled_models()))
def bundled_model(request):
    return load_for_inference(request.param)  # what `enhance` runs, an ensemble included


@pytest.fixture(scope="module")
def talk():
    """Two sentences with 1.5 s pauses around them, in steady noise at 5 dB SNR; the spans
    (samples) of the first sentence and of the pause after it."""
    clean, (said, second), pauses = sentences_with_pauses(1.5, RATE)
    noise = noise_like(len(clean), seed=1)
    voiced = np.concatenate([clean[said[0]:said[1]], clean[second[0]:second[1]]])
    gain = np.sqrt(np.mean(voiced**2) / (np.mean(noise**2) * 10 ** 0.5))
    pause = (said[1] + int(0.3 * RATE), pauses[1][1])  # after the 100 ms hold
    return (clean + gain * noise).astype(np.float32), said, pause


def test_the_input_comes_back_while_someone_speaks_and_not_in_the_pauses(bundled_model, talk):
    """Every bundled model: a model that leaves bursts of noise in the pauses opens the gate
    there (the first `real-noise` did, until its pause training)."""
    noisy, (start, end), (pause_start, pause_end) = talk
    full = enhance_signal(bundled_model, noisy, RATE)
    limited = enhance_signal(bundled_model, noisy, RATE, speech_lim_db=18.0)
    # in the pause after speech: exactly the full enhancement, noise taken away
    assert np.array_equal(limited[pause_start:pause_end], full[pause_start:pause_end])
    # while speaking: the input's share is 18 dB down (10^(-18/20) = 0.126) on most samples
    share = 10 ** (-18 / 20)
    expected = full[start:end] + share * (noisy[start:end] - full[start:end])
    close = np.abs(limited[start:end] - expected) <= 1e-4 + 1e-3 * np.abs(expected)
    assert close.mean() > 0.8, close.mean()
    # so the output keeps more of the input where speech is than the full enhancement does
    dry_corr = [np.corrcoef(out[start:end], noisy[start:end])[0, 1] for out in (full, limited)]
    assert dry_corr[1] > dry_corr[0]


def test_the_gate_is_the_same_whatever_the_blocks(default_model, talk):
    noisy = talk[0]
    whole = enhance_signal(default_model, noisy, RATE, speech_lim_db=12.0, block_seconds=30.0)
    blocks = enhance_signal(default_model, noisy, RATE, speech_lim_db=12.0, block_seconds=0.013)
    np.testing.assert_allclose(blocks, whole, atol=1e-6)
    one = SpeechGate(RATE).push(np.stack([noisy, noisy]))
    gate = SpeechGate(RATE)
    cut = np.concatenate([gate.push(np.stack([noisy[i:i + 777]] * 2))
                          for i in range(0, len(noisy), 777)])
    np.testing.assert_array_equal(cut, one)


def test_full_band_stereo_gets_one_gate_for_both_channels(default_model, talk):
    """At 48 kHz in stereo the gate runs on the output (both channels together): the same
    however the signal is cut, and the channels get the same share of their input."""
    import torch
    import torchaudio

    mono = torchaudio.functional.resample(torch.from_numpy(talk[0][: 4 * RATE]), RATE, 48000)
    stereo = np.stack([mono.numpy(), 0.5 * mono.numpy()])
    options = {"speech_lim_db": 18.0, "stereo_link": True}
    whole = enhance_signal(default_model, stereo, 48000, block_seconds=30.0, **options)
    blocks = enhance_signal(default_model, stereo, 48000, block_seconds=0.021, **options)
    np.testing.assert_allclose(blocks, whole, atol=1e-5)
    np.testing.assert_allclose(whole[1], 0.5 * whole[0], atol=1e-5)


def test_the_cli_option_limits_speech_and_refuses_a_negative_limit(tmp_path, talk):
    noisy = talk[0]
    src = tmp_path / "talk.wav"
    sf.write(src, noisy, RATE, subtype="FLOAT")
    out = tmp_path / "out.wav"
    result = runner.invoke(app, ["enhance", str(src), "-o", str(out), "--speech-lim", "18"])
    assert result.exit_code == 0, result.output
    audio, _ = sf.read(out, dtype="float32")
    np.testing.assert_allclose(audio, enhance_signal(load_model("default"), noisy, RATE,
                                                     speech_lim_db=18.0), atol=1e-6)
    negative = runner.invoke(app, ["enhance", str(src), "-o", str(tmp_path / "x.wav"),
                                   "--speech-lim", "-3"])
    assert negative.exit_code == 2 and not (tmp_path / "x.wav").exists()
    with pytest.raises(ValueError, match="positive number of dB"):
        enhance_signal(load_model("default"), noisy[:RATE], RATE, speech_lim_db=-1.0)
