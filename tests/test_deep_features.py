"""The deep-feature loss (a pretrained speech network's features), MAL's baseline."""

from __future__ import annotations

import json

import pytest
import torch

from malenhance.errors import TrainingError
from malenhance.training import TrainConfig, train
from malenhance.training.deep_features import DeepFeatureLoss, compressed_spectrogram
from malenhance.training.losses import input_snr_db
from tests.speech import speech
from tests.train_data import make_paired

distillmos = pytest.importorskip("distillmos")  # installed by `make install`


@pytest.fixture(scope="module")
def loss() -> DeepFeatureLoss:
    return DeepFeatureLoss("distillmos")


def test_front_end_matches_the_networks_own(loss):
    from distillmos.sqa import _complex_compressed

    wav = torch.from_numpy(speech()[:32000].copy()).float()[None]
    theirs = _complex_compressed(wav, 160, 320).permute(0, 3, 1, 2)
    assert torch.allclose(compressed_spectrogram(wav), theirs, atol=1e-6)


def test_zero_for_identical_audio_positive_for_noise_finite_gradient_on_silence(loss):
    clean = torch.from_numpy(speech()[:32000].copy()).float()[None]
    clean[:, 8000:16000] = 0.0  # digital silence once made the gradient NaN
    assert loss(clean, clean).item() == 0.0
    noisy = (clean + 0.01 * torch.randn_like(clean)).requires_grad_()
    louder_noise = clean + 0.1 * torch.randn_like(clean)
    value = loss(noisy, clean)
    assert 0.0 < value.item() < loss(louder_noise, clean).item()
    value.sum().backward()
    assert torch.isfinite(noisy.grad).all() and noisy.grad.abs().sum() > 0


def test_network_stays_frozen_and_in_eval_mode(loss):
    loss.train()
    assert not loss.network.training
    assert not any(p.requires_grad for p in loss.network.parameters())


def test_stage2_with_the_deep_feature_loss_logs_it_and_names_it_in_the_card(tmp_path):
    data = make_paired(tmp_path / "data", count=6, snr_db=0.0)
    config = TrainConfig.from_flat(
        data=data, output=tmp_path / "run", stage1_steps=1, stage2_steps=1, mal_weight=0.0,
        loss_network="distillmos", loss_network_weight=2.0,
        model_config={"channels": [8, 8, 8, 8], "rnn_hidden": 32}, batch_size=1,
        segment_seconds=0.5, valid_every=0, valid_max_items=1, valid_seconds=1.0,
        valid_share=0.2, log_every=1, warmup_steps=1, workers=0, device="cpu")
    assert train(config).step == 2
    records = [json.loads(line) for line in (tmp_path / "run" / "train_log.jsonl").open()]
    stage2 = [r for r in records if r["type"] == "train" and r["stage"] == 2]
    assert stage2 and all(r["deep"] > 0 for r in stage2)
    card = (tmp_path / "run" / "README.md").read_text()
    assert "deep-feature loss: `distillmos` features, weight 2.0" in card


def test_unknown_network_and_negative_weight_are_refused(tmp_path):
    with pytest.raises(TrainingError, match="--loss-network"):
        TrainConfig.from_flat(data=tmp_path, output=tmp_path / "o", stage1_steps=1,
                              stage2_steps=0, loss_network="wavlm").check()
    with pytest.raises(TrainingError, match="loss-network-weight"):
        TrainConfig.from_flat(data=tmp_path, output=tmp_path / "o", stage1_steps=1,
                              stage2_steps=0, loss_network="distillmos",
                              loss_network_weight=-1.0).check()


def test_input_snr_is_each_inputs_own_and_infinite_without_noise():
    clean = torch.from_numpy(speech()[:16000].copy()).float()[None].repeat(3, 1)
    noise = torch.randn_like(clean)
    noise = noise * (clean.pow(2).sum(-1, keepdim=True) / noise.pow(2).sum(-1, keepdim=True)).sqrt()
    scale = torch.tensor([[1.0], [0.1], [0.0]])  # 0 dB, 20 dB, no noise
    snr = input_snr_db(clean + scale * noise, clean)
    assert torch.allclose(snr[:2], torch.tensor([0.0, 20.0]), atol=1e-3)
    assert snr[2] == float("inf")


@pytest.mark.parametrize("max_snr,applied", [(10.0, True), (-10.0, False)])
def test_the_deep_feature_term_is_applied_only_at_or_below_its_snr_limit(tmp_path, max_snr,
                                                                          applied):
    data = make_paired(tmp_path / "data", count=6, snr_db=0.0)  # every input at 0 dB
    config = TrainConfig.from_flat(
        data=data, output=tmp_path / "run", stage1_steps=1, stage2_steps=2, mal_weight=0.0,
        loss_network="distillmos", loss_network_max_snr=max_snr,
        model_config={"channels": [8, 8, 8, 8], "rnn_hidden": 32}, batch_size=2,
        segment_seconds=0.5, valid_every=0, valid_max_items=1, valid_seconds=1.0,
        valid_share=0.2, log_every=1, warmup_steps=1, workers=0, device="cpu")
    train(config)
    records = [json.loads(line) for line in (tmp_path / "run" / "train_log.jsonl").open()]
    deep = [r["deep"] for r in records if r["type"] == "train" and r["stage"] == 2]
    assert len(deep) == 2 and all((value > 0) == applied for value in deep)
    card = (tmp_path / "run" / "README.md").read_text()
    assert f"weight 1.0, on inputs at or below {max_snr} dB SNR" in card


def test_an_snr_limit_without_a_loss_network_is_refused(tmp_path):
    with pytest.raises(TrainingError, match="--loss-network-max-snr needs a --loss-network"):
        TrainConfig.from_flat(data=tmp_path, output=tmp_path / "o", stage1_steps=1,
                              stage2_steps=1, loss_network_max_snr=10.0).check()
