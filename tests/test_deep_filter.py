"""The deep filter (``df_order > 1``): growing a trained model, streaming, ONNX, training;
and growing a trained model's GRU (``with_rnn_hidden``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from malenhance.errors import TrainingError
from malenhance.export import export_onnx, onnx_session, run_streaming_onnx, state_names
from malenhance.model import MalNet
from malenhance.streaming import Streamer
from malenhance.training import TrainConfig, train
from tests.speech import mix, speech
from tests.train_data import make_paired

TINY = dict(channels=(8, 8, 8, 8), rnn_hidden=16, rnn_layers=1)


def _noisy(seconds: float = 1.5) -> torch.Tensor:
    clean = speech()[: int(seconds * 16000)]
    wav = mix(clean, 5.0)
    return torch.from_numpy(np.asarray(wav, dtype=np.float32)).unsqueeze(0)


def _trained_like(seed: int = 0) -> MalNet:
    """A tiny model whose weights are not at their init scale (as after training)."""
    torch.manual_seed(seed)
    model = MalNet(**TINY)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return model.eval()


def test_growing_keeps_the_output_and_lets_the_new_taps_learn():
    model = _trained_like()
    grown = model.with_df_order(3).eval()
    wav = _noisy()
    with torch.no_grad():
        before, after = model(wav), grown(wav)
    change = (after - before).pow(2).sum() / before.pow(2).sum()
    assert 10 * torch.log10(change) < -40  # starts as the model it grew from
    grown.train()
    grown(wav).pow(2).mean().backward()
    weight_grad = grown.decoder[0].conv.conv.weight.grad
    n_old = model.decoder[0].conv.conv.weight.shape[0]
    assert weight_grad[n_old:].abs().sum() > 0  # at exactly zero the taps would get none


def test_cannot_shrink_and_rejects_order_zero():
    with pytest.raises(ValueError, match="cannot shrink"):
        MalNet(**TINY, df_order=3).with_df_order(2)
    with pytest.raises(ValueError, match="df_order"):
        MalNet(**TINY, df_order=0)


def test_taps_reach_back_in_time_and_only_back():
    model = MalNet(**TINY, df_order=3).eval()
    wav = _noisy()
    cut = 8000
    changed = wav.clone()
    changed[:, cut:] += 0.1 * torch.randn(1, wav.shape[1] - cut)
    with torch.no_grad():
        a, b = model(wav), model(changed)
    # causal: nothing before the change (minus one window of overlap) moves
    assert torch.allclose(a[:, : cut - model.n_fft], b[:, : cut - model.n_fft], atol=1e-6)


def test_encode_works_with_the_filter_history_in_the_state():
    # The GRU state used to be read as the last state entry, which the filter history takes.
    model = MalNet(**TINY, df_order=2)
    feats = model.encode(_noisy(0.5))
    assert feats[-1].shape[-1] == TINY["rnn_hidden"]


def streamed_in_odd_chunks(model: MalNet, wav: torch.Tensor) -> torch.Tensor:
    """``wav`` (1, L) through a :class:`Streamer` in blocks of uneven sizes, flushed."""
    streamer = Streamer(model)
    pieces, start = [], 0
    for size in (1, 159, 161, 500, 3333):
        pieces.append(streamer.process(wav[0, start : start + size]))
        start += size
    pieces.append(streamer.process(wav[0, start:]))
    pieces.append(streamer.flush())
    return torch.cat(pieces)


def test_streaming_in_odd_chunks_equals_the_whole_utterance():
    model = _trained_like().with_df_order(3).eval()
    wav = _noisy()
    with torch.no_grad():
        whole = model(wav)[0]
    assert torch.allclose(streamed_in_odd_chunks(model, wav), whole, atol=1e-5)


@pytest.mark.parametrize("kind", ["streaming", "utterance"])
def test_onnx_graphs_carry_the_filter(tmp_path, kind):
    model = _trained_like().with_df_order(3).eval()
    path = tmp_path / f"{kind}.onnx"
    assert export_onnx(model, path, kind) <= 1e-4
    session = onnx_session(path)
    if kind == "streaming":
        inputs = [i.name for i in session.get_inputs()]
        assert inputs[-1] == "df_history" and state_names(model)[-1] == "df_history"
        wav = _noisy()[0].numpy()
        out = run_streaming_onnx(session, wav, model.hop)
        with torch.no_grad():
            reference = model(torch.from_numpy(wav)[None])[0].numpy()
        assert np.abs(out - reference).max() < 1e-4


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_paired(tmp_path_factory.mktemp("df-data"), count=6, snr_db=0.0)


def _config(data: Path, output: Path, init: Path, **overrides) -> TrainConfig:
    options = dict(
        data=data, output=output, stage1_steps=0, stage2_steps=2, mal_variant="frozen",
        mal_weight=1.0, mal_layers="all", init=str(init), model_config={"df_order": 2},
        batch_size=2, segment_seconds=0.5, valid_every=0, valid_max_items=2,
        valid_seconds=1.0, valid_share=0.2, warmup_steps=1, workers=0, device="cpu",
        best_metric="si_sdr", checkpoint_every=1000,
    )
    options.update(overrides)
    return TrainConfig.from_flat(**options)


def test_training_grows_an_initial_model_and_resumes(data, tmp_path):
    init = tmp_path / "init"
    _trained_like().save_pretrained(init, config=_trained_like().config())
    out = tmp_path / "grown"
    train(_config(data, out, init, stop_after=1))
    train(_config(data, out, init, resume=True))
    grown = MalNet.from_pretrained(out)
    assert grown.df_order == 2 and list(grown.channels) == list(TINY["channels"])


def test_training_refuses_other_settings_with_init_and_shrinking(data, tmp_path):
    init = tmp_path / "init"
    wide = MalNet(**TINY, df_order=3)
    wide.save_pretrained(init, config=wide.config())
    with pytest.raises(TrainingError, match="only set df_order, rnn_hidden and level_norm"):
        _config(data, tmp_path / "a", init, model_config={"channels": [4, 4, 4, 4]}).check()
    with pytest.raises(TrainingError, match="cannot shrink"):
        train(_config(data, tmp_path / "b", init))
    assert not (tmp_path / "b").exists()  # a run that cannot start leaves no folder


def test_widening_the_gru_keeps_the_output_and_lets_the_new_units_learn():
    model = _trained_like()
    wide = model.with_rnn_hidden(24).eval()
    assert wide.rnn_hidden == 24 and wide.config()["rnn_hidden"] == 24
    wav = _noisy()
    with torch.no_grad():
        before, after = model(wav), wide(wav)
    change = (after - before).pow(2).sum() / before.pow(2).sum()
    assert 10 * torch.log10(change) < -40  # starts as the model it grew from
    assert change > 0  # the new units already speak, faintly
    wide.train()
    wide(wav).pow(2).mean().backward()
    old = model.rnn_hidden
    assert wide.rnn_out.weight.grad[:, old:].abs().sum() > 0  # out of the new units
    assert wide.rnn.weight_hh_l0.grad[old:24].abs().sum() > 0  # into them (gate r)
    assert wide.rnn_in.weight.grad[old:].abs().sum() > 0


def test_widening_refuses_to_shrink():
    with pytest.raises(ValueError, match="cannot shrink rnn_hidden"):
        _trained_like().with_rnn_hidden(8)


def test_training_widens_an_initial_model_and_resumes(data, tmp_path):
    init = tmp_path / "init"
    _trained_like().save_pretrained(init, config=_trained_like().config())
    out = tmp_path / "wide"
    options = {"model_config": {"rnn_hidden": 24}}
    train(_config(data, out, init, stop_after=1, **options))
    train(_config(data, out, init, resume=True, **options))
    wide = MalNet.from_pretrained(out)
    assert wide.rnn_hidden == 24 and wide.df_order == 1
