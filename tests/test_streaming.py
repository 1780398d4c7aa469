import pytest
import torch
import torchaudio.functional as AF

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
    "orig,new", [(44100, 16000), (16000, 44100), (8000, 16000), (48000, 16000), (11025, 16000)]
)
@pytest.mark.parametrize("chunk", [1, 441, 10000])
def test_chunked_resampling_equals_whole_signal(orig, new, chunk):
    x = torch.randn(2, 12345)
    reference = AF.resample(x, orig, new, lowpass_filter_width=6, rolloff=0.99)
    resampler = StreamResampler(orig, new)
    parts = [resampler.push(x[:, i : i + chunk]) for i in range(0, x.shape[1], chunk)]
    out = torch.cat([*parts, resampler.flush()], dim=1)
    assert out.shape == reference.shape
    assert (out - reference).abs().max() < 1e-5
