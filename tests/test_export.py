"""ONNX export: onnxruntime against PyTorch on real speech, the CLI, the torch-free example."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import soundfile as sf
import torch
from typer.testing import CliRunner

from malenhance import export as onnx_export
from malenhance.cli import app
from malenhance.enhance import enhance_signal
from malenhance.export import (
    ExportError,
    export_onnx,
    onnx_session,
    run_streaming_onnx,
    state_names,
)
from malenhance.hub import load_model
from tests.speech import SENTENCES, mix, speech

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def model():
    return load_model()  # the bundled, trained model: realistic masks, not random ones


@pytest.fixture(scope="module")
def noisy():
    """About four seconds of espeak-ng speech in noise at 5 dB, 16 kHz."""
    return mix(np.concatenate([speech(SENTENCES[1]), speech(SENTENCES[2])]), 5.0, seed=3)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory, model):
    folder = tmp_path_factory.mktemp("onnx")
    paths = {kind: folder / f"{kind}.onnx" for kind in ("streaming", "utterance")}
    for kind, path in paths.items():
        export_onnx(model, path, kind, verify=False)
    return paths


def _reference(model, wav: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return model(torch.from_numpy(wav)[None])[0].numpy()


def test_utterance_graph_matches_pytorch_on_speech(model, graphs, noisy):
    session = onnx_session(graphs["utterance"])
    for wav in (noisy, noisy[: 7919]):  # dynamic length, including an odd one
        out = session.run(["enhanced"], {"wav": wav[None]})[0][0]
        assert out.shape == wav.shape
        assert np.abs(out - _reference(model, wav)).max() <= 1e-4
    batch = np.stack([noisy, noisy[::-1].copy()])  # dynamic batch
    out = session.run(["enhanced"], {"wav": batch})[0]
    assert np.abs(out[1] - _reference(model, batch[1])).max() <= 1e-4


def test_streaming_graph_frame_by_frame_equals_offline_pytorch(model, graphs, noisy):
    out = run_streaming_onnx(onnx_session(graphs["streaming"]), noisy, model.hop)
    reference = _reference(model, noisy)
    assert out.shape == reference.shape
    assert np.abs(out - reference).max() <= 1e-4
    # and the output is really enhanced, not a pass-through: it differs from the input
    assert np.abs(out - noisy).max() > 0.01


def test_streaming_graph_interface_is_as_documented(model, graphs):
    session = ort.InferenceSession(str(graphs["streaming"]), providers=["CPUExecutionProvider"])
    inputs = {i.name: i.shape for i in session.get_inputs()}
    lead = model.n_fft - model.hop
    assert list(inputs) == ["samples", "input_history", "output_tail", *state_names(model)]
    assert inputs["samples"] == [1, model.hop]
    assert inputs["input_history"] == inputs["output_tail"] == [1, lead]
    assert inputs["gru"] == [model.rnn_layers, 1, model.rnn_hidden]
    outputs = [o.name for o in session.get_outputs()]
    assert outputs == ["enhanced", *(f"{name}_out" for name in list(inputs)[1:])]
    meta = session.get_modelmeta().custom_metadata_map
    assert meta["malenhance_kind"] == "streaming"
    assert (int(meta["sample_rate"]), int(meta["hop"])) == (16000, model.hop)
    assert int(meta["latency_samples"]) == model.latency_samples == 320


def test_prelu_rewrite_is_the_same_function_and_leaves_the_model_alone(model, graphs):
    # slopes outside [0, 1] (as trained ones are) and a single shared slope
    for prelu in (torch.nn.PReLU(5), torch.nn.PReLU(1)):
        with torch.no_grad():
            prelu.weight.copy_(torch.linspace(-0.7, 1.1, prelu.weight.numel()))
        x = torch.randn(2, 5, 7, 9)
        assert torch.allclose(onnx_export._SplitPReLU(prelu)(x), prelu(x), atol=1e-6)
    # the export rewrote a copy: the caller's model keeps its PReLUs; the graph has none
    # (onnxruntime's PRelu kernel is the slow part the rewrite removes)
    assert any(isinstance(m, torch.nn.PReLU) for m in model.modules())
    import onnx

    ops = {node.op_type for node in onnx.load(str(graphs["utterance"])).graph.node}
    assert "PRelu" not in ops and "Conv" in ops


def test_failed_verification_leaves_no_file(tmp_path, tiny_model, monkeypatch):
    monkeypatch.setattr(onnx_export, "TOLERANCE", -1.0)  # no graph can pass
    target = tmp_path / "model.onnx"
    with pytest.raises(ExportError, match="differs from PyTorch"):
        export_onnx(tiny_model, target, "utterance")
    assert list(tmp_path.iterdir()) == []


def test_missing_onnx_package_is_a_clear_error(tmp_path, tiny_model, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ExportError, match=r"pip install onnx"):
        export_onnx(tiny_model, tmp_path / "m.onnx")


def test_cli_export_writes_verified_graphs(tmp_path, tiny_model_dir):
    out = tmp_path / "out" / "tiny.onnx"
    result = runner.invoke(app, ["export", "--onnx", str(out), "--model", str(tiny_model_dir),
                                 "--kind", "both"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and (tmp_path / "out" / "tiny_utterance.onnx").is_file()
    assert "max abs diff" in result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["tiny.onnx", "tiny_utterance.onnx"]


def test_cli_export_usage_errors(tmp_path, tiny_model_dir):
    missing = runner.invoke(app, ["export", "--onnx", str(tmp_path / "m.onnx"),
                                  "-m", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "not a bundled model" in missing.output
    bad_kind = runner.invoke(app, ["export", "--onnx", str(tmp_path / "m.onnx"),
                                   "-m", str(tiny_model_dir), "--kind", "batch"])
    assert bad_kind.exit_code == 2 and "--kind" in bad_kind.output
    assert not (tmp_path / "m.onnx").exists()


@pytest.mark.slow
def test_torch_free_example_matches_pytorch(tmp_path, model, graphs, noisy):
    src, dst = tmp_path / "noisy.wav", tmp_path / "clean.wav"
    sf.write(src, noisy, 16000, subtype="FLOAT")
    code = (
        "import json, runpy, sys\n"
        "sys.argv = ['onnx_stream.py', *sys.argv[1:]]\n"
        f"runpy.run_path({str(ROOT / 'examples' / 'onnx_stream.py')!r}, run_name='__main__')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'torch')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(graphs["streaming"]), str(src), str(dst)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []  # torch never imported
    out, rate = sf.read(dst, dtype="float32")
    assert rate == 16000 and out.shape == noisy.shape
    assert np.abs(out - _reference(model, noisy)).max() <= 1e-4
    # --atten-lim: what malenhance's pipeline gives with the same limit
    limited = tmp_path / "limited.wav"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "onnx_stream.py"), str(graphs["streaming"]),
         str(src), str(limited), "--atten-lim", "12"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    expected = enhance_signal(model, noisy, 16000, atten_lim_db=12.0)
    assert np.abs(sf.read(limited, dtype="float32")[0] - expected).max() <= 1e-4
