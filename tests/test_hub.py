"""The Hub path, against a real HTTP server on 127.0.0.1 (tests/hub_server.py).

``huggingface_hub`` reads HF_ENDPOINT when imported, so the CLI runs in a subprocess.
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from tests.hub_server import FakeHub
from tests.speech import mix, speech


def _files(model_dir):
    return {p.name: p.read_bytes() for p in model_dir.iterdir() if p.is_file()}


def _cli(args, hub_url, hf_home, offline=False):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HF_ENDPOINT": hub_url,
        "HF_HOME": str(hf_home),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_XET": "1",
        "HF_TOKEN": "hf_fake_token_for_tests",
        # the onnxruntime graphs the CLI builds for these models: not in the user's cache
        "MALENHANCE_CACHE": str(hf_home / "malenhance"),
    }
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "malenhance", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def noisy(tmp_path):
    path = tmp_path / "noisy.wav"
    sf.write(path, mix(speech(), 5.0), 16000)
    return path


@pytest.mark.slow
def test_download_then_offline_from_cache(tmp_path, tiny_model_dir, noisy):
    with FakeHub() as hub:
        hub.add_repo("acme/tiny", _files(tiny_model_dir))
        out = tmp_path / "out.wav"
        first = _cli(
            ["enhance", str(noisy), "-o", str(out), "-m", "acme/tiny"], hub.url, tmp_path / "hf"
        )
        assert first.returncode == 0, first.stderr
        assert any("model.safetensors" in r for r in hub.requests)
        assert sf.info(out).frames == sf.info(noisy).frames

        hub.requests.clear()
        again = _cli(
            ["enhance", str(noisy), "-o", str(tmp_path / "o2.wav"), "-m", "acme/tiny"],
            hub.url,
            tmp_path / "hf",
            offline=True,
        )
        assert again.returncode == 0, again.stderr
        assert hub.requests == []  # served from the cache alone

        listed = _cli(["models"], hub.url, tmp_path / "hf", offline=True)
        assert "acme/tiny" in listed.stdout


def _other_model_dir(tmp_path):
    """A model with the tiny model's config and other weights (what branch v2 serves)."""
    import torch

    from malenhance.hub import save_model_dir
    from malenhance.model import MalNet
    from tests.conftest import TINY_CONFIG

    torch.manual_seed(1)
    return save_model_dir(MalNet(**TINY_CONFIG).eval(), tmp_path / "v2-model")


@pytest.mark.slow
def test_revisions_are_honoured(tmp_path, tiny_model_dir, noisy):
    from malenhance.enhance import enhance_file
    from malenhance.hub import load_model_dir

    v2_dir = _other_model_dir(tmp_path)
    assert _files(v2_dir)["model.safetensors"] != _files(tiny_model_dir)["model.safetensors"]
    with FakeHub() as hub:
        hub.add_repo("acme/tiny", _files(tiny_model_dir))
        hub.add_repo("acme/tiny", _files(v2_dir), branch="v2")
        ok = _cli(
            ["enhance", str(noisy), "-o", str(tmp_path / "a.wav"), "-m", "acme/tiny@v2"],
            hub.url,
            tmp_path / "hf",
        )
        assert ok.returncode == 0, ok.stderr
        assert any("/resolve/v2/" in r for r in hub.requests)
        # The output is v2's, not main's: the revision chose the weights.
        for name, directory in (("v2.wav", v2_dir), ("main.wav", tiny_model_dir)):
            enhance_file(load_model_dir(directory), noisy, tmp_path / name)
        served = sf.read(tmp_path / "a.wav")[0]
        # On the CPU the CLI runs the onnxruntime engine, these references PyTorch: equal
        # within the engines' 1e-4 (a 16-bit LSB or two), while main's weights are far off.
        assert np.abs(served - sf.read(tmp_path / "v2.wav")[0]).max() < 1e-3
        assert np.abs(served - sf.read(tmp_path / "main.wav")[0]).max() > 0.01
        bad = _cli(
            ["enhance", str(noisy), "-o", str(tmp_path / "b.wav"), "-m", "acme/tiny@nope"],
            hub.url,
            tmp_path / "hf",
        )
        assert bad.returncode == 2 and "no revision 'nope'" in bad.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "repo,files,offline,message",
    [
        ("acme/none", None, False, "no such model repo"),
        ("acme/partial", {"config.json"}, False, "has no model.safetensors"),
        ("acme/uncached", None, True, "not in the local cache and offline mode"),
        ("acme/corrupt", "corrupt", False, "corrupt or unreadable weights"),
    ],
)
def test_hub_errors_are_clear(tmp_path, tiny_model_dir, noisy, repo, files, offline, message):
    with FakeHub() as hub:
        all_files = _files(tiny_model_dir)
        if files == "corrupt":
            hub.add_repo(repo, {**all_files, "model.safetensors": b"\x00" * 64})
        elif files is not None:
            hub.add_repo(repo, {k: v for k, v in all_files.items() if k in files})
        out = tmp_path / "out.wav"
        result = _cli(
            ["enhance", str(noisy), "-o", str(out), "-m", repo],
            hub.url,
            tmp_path / "hf",
            offline=offline,
        )
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert not out.exists()


@pytest.mark.slow
def test_push_uploads_a_loadable_model(tmp_path, tiny_model_dir, noisy):
    with FakeHub() as hub:
        pushed = _cli(["push", str(tiny_model_dir), "acme/pushed"], hub.url, tmp_path / "hf")
        assert pushed.returncode == 0, pushed.stderr
        files = hub.repos["acme/pushed"]["commits"][hub.repos["acme/pushed"]["refs"]["main"]]
        assert {"config.json", "model.safetensors"} <= set(files)
        used = _cli(
            ["enhance", str(noisy), "-o", str(tmp_path / "o.wav"), "-m", "acme/pushed"],
            hub.url,
            tmp_path / "hf2",
        )
        assert used.returncode == 0, used.stderr


def _closed_port_url():
    """A 127.0.0.1 URL where nothing listens: connections are refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.slow
def test_unreachable_hub_fails_fast_with_one_line_and_the_offline_hint(tmp_path, noisy):
    """Issue 26: no network printed ~25 s of "Retrying in 8s [Retry 5/5]" before the error."""
    out = tmp_path / "out.wav"
    result = _cli(["enhance", str(noisy), "-o", str(out), "-m", "acme/tiny"],
                  _closed_port_url(), tmp_path / "hf")
    assert result.returncode == 2, result.stderr
    assert "Retry" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: acme/tiny:"), result.stderr
    assert "cannot be reached" in lines[0] and "HF_HUB_OFFLINE=1" in lines[0]
    assert not out.exists()


@pytest.mark.slow
def test_unreachable_hub_uses_the_cached_model_at_once(tmp_path, tiny_model_dir, noisy):
    with FakeHub() as hub:
        hub.add_repo("acme/tiny", _files(tiny_model_dir))
        first = _cli(["enhance", str(noisy), "-o", str(tmp_path / "a.wav"), "-m", "acme/tiny"],
                     hub.url, tmp_path / "hf")
        assert first.returncode == 0, first.stderr
        url = hub.url
    again = _cli(["enhance", str(noisy), "-o", str(tmp_path / "b.wav"), "-m", "acme/tiny"],
                 url, tmp_path / "hf")  # the server is gone now
    assert again.returncode == 0, again.stderr
    assert "Retry" not in again.stderr
    assert (tmp_path / "b.wav").read_bytes() == (tmp_path / "a.wav").read_bytes()
