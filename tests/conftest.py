from __future__ import annotations

import pytest
import soundfile as sf

from tests.speech import SENTENCES, mix, speech


@pytest.fixture(scope="session")
def clean_speech():
    """Three seconds-ish of espeak-ng speech at 16 kHz."""
    return speech(SENTENCES[0])


@pytest.fixture
def noisy_wav(tmp_path, clean_speech):
    """A noisy 16 kHz PCM_16 WAV file on disk (5 dB SNR) and its clean reference."""
    path = tmp_path / "noisy.wav"
    sf.write(path, mix(clean_speech, 5.0), 16000, subtype="PCM_16")
    return path, clean_speech


@pytest.fixture
def own_engine_cache(tmp_path, monkeypatch):
    """The test builds ONNX graphs into its own cache folder, on the default engine."""
    from malenhance import light

    monkeypatch.setenv(light.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(light.ENGINE_ENV, raising=False)


TINY_CONFIG = dict(channels=(8, 8, 8, 8), rnn_hidden=16, rnn_layers=1)


@pytest.fixture(scope="session")
def tiny_model():
    """A small untrained model: fast, deterministic, enough for plumbing tests."""
    import torch

    from malenhance.model import MalNet

    torch.manual_seed(0)
    return MalNet(**TINY_CONFIG).eval()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tiny_model):
    from malenhance.hub import save_model_dir

    return save_model_dir(tiny_model, tmp_path_factory.mktemp("models") / "tiny")
