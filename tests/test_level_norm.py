"""The level-normalised input (``MalNet(level_norm_s=...)``): what the network sees is lifted
towards a level, the filter still applies to the input as it is; streaming, ONNX, saving
and training with an initial model."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from malenhance.export import export_onnx, onnx_session, run_streaming_onnx, state_names
from malenhance.model import MalNet
from malenhance.training import train
from tests.speech import mix, speech
from tests.test_deep_filter import TINY, _config, _trained_like, streamed_in_odd_chunks
from tests.train_data import make_paired


def _noisy(seconds: float = 2.0, gain: float = 1.0) -> torch.Tensor:
    wav = mix(speech()[: int(seconds * 16000)], 5.0) * gain
    return torch.from_numpy(np.asarray(wav, dtype=np.float32)).unsqueeze(0)


def _level_dbfs(wav: torch.Tensor) -> float:
    return float(10 * torch.log10(wav.square().mean()))


def _lifted(model: MalNet, **settings: float) -> MalNet:
    return model.with_settings(level_norm_s=0.3, **settings).eval()


def test_quiet_input_reaches_the_network_at_the_target_level():
    model = _lifted(_trained_like())
    wav = _noisy()
    # -45 dBFS and 10 dB louder: every window under the target, none lifted by the full 30 dB
    quiet = wav * 10 ** ((-45 - _level_dbfs(wav)) / 20)
    skip = model.level_frames - 1  # the history starts at the target level
    spec = model.frames(quiet)
    seen, _ = model.input_features(spec.real, spec.imag, None)
    spec3 = model.frames(quiet * 3)
    seen3, _ = model.input_features(spec3.real, spec3.imag, None)
    # 10 dB apart at the input, the same to the network once the window holds only input
    assert torch.allclose(seen[:, :, skip:], seen3[:, :, skip:], atol=1e-4)
    plain = model.features_ri(spec.real, spec.imag)
    assert not torch.allclose(seen[:, :, skip:], plain[:, :, skip:], atol=1e-3)


def test_loud_input_is_left_as_the_plain_model_sees_it():
    base = _trained_like()
    model = _lifted(base, level_norm_dbfs=-60.0)  # every frame of this input is above it
    wav = _noisy()
    with torch.no_grad():
        assert torch.allclose(model(wav), base(wav), atol=1e-6)


def test_the_filter_applies_to_the_input_as_it_is():
    # Quiet input: the network sees it lifted, yet the output stays at the input's level
    model = _lifted(_trained_like())
    quiet = _noisy(gain=10 ** (-40 / 20))
    with torch.no_grad():
        out = model(quiet)
    assert _level_dbfs(out) < _level_dbfs(quiet) + 3


def test_the_lift_is_bounded():
    with pytest.raises(ValueError, match="level_norm"):
        MalNet(**TINY, level_norm_s=-1.0)
    model = _lifted(_trained_like(), level_norm_max_db=6.0)
    silent = 3e-5 * torch.randn(1, 16000, generator=torch.Generator().manual_seed(0))
    spec = model.frames(silent)
    seen, _ = model.input_features(spec.real, spec.imag, None)
    plain = model.features_ri(spec.real, spec.imag)
    ratio = (seen[:, 0, -1] / plain[:, 0, -1]).mean()  # compressed magnitude: gain ** 0.3
    assert ratio == pytest.approx(10 ** (6 * model.compress / 20), rel=1e-3)


def test_streaming_in_odd_chunks_equals_the_whole_utterance():
    model = _lifted(_trained_like())
    wav = _noisy()
    wav[:, 8000:16000] *= 0.01  # a quiet stretch the lift acts on
    with torch.no_grad():
        whole = model(wav)[0]
    assert torch.allclose(streamed_in_odd_chunks(model, wav), whole, atol=1e-5)


@pytest.mark.parametrize("kind", ["streaming", "block", "utterance"])
def test_onnx_graphs_carry_the_level_history(tmp_path, kind):
    model = _lifted(_trained_like())
    path = tmp_path / f"{kind}.onnx"
    assert export_onnx(model, path, kind) <= 1e-4
    if kind == "streaming":
        session = onnx_session(path)
        assert [i.name for i in session.get_inputs()][-1] == "level_history"
        assert state_names(model)[-1] == "level_history"
        wav = _noisy()[0].numpy()
        wav[8000:16000] *= 0.01
        out = run_streaming_onnx(session, wav, model.hop)
        with torch.no_grad():
            reference = model(torch.from_numpy(wav)[None])[0].numpy()
        assert np.abs(out - reference).max() < 1e-4


def test_saved_settings_load_back_and_models_without_them_save_as_before(tmp_path):
    base = _trained_like()
    assert not any(key.startswith("level_norm") for key in base.config())
    model = _lifted(base, level_norm_dbfs=-30.0)
    model.save_pretrained(tmp_path, config=model.config())
    saved = json.loads((tmp_path / "config.json").read_text())
    assert saved["level_norm_s"] == 0.3 and saved["level_norm_dbfs"] == -30.0
    loaded = MalNet.from_pretrained(tmp_path).eval()
    wav = _noisy(gain=0.01)
    with torch.no_grad():
        assert torch.equal(loaded(wav), model(wav))
    with pytest.raises(ValueError, match="not a setting without weights"):
        base.with_settings(rnn_hidden=8)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_paired(tmp_path_factory.mktemp("level-data"), count=6, snr_db=0.0)


def test_training_from_an_initial_model_turns_the_setting_on_and_resumes(data, tmp_path):
    init = tmp_path / "init"
    _trained_like().save_pretrained(init, config=_trained_like().config())
    out = tmp_path / "lifted"
    options = {"model_config": {"level_norm_s": 0.3}}
    train(_config(data, out, init, stop_after=1, **options))
    train(_config(data, out, init, resume=True, **options))
    trained = MalNet.from_pretrained(out)
    assert trained.level_norm_s == 0.3 and trained.rnn_hidden == TINY["rnn_hidden"]
