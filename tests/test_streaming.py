import itertools

import numpy as np
import pytest
import soxr
import torch

from malenhance.model import MalNet
from malenhance.resample import StreamResampler
from malenhance.streaming import Streamer


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return MalNet(channels=(8, 8, 8, 8), rnn_hidden=16, rnn_layers=1).eval()


@pytest.mark.parametrize("chunk", [1, 160, 161, 999, 16000])
@pytest.mark.parametrize("length", [1, 333, 16037])
def test_streaming_equals_offline(model, chunk, length):
    x = torch.randn(2, length)
    with torch.no_grad():
        reference = model(x)
    streamer = Streamer(model, batch=2)
    parts = [streamer.process(x[:, i : i + chunk]) for i in range(0, length, chunk)]
    out = torch.cat([*parts, streamer.flush()], dim=1)
    assert out.shape == reference.shape
    assert (out - reference).abs().max() < 1e-4


def test_streamer_accepts_1d_chunks_and_resets_after_flush(model):
    x = torch.randn(5000)
    streamer = Streamer(model)
    first = torch.cat([streamer.process(x[:2500]), streamer.process(x[2500:]), streamer.flush()])
    second = torch.cat([streamer.process(x), streamer.flush()])
    assert first.shape == (5000,)
    assert torch.allclose(first, second, atol=1e-6)


@pytest.mark.parametrize(
    "orig,new", [(44100, 16000), (16000, 44100), (8000, 16000), (48000, 16000), (11025, 16000),
                 (16000, 22050)]
)
@pytest.mark.parametrize("chunk", [1, 441, 10000])
def test_chunked_resampling_equals_whole_signal(orig, new, chunk):
    x = np.random.default_rng(0).standard_normal((2, 12345)).astype(np.float32)
    reference = soxr.resample(x.T, orig, new, quality=StreamResampler.QUALITY).T
    resampler = StreamResampler(orig, new)
    parts = [resampler.push(x[:, i : i + chunk]) for i in range(0, x.shape[1], chunk)]
    out = np.concatenate([*parts, resampler.flush()], axis=1)
    assert out.shape == (2, -(-12345 * new // orig)) == reference.shape
    assert np.abs(out - reference).max() < 1e-5
    # ready for a new stream after flush
    again = np.concatenate([resampler.push(x), resampler.flush()], axis=1)
    assert np.abs(again - reference).max() < 1e-5


def test_streaming_the_bundled_model_on_speech_equals_offline():
    """The trained model on real speech, fed in irregular chunks: one sample, one frame
    (160), odd sizes and a long one, cycling."""
    import numpy as np

    from malenhance.hub import load_model
    from tests.speech import SENTENCES, mix, speech

    trained = load_model()
    x = torch.from_numpy(mix(speech(SENTENCES[3]), 0.0, seed=5))
    with torch.inference_mode():
        reference = trained(x[None])[0]
    streamer = Streamer(trained)
    sizes = itertools.cycle([1, 160, 7, 333, 159, 161, 4001])
    parts, start = [], 0
    while start < len(x):
        size = next(sizes)
        parts.append(streamer.process(x[start : start + size]))
        start += size
    out = torch.cat([*parts, streamer.flush()])
    assert out.shape == reference.shape
    assert (out - reference).abs().max() < 1e-4
    assert np.isfinite(out.numpy()).all()
