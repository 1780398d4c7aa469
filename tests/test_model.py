import json

import pytest
import torch

from malenhance.hub import load_model_dir, save_model_dir
from malenhance.model import MalNet

TINY = dict(channels=(8, 8, 8, 8), rnn_hidden=16, rnn_layers=1)


@pytest.mark.parametrize("length", [1, 159, 160, 161, 320, 4801])
def test_output_length_equals_input_length(length):
    model = MalNet(**TINY).eval()
    with torch.no_grad():
        assert model(torch.randn(2, length)).shape == (2, length)


def test_framing_reconstructs_exactly():
    model = MalNet(**TINY)
    x = torch.randn(3, 12345)
    assert torch.allclose(model.overlap_add(model.frames(x), x.shape[-1]), x, atol=1e-5)


def test_encode_returns_every_depth_with_bottleneck_last():
    model = MalNet(**TINY)
    x = torch.randn(2, 16000)
    feats = model.encode(x)
    frames = model.num_frames(16000)
    assert len(feats) == len(TINY["channels"]) + 1
    for feat, channels in zip(feats[:-1], TINY["channels"], strict=True):
        assert feat.shape[:3] == (2, channels, frames)
    assert feats[-1].shape == (2, frames, TINY["rnn_hidden"])


def test_model_is_causal():
    """Changing the future must not change the past beyond one window of latency."""
    torch.manual_seed(0)
    model = MalNet(**TINY).eval()
    x = torch.randn(1, 8000)
    y = x.clone()
    y[:, 6000:] = torch.randn(1, 2000)
    with torch.no_grad():
        a, b = model(x), model(y)
    cut = 6000 - model.latency_samples
    assert torch.allclose(a[:, :cut], b[:, :cut], atol=1e-6)
    assert not torch.allclose(a[:, 6000:], b[:, 6000:])


def test_save_load_round_trip_is_strict(tmp_path):
    torch.manual_seed(0)
    model = MalNet(**TINY).eval()
    save_model_dir(model, tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["channels"] == [8, 8, 8, 8]
    loaded = load_model_dir(tmp_path / "m")
    x = torch.randn(1, 4000)
    with torch.no_grad():
        assert torch.equal(model(x), loaded(x))


def test_default_size_is_about_one_million_parameters():
    params = sum(p.numel() for p in MalNet().parameters())
    assert 0.8e6 < params < 2.0e6


def test_rejects_wrong_rank():
    with pytest.raises(ValueError, match="batch, samples"):
        MalNet(**TINY)(torch.randn(16000))


@pytest.mark.parametrize("df_order", [1, 3])
def test_filtered_parts_add_up_to_the_enhanced_output(df_order):
    """forward(noisy, also=clean) applies the filter chosen for noisy to clean; the filter is
    linear, so the filtered speech and the filtered noise sum to the enhanced output."""
    torch.manual_seed(0)
    model = MalNet(df_order=df_order).eval()
    clean, noise = torch.randn(2, 8000) * 0.1, torch.randn(2, 8000) * 0.05
    noisy = clean + noise
    with torch.no_grad():
        enhanced = model(noisy)
        same, speech = model(noisy, clean)
        _, residual = model(noisy, noise)
        _, itself = model(noisy, noisy)
    assert torch.allclose(same, enhanced, atol=1e-6)
    assert torch.allclose(itself, enhanced, atol=1e-6)
    assert torch.allclose(speech + residual, enhanced, atol=1e-5)
    assert not torch.allclose(speech, enhanced, atol=1e-3)


def test_filtered_part_must_match_the_input_shape():
    with pytest.raises(ValueError, match="shape"):
        MalNet()(torch.zeros(1, 1600), torch.zeros(1, 800))
