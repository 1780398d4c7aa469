"""Ensembles (malenhance.ensemble): a folder with ensemble.json runs its members on the same
input and outputs their mean, through the same pipeline as one model, on either engine; bad
ensembles are refused with a message and nothing written."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from malenhance import light
from malenhance.cli import app
from malenhance.enhance import EnhancePipeline, enhance_signal
from malenhance.ensemble import ENSEMBLE_NAME, EnsembleEngine
from malenhance.errors import ModelError
from malenhance.hub import load_model, save_model_dir
from malenhance.scoring import metrics
from tests.conftest import TINY_CONFIG
from tests.speech import mix, speech

RATE = 16000
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("own_engine_cache")  # conftest.py


@pytest.fixture(scope="module")
def noisy_speech():
    clean = speech("The ensemble hears the same words twice.")
    return clean, mix(clean, 5.0)


def write_ensemble(folder, members):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ENSEMBLE_NAME).write_text(json.dumps({"members": members}))
    return folder


def test_the_bundled_ensemble_is_the_mean_of_its_members(noisy_speech):
    _, noisy = noisy_speech
    engine = light.load_engine("ensemble", threads=1)
    assert isinstance(engine, EnsembleEngine)
    together = enhance_signal(engine, noisy, RATE)
    apart = [enhance_signal(light.load_engine(name, threads=1), noisy, RATE)
             for name in ("default", "real-noise")]
    np.testing.assert_allclose(together, (apart[0] + apart[1]) / 2, atol=1e-6)
    assert np.abs(apart[0] - apart[1]).max() > 1e-3  # two different models, not one twice


def test_the_ensemble_enhances_noisy_speech(noisy_speech):
    clean, noisy = noisy_speech
    out = enhance_signal(light.load_engine("ensemble", threads=1), noisy, RATE)
    assert metrics.si_sdr(clean, out) > metrics.si_sdr(clean, noisy) + 3.0


def test_blocks_of_any_size_give_the_whole_signal_s_output(noisy_speech):
    _, noisy = noisy_speech
    engine = light.load_engine("ensemble", threads=1)
    whole = enhance_signal(engine, noisy, RATE)
    pipeline = EnhancePipeline(engine, RATE, 1)
    rng = np.random.default_rng(0)
    parts, start = [], 0
    while start < len(noisy):
        size = int(rng.integers(1, 4000))
        parts.append(pipeline.push(noisy[None, start:start + size]))
        start += size
    parts.append(pipeline.flush())
    np.testing.assert_allclose(np.concatenate(parts, axis=1)[0], whole, atol=1e-5)


def test_pytorch_runs_the_same_ensemble(noisy_speech, monkeypatch):
    _, noisy = noisy_speech
    onnx = enhance_signal(light.load_for_inference("ensemble", "cpu", 1), noisy, RATE)
    monkeypatch.setenv(light.ENGINE_ENV, "torch")
    engine = light.load_for_inference("ensemble", "cpu", 1)
    assert isinstance(engine, EnsembleEngine)
    np.testing.assert_allclose(enhance_signal(engine, noisy, RATE), onnx, atol=1e-4)


def test_an_ensemble_of_ensembles_runs_on_either_engine(tmp_path, noisy_speech, monkeypatch):
    _, noisy = noisy_speech
    outer = write_ensemble(tmp_path / "outer", ["ensemble", "default"])
    onnx = enhance_signal(light.load_for_inference(str(outer), "cpu", 1), noisy, RATE)
    members = [enhance_signal(light.load_engine(name, threads=1), noisy, RATE)
               for name in ("ensemble", "default")]
    np.testing.assert_allclose(onnx, (members[0] + members[1]) / 2, atol=1e-6)
    monkeypatch.setenv(light.ENGINE_ENV, "torch")
    torch_out = enhance_signal(light.load_for_inference(str(outer), "cpu", 1), noisy, RATE)
    np.testing.assert_allclose(torch_out, onnx, atol=1e-4)


def test_load_model_refuses_an_ensemble_and_names_its_members():
    with pytest.raises(ModelError, match="an ensemble of default, real-noise"):
        load_model("ensemble")


def test_members_in_folders_next_to_ensemble_json(tmp_path, tiny_model_dir, noisy_speech):
    _, noisy = noisy_speech
    folder = tmp_path / "pair"
    shutil.copytree(tiny_model_dir, folder / "one")
    import torch

    from malenhance.model import MalNet

    torch.manual_seed(1)
    save_model_dir(MalNet(**TINY_CONFIG).eval(), folder / "two")
    write_ensemble(folder, ["one", "two"])
    together = enhance_signal(light.load_engine(str(folder), threads=1), noisy, RATE)
    apart = [enhance_signal(light.load_engine(str(folder / m), threads=1), noisy, RATE)
             for m in ("one", "two")]
    np.testing.assert_allclose(together, (apart[0] + apart[1]) / 2, atol=1e-6)


def test_members_must_share_rate_and_framing(tmp_path, tiny_model_dir):
    import torch

    from malenhance.model import MalNet

    torch.manual_seed(0)
    wide = save_model_dir(MalNet(**TINY_CONFIG, n_fft=512, hop=256).eval(), tmp_path / "wide")
    folder = write_ensemble(tmp_path / "mixed", [str(tiny_model_dir), str(wide)])
    with pytest.raises(ModelError, match="share rate and framing"):
        light.load_engine(str(folder), threads=1)


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a JSON object"),
    ('["default", "real-noise"]', "not a JSON object"),
    ('{"members": ["default"]}', "at least two"),
    ('{"members": "default"}', "at least two"),
    ('{"members": ["default", "no-such-model"]}', "no-such-model"),
    ('{"members": [".", "default"]}', "nested more than"),
])
def test_bad_ensembles_are_refused_without_a_traceback_or_output(tmp_path, noisy_wav,
                                                                 content, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / ENSEMBLE_NAME).write_text(content)
    with pytest.raises(ModelError, match=message):
        light.load_engine(str(folder), threads=1)
    out = tmp_path / "out.wav"
    result = runner.invoke(app, ["enhance", str(noisy_wav[0]), "-o", str(out), "-m", str(folder)])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_cli_enhances_with_the_ensemble_and_lists_it(tmp_path, noisy_wav):
    src, clean = noisy_wav
    out = tmp_path / "clean.wav"
    result = runner.invoke(app, ["enhance", str(src), "-o", str(out), "-m", "ensemble"])
    assert result.exit_code == 0, result.output
    enhanced, rate = sf.read(out, dtype="float32")
    noisy, _ = sf.read(src, dtype="float32")
    assert rate == RATE
    assert metrics.si_sdr(clean, enhanced) > metrics.si_sdr(clean, noisy) + 3.0
    listed = runner.invoke(app, ["models"], env={"COLUMNS": "400"})
    row = next(line for line in listed.output.splitlines() if "ensemble of" in line)
    assert row.split("│")[1].strip() == "ensemble"
    assert "ensemble of default, real-noise" in row


def test_is_ensemble_tells_ensembles_from_single_models_and_from_nothing():
    from malenhance.ensemble import is_ensemble

    assert is_ensemble("ensemble")
    assert not is_ensemble("default")
    assert not is_ensemble("no-such-model")  # loading it says why, not this check


def test_batching_files_refuses_an_ensemble_with_a_reason(tmp_path, noisy_wav):
    out = tmp_path / "out"
    result = runner.invoke(app, ["enhance", str(noisy_wav[0]), "-o", str(out / "x.wav"),
                                 "-m", "ensemble", "--batch-files", "2", "--device", "cpu"])
    assert result.exit_code == 2, result.output
    assert "is an ensemble" in result.output and "Traceback" not in result.output
    assert not (out / "x.wav").exists()
