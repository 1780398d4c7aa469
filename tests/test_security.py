"""Security: no unpickling, no code from the Hub, no path traversal out of a folder."""

from __future__ import annotations

import ast
import json
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
from typer.testing import CliRunner

import malenhance
from malenhance.cli import app
from malenhance.errors import DataWarning, ModelError
from malenhance.hub import parse_repo_spec, resolve_model_dir
from malenhance.training import checkpoint
from malenhance.training.sources import list_audio
from tests.hub_server import FakeHub
from tests.speech import mix, speech
from tests.test_hub import _cli, _files

runner = CliRunner()
PACKAGE = Path(malenhance.__file__).parent


def _sources():
    return sorted(PACKAGE.rglob("*.py"))


def _call_name(node: ast.Call) -> str:
    return ast.unparse(node.func)


def test_torch_load_is_only_called_with_weights_only():
    calls = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node).endswith(("torch.load", "jit.load")):
                keywords = {k.arg: ast.unparse(k.value) for k in node.keywords}
                calls.append((path.name, keywords.get("weights_only")))
    assert calls == [("checkpoint.py", "True")]  # training checkpoints; models use safetensors


def test_no_pickle_or_remote_code_anywhere_in_the_package():
    banned_imports = {"pickle", "dill", "joblib", "marshal", "cloudpickle"}
    for path in _sources():
        source = path.read_text(encoding="utf-8")
        assert "trust_remote_code" not in source, path
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = {a.name.split(".")[0] for a in node.names}
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.add(node.module.split(".")[0])
                assert not names & banned_imports, (path, names)
            if isinstance(node, ast.Call):
                # (validation.py's __import__ takes names from a literal tuple: allowed)
                assert _call_name(node) not in {"eval", "exec", "compile"}, path


class _Payload:
    """Unpickling this runs code: it creates ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickled_checkpoint_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "last.pt"
    torch.save({"model": {}, "payload": _Payload(marker)}, evil)
    with pytest.raises(pickle.UnpicklingError):
        checkpoint.load(evil)
    assert not marker.exists()
    # Plain checkpoints (tensors, numbers, lists, nested dicts) still load.
    good = tmp_path / "good.pt"
    checkpoint.save_atomic({"step": 3, "w": torch.ones(2), "rng": checkpoint.rng_state()}, good)
    assert checkpoint.load(good)["step"] == 3


@pytest.fixture
def noisy(tmp_path):
    path = tmp_path / "noisy.wav"
    sf.write(path, mix(speech(), 5.0), 16000)
    return path


@pytest.mark.slow
def test_hub_model_loads_only_config_and_safetensors(tmp_path, tiny_model_dir, noisy):
    """A repo that also ships code and a pickle: neither is fetched nor run."""
    marker = tmp_path / "pwned"
    extra = {
        "modeling_malnet.py": f"open({str(marker)!r}, 'w')\n".encode(),
        "pytorch_model.bin": pickle.dumps(_Payload(marker)),
    }
    with FakeHub() as hub:
        hub.add_repo("acme/tiny", {**_files(tiny_model_dir), **extra})
        result = _cli(["enhance", str(noisy), "-o", str(tmp_path / "o.wav"), "-m", "acme/tiny"],
                      hub.url, tmp_path / "hf")
        assert result.returncode == 0, result.stderr
        fetched = {r.rsplit("/", 1)[-1] for r in hub.requests}
    assert fetched == {"config.json", "model.safetensors"}
    assert not marker.exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "config_extra",
    [{"auto_map": {"AutoModel": "modeling_malnet.MalNet"}}, {"weights": "../../etc/passwd"}],
    ids=["remote-code-hook", "traversal-file-name"],
)
def test_hub_config_cannot_name_code_or_files(tmp_path, tiny_model_dir, noisy, config_extra):
    files = _files(tiny_model_dir)
    config = {**json.loads(files["config.json"]), **config_extra}
    with FakeHub() as hub:
        hub.add_repo("acme/bad", {**files, "config.json": json.dumps(config).encode()})
        result = _cli(["enhance", str(noisy), "-o", str(tmp_path / "o.wav"), "-m", "acme/bad"],
                      hub.url, tmp_path / "hf")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"unknown keys {next(iter(config_extra))}" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("header", ["ETag", "X-Repo-Commit"])
def test_hub_server_cannot_write_outside_the_cache(tmp_path, tiny_model_dir, noisy, header):
    """Bug fixed: huggingface_hub joins the served ETag into a cache path unchecked, so a
    malicious endpoint could write a blob anywhere ('"../../../x"'); a served commit with
    '..' raised a bare ValueError (traceback). Both are now refused with one message."""
    hf_home = tmp_path / "deep" / "er" / "hf"
    with FakeHub() as hub:
        hub.add_repo("acme/tiny", _files(tiny_model_dir))
        hub.header_overrides[header] = '"../../../../../../evil"'
        result = _cli(["enhance", str(noisy), "-o", str(tmp_path / "o.wav"), "-m", "acme/tiny"],
                      hub.url, hf_home)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"unsafe {'ETag' if header == 'ETag' else 'commit'}" in result.stderr
    assert not [p for p in tmp_path.rglob("evil*")]


@pytest.mark.parametrize("spec", ["acme/..", "../x", "acme/tiny@../../../etc", "acme/tiny@a/./b"])
def test_repo_specs_with_dot_segments_are_not_hub_repos(spec, tmp_path, monkeypatch):
    # From an empty folder: "../x" must not happen to name a real folder (it did in CI).
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert parse_repo_spec(spec) is None
    with pytest.raises(ModelError, match="not a bundled model"):
        resolve_model_dir(spec)


def _write(path: Path, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, mix(speech(), 5.0, seed=seed)[:8000], 16000)
    return path


def test_output_sub_folder_linked_outside_is_refused(tmp_path, tiny_model_dir):
    """Bug fixed: a symlinked sub-folder in the output folder sent outputs outside it."""
    _write(tmp_path / "in" / "a.wav")
    _write(tmp_path / "in" / "sub" / "b.wav", 1)
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(outside, target_is_directory=True)
    result = runner.invoke(app, ["enhance", str(tmp_path / "in"), "-o", str(out),
                                 "-m", str(tiny_model_dir)])
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    assert "b.wav: refused, a symbolic link in the output folder leads outside it" \
        in result.output
    assert (out / "a.wav").is_file() and list(outside.iterdir()) == []


def test_output_file_that_is_a_symlink_is_not_followed(tmp_path, tiny_model_dir):
    src = _write(tmp_path / "a.wav")
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "out.wav"
    link.symlink_to(target)
    result = runner.invoke(app, ["enhance", str(src), "-o", str(link), "-m", str(tiny_model_dir),
                                 "--overwrite"])
    assert result.exit_code == 1 and "not a regular file" in result.output
    assert link.is_symlink() and target.read_text() == "keep me"


def test_data_folder_links_leading_outside_are_skipped(tmp_path):
    """Bug fixed: training read any file a data folder linked to."""
    secret = _write(tmp_path / "elsewhere" / "secret.wav")
    clean = tmp_path / "data" / "clean"
    inside = _write(clean / "a.wav")
    (clean / "escape.wav").symlink_to(secret)
    (clean / "alias.wav").symlink_to(inside)  # a link that stays inside is fine
    (clean / "up").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = list_audio(clean)
    assert [f.name for f in files] == ["a.wav", "alias.wav"]
    messages = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    assert len(messages) == 1 and "escape.wav" in messages[0] and "outside" in messages[0]
    assert np.isfinite(sf.read(files[0])[0]).all()
