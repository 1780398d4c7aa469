"""The bottleneck GRU through onnxruntime on the CPU (malenhance.fast_gru)."""

from __future__ import annotations

import pytest
import torch

from malenhance import fast_gru, load_model
from malenhance.enhance import enhance_tensor
from malenhance.streaming import Streamer
from tests.speech import mix


@pytest.fixture
def gru():
    torch.manual_seed(3)
    return torch.nn.GRU(24, 24, 2, batch_first=True).eval()


@pytest.mark.parametrize("batch,frames", [(1, 1), (1, 137), (3, 40)])
def test_runner_matches_torch_gru(gru, batch, frames):
    z = torch.randn(batch, frames, 24)
    h0 = 0.5 * torch.randn(2, batch, 24)
    runner = fast_gru.runner_for(gru)
    assert runner is not None
    with torch.inference_mode():
        want_y, want_h = gru(z, h0)
    got_y, got_h = runner(z, h0)
    assert got_y.shape == want_y.shape and got_h.shape == want_h.shape
    assert torch.allclose(got_y, want_y, atol=1e-5)
    assert torch.allclose(got_h, want_h, atol=1e-5)


def test_runner_follows_weight_changes(gru):
    """A cached runner must never run stale weights (e.g. validation during training)."""
    z, h0 = torch.randn(1, 20, 24), torch.zeros(2, 1, 24)
    first = fast_gru.runner_for(gru)
    assert fast_gru.runner_for(gru) is first  # cached while nothing changes
    with torch.no_grad():
        gru.weight_hh_l1.mul_(-1.0)  # in place, as an optimizer step does
    second = fast_gru.runner_for(gru)
    assert second is not first
    with torch.inference_mode():
        want, _ = gru(z, h0)
    assert torch.allclose(second(z, h0)[0], want, atol=1e-5)


def test_torch_is_kept_where_the_runner_does_not_apply(gru, monkeypatch):
    assert fast_gru.runner_for(gru.double()) is None  # not float32
    assert fast_gru.runner_for(torch.nn.GRU(8, 8, batch_first=False)) is None
    assert fast_gru.runner_for(torch.nn.GRU(8, 8, 2, batch_first=True, dropout=0.5)) is None
    monkeypatch.setenv(fast_gru.DISABLE_ENV, "1")
    assert fast_gru.runner_for(torch.nn.GRU(8, 8, batch_first=True)) is None


def test_bundled_model_enhances_the_same_with_either_gru(clean_speech, monkeypatch):
    model = load_model("default")
    noisy = torch.from_numpy(mix(clean_speech, 0.0)).float()
    assert Streamer(model)._rnn is not None  # the CPU path really uses onnxruntime
    fast = enhance_tensor(model, noisy, 16000)
    monkeypatch.setenv(fast_gru.DISABLE_ENV, "1")
    assert Streamer(model)._rnn is None
    reference = enhance_tensor(model, noisy, 16000)
    assert (fast - reference).abs().max() < 1e-5 * max(reference.abs().max().item(), 1e-3) + 1e-6
    assert (fast - noisy).abs().max() > 1e-2  # it did enhance


def test_without_onnx_enhancement_falls_back_to_torch(monkeypatch, clean_speech):
    import sys

    monkeypatch.setitem(sys.modules, "onnx", None)  # as if onnx were not installed
    gru = torch.nn.GRU(8, 8, batch_first=True)  # a module with no cached runner
    assert fast_gru.runner_for(gru) is None
    model = load_model("default")
    fast_gru.forget(model.rnn)
    assert Streamer(model)._rnn is None
    noisy = torch.from_numpy(mix(clean_speech, 0.0)).float()
    assert torch.isfinite(enhance_tensor(model, noisy, 16000)).all()
