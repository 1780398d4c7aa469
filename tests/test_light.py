"""The light CPU path (malenhance.light): onnxruntime over the graph generated from the model,
no torch import, the same output, errors and formats as the PyTorch path."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from malenhance import light
from malenhance.enhance import enhance_file, enhance_signal
from malenhance.errors import AudioError, ModelError
from malenhance.hub import bundled_models
from tests.speech import mix, speech

HEAVY = ("torch", "torchaudio", "scipy", "onnxruntime", "onnx", "numpy", "soundfile")


pytestmark = pytest.mark.usefixtures("own_engine_cache")  # conftest.py


@pytest.fixture(scope="module")
def bundled():
    from malenhance.hub import load_model

    return light.load_engine("default", threads=1), load_model()


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
def test_light_and_torch_paths_agree_on_speech(bundled, rate, channels):
    engine, model = bundled
    x = np.stack([mix(speech(rate=rate), 5.0, seed=c, rate=rate) for c in range(channels)])
    light_out = enhance_signal(engine, x, rate, block_seconds=0.7)
    torch_out = enhance_signal(model, x, rate)
    assert light_out.shape == torch_out.shape == x.shape
    assert np.abs(light_out - torch_out).max() < 1e-4
    assert np.abs(light_out - x).max() > 1e-2  # it did enhance


def test_light_and_torch_agree_with_every_option(bundled):
    engine, model = bundled
    x = mix(speech(rate=48000), 0.0, seed=3, rate=48000)
    stereo = np.stack([x, mix(speech(rate=48000), 5.0, seed=4, rate=48000)])
    for options in ({"strength": 0.4}, {"full_band": False}, {"atten_lim_db": 12.0},
                    {"speech_lim_db": 18.0}):
        a = enhance_signal(engine, x, 48000, **options)
        b = enhance_signal(model, x, 48000, **options)
        assert np.abs(a - b).max() < 1e-4, options
    for options in ({"stereo_link": False}, {"stereo_link": True, "atten_lim_db": 6.0},
                    {"stereo_link": True, "speech_lim_db": 12.0}):
        a = enhance_signal(engine, stereo, 48000, **options)
        b = enhance_signal(model, stereo, 48000, **options)
        assert np.abs(a - b).max() < 1e-4, options


def test_files_come_out_the_same_with_either_engine(tmp_path, bundled):
    engine, model = bundled
    rate = 44100
    data = np.stack([mix(speech(rate=rate), 5.0, seed=c, rate=rate) for c in range(2)], axis=1)
    src = tmp_path / "in.flac"
    sf.write(src, 0.5 * data, rate, subtype="PCM_24")
    enhance_file(engine, src, tmp_path / "light.flac")
    enhance_file(model, src, tmp_path / "torch.flac")
    a, b = sf.read(tmp_path / "light.flac")[0], sf.read(tmp_path / "torch.flac")[0]
    assert sf.info(tmp_path / "light.flac").subtype == "PCM_24" and a.shape == data.shape
    assert np.abs(a - b).max() < 1e-4 + 2.0**-22


def test_same_errors_as_the_torch_path(tmp_path, bundled):
    engine, model = bundled
    bad = mix(speech(), 5.0)
    bad[100] = np.nan
    for net in (engine, model):
        with pytest.raises(ValueError, match="NaN"):
            enhance_signal(net, bad, 16000)
        with pytest.raises(ValueError, match="strength"):
            enhance_signal(net, bad[:10], 16000, strength=2.0)
        src = tmp_path / "nan.wav"
        sf.write(src, bad, 16000, subtype="FLOAT")
        with pytest.raises(AudioError, match="NaN"):
            enhance_file(net, src, tmp_path / "out.wav")


def test_a_models_graph_is_built_verified_and_cached_once(tmp_path, tiny_model_dir, monkeypatch):
    from malenhance.hub import load_model_dir

    first = light.load_engine(str(tiny_model_dir), threads=1)
    cached = list((tmp_path / "cache" / "graphs").iterdir())
    assert [p.name for p in cached] == [f"{light.model_key(tiny_model_dir)}.onnx"]  # no .part
    assert first.path == cached[0]

    def no_build(*args):
        raise AssertionError("built again")

    monkeypatch.setattr(light, "build_graph", no_build)
    again = light.load_engine(str(tiny_model_dir), threads=1)
    assert again.path == first.path
    x = mix(speech(rate=22050), 5.0, rate=22050)
    reference = enhance_signal(load_model_dir(tiny_model_dir), x, 22050)
    assert np.abs(enhance_signal(again, x, 22050) - reference).max() < 1e-4


def test_changed_weights_or_a_corrupt_cache_rebuild(tmp_path, tiny_model_dir):
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    first = light.load_engine(str(folder), threads=1)
    first.path.write_bytes(b"not a graph")  # a corrupt cache file is never used
    assert light.load_engine(str(folder), threads=1).path == first.path
    config = json.loads((folder / "config.json").read_text())
    config["compress"] = 0.5  # another model, same weights
    (folder / "config.json").write_text(json.dumps(config))
    second = light.load_engine(str(folder), threads=1)
    assert second.path != first.path and second.key == light.model_key(folder)


def test_bad_models_give_the_torch_loaders_errors(tmp_path, tiny_model_dir):
    import shutil

    from malenhance.hub import load_model

    missing = tmp_path / "nope"
    folder = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "model.safetensors").write_bytes(b"garbage")
    no_weights = tmp_path / "no_weights"
    shutil.copytree(tiny_model_dir, no_weights)
    (no_weights / "model.safetensors").unlink()
    for spec in (missing, folder, no_weights):
        with pytest.raises(ModelError) as want:
            load_model(str(spec))
        with pytest.raises(ModelError) as got:
            light.load_engine(str(spec))
        assert str(got.value) == str(want.value)


@pytest.mark.parametrize("name", sorted(name for name, folder in bundled_models().items()
                                         if (folder / "model.safetensors").is_file()))
def test_the_shipped_graph_is_the_bundled_models_own(name):
    """Each bundled model's model.onnx matches its weights and the code (else: rebuild it
    with `python -m malenhance.light malenhance/weights/NAME`)."""
    engine = light.load_engine(name, threads=1)
    assert engine.path == bundled_models()[name] / light.GRAPH_NAME
    assert engine.key == light.model_key(bundled_models()[name])


def test_engine_choice(monkeypatch):
    from malenhance.model import MalNet

    assert isinstance(light.load_for_inference("default", "cpu"), light.OnnxEngine)
    monkeypatch.setenv(light.ENGINE_ENV, "torch")
    assert isinstance(light.load_for_inference("default", "cpu"), MalNet)


def _imported(args: list[str], tmp_path: Path, stdin: bytes | None = None) -> list[str]:
    """Top-level modules a `malenhance` command imports, once per process that imports them
    (its workers included: -X importtime passes on to them)."""
    env = {**os.environ, light.CACHE_ENV: str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "malenhance", *args],
                          input=stdin, capture_output=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    names = re.findall(r"^import time:.*\|\s*(\S+)$", proc.stderr.decode(), re.MULTILINE)
    return [name for name in names if "." not in name]


def test_cli_enhances_on_the_cpu_without_torch(tmp_path):
    src = tmp_path / "in" / "noisy.wav"
    src.parent.mkdir()
    sf.write(src, mix(speech(), 5.0), 16000, subtype="PCM_16")
    one = _imported(["enhance", str(src), "-o", str(tmp_path / "out.wav")], tmp_path)
    assert "onnxruntime" in one and not {"torch", "torchaudio"} & set(one)
    assert sf.info(tmp_path / "out.wav").frames == sf.info(src).frames
    # Enough audio (2 x 100 s) for --jobs 2 to start workers; they load no torch either.
    long = np.tile(mix(speech(), 0.0, seed=2), 100 * 16000 // len(speech()) + 1)[: 100 * 16000]
    sf.write(src, long, 16000, subtype="PCM_16")
    sf.write(tmp_path / "in" / "other.wav", long[::-1], 16000, subtype="PCM_16")
    folder = _imported(["enhance", str(src.parent), "-o", str(tmp_path / "out"), "--jobs", "2",
                        "-q"], tmp_path)
    assert not {"torch", "torchaudio"} & set(folder)
    assert folder.count("onnxruntime") == 3  # this process and two workers
    assert (tmp_path / "out" / "other.wav").exists()
    wav = (tmp_path / "in" / "other.wav").read_bytes()
    piped = _imported(["enhance", "-", "-o", str(tmp_path / "piped.wav"), "-q"], tmp_path, wav)
    assert not {"torch", "torchaudio"} & set(piped)


def test_workers_only_where_they_pay(tmp_path, monkeypatch):
    from malenhance import parallel
    from malenhance.files import Job

    def jobs(seconds: float, count: int) -> list[Job]:
        made = []
        for i in range(count):
            path = tmp_path / f"{seconds:g}s_{i}.wav"
            sf.write(path, np.zeros(int(seconds * 16000), np.float32), 16000, subtype="PCM_16")
            made.append(Job(path, tmp_path / "out" / path.name))
        return made

    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)
    short, long = jobs(2.0, 6), jobs(120.0, 3)
    assert parallel.worker_count(short, 4) == 1  # 12 s of audio: less work than a start
    assert parallel.worker_count(long, 8) == 3  # no more workers than files
    assert parallel.worker_count(long, 2) == 2
    assert parallel.worker_count(long, 8, "torch") == 1  # each would import torch
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 1)
    assert parallel.worker_count(long, 8) == 1  # no more workers than CPUs


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["models"], ["enhance", "--help"]])
def test_help_version_and_models_import_nothing_heavy(tmp_path, args):
    assert not set(HEAVY) & set(_imported(args, tmp_path))
