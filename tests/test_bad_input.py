"""Bad input through the real CLI: one clear message naming the file and the reason, no
traceback, no partial output, the rest of the batch processed, and a failing exit status.

Listed with what happens in docs/reliability.md. Related cases tested elsewhere: a missing input
file (test_cli.py), a corrupt RIFF header (test_cli.py), Hub repos missing weights, corrupt
Hub weights and an uncached offline model (test_hub.py).
"""

from __future__ import annotations

import errno
import io
import json
import os
import resource
import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from malenhance.cli import app
from tests.speech import mix, speech

runner = CliRunner()


def _good(path: Path, seed: int = 0, rate: int = 16000, subtype: str = "PCM_16") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, mix(speech(rate=rate), 5.0, seed=seed, rate=rate), rate, subtype=subtype)
    return path


def _wav_bytes(samples: np.ndarray, subtype: str = "PCM_16", rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, subtype=subtype, format="WAV")
    return buffer.getvalue()


def _invoke(args: list[str]):
    result = runner.invoke(app, args)
    # CliRunner keeps an escaped exception in result.exception instead of printing it.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def _no_temp_files(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if p.name.endswith(".part")]


# ---------------------------------------------------------------------------- inputs


def _speech_with(value: float, at: int) -> bytes:
    x = mix(speech(), 5.0)
    x[at] = value
    return _wav_bytes(x, "FLOAT")


def _truncated_wav() -> bytes:
    return _wav_bytes(mix(speech(), 5.0))[:44 + 1000]


def _truncated_flac() -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, mix(speech(), 5.0), 16000, format="FLAC")
    data = buffer.getvalue()
    return data[: len(data) // 2]


def _zero_channels() -> bytes:
    data = bytearray(_wav_bytes(mix(speech(), 5.0)))
    data[22:24] = struct.pack("<H", 0)
    return bytes(data)


def _rate(rate: int) -> bytes:
    data = bytearray(_wav_bytes(mix(speech(), 5.0)[:4000]))
    data[24:28] = struct.pack("<I", rate)
    return bytes(data)


BAD_FILES = {
    # id: (file name, bytes, reason in the message)
    "empty-file": ("bad.wav", lambda: b"", "empty file (0 bytes)"),
    "zero-samples": ("bad.wav", lambda: _wav_bytes(np.zeros(0)), "contains no audio samples"),
    "header-only": ("bad.wav", lambda: _wav_bytes(np.zeros(10))[:30], "not a readable audio"),
    "truncated-wav-data": ("bad.wav", _truncated_wav, "truncated file"),
    "truncated-flac-data": ("bad.flac", _truncated_flac, "corrupt or truncated"),
    "random-bytes": (
        "bad.wav",
        lambda: np.random.default_rng(0).bytes(5000),
        "not a readable audio file",
    ),
    "text-file": ("bad.wav", lambda: b"hello, I am a text file\n" * 40, "not a readable audio"),
    "zero-channels": ("bad.wav", _zero_channels, "Channel count is zero"),
    "rate-3-Hz": ("bad.wav", lambda: _rate(3), "sample rate 3 Hz is outside"),
    "rate-2^31-Hz": ("bad.wav", lambda: _rate(2**31 - 1), "sample rate 2147483647 Hz is outside"),
    "nan-samples": ("bad.wav", lambda: _speech_with(np.nan, 1000), "NaN or infinite"),
    "inf-samples": ("bad.wav", lambda: _speech_with(np.inf, 1000), "NaN or infinite"),
    # After the first blocks were enhanced and written (--block-seconds 0.5 below).
    "nan-after-first-blocks": ("bad.wav", lambda: _speech_with(np.nan, 40000), "NaN"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_in_a_batch_fails_alone(tmp_path, tiny_model_dir, kind):
    name, make, reason = BAD_FILES[kind]
    src, out = tmp_path / "in", tmp_path / "out"
    _good(src / "a.wav")
    _good(src / "sub" / "b.wav", 1)
    (src / name).write_bytes(make())
    result = _invoke(
        ["enhance", str(src), "-o", str(out), "-m", str(tiny_model_dir), "--block-seconds", "0.5"]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and name in lines[0] and reason in lines[0], result.output
    assert "failed 1" in result.output
    for good in ("a.wav", "sub/b.wav"):
        assert sf.info(out / good).frames == sf.info(src / good).frames
    assert not (out / name).exists()
    _no_temp_files(out)


def test_fifo_named_like_audio_is_refused_not_waited_on(tmp_path, tiny_model_dir):
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    result = _invoke(["enhance", str(fifo), "-o", str(tmp_path / "o.wav"), "-m",
                      str(tiny_model_dir)])
    assert result.exit_code == 1 and "pipe.wav: not a regular file" in result.output
    assert not (tmp_path / "o.wav").exists()


def test_directory_named_like_a_file(tmp_path, tiny_model_dir):
    (tmp_path / "dir.wav").mkdir()
    alone = _invoke(["enhance", str(tmp_path / "dir.wav"), "-m", str(tiny_model_dir)])
    assert alone.exit_code == 2 and "dir.wav: folder holds no audio files" in alone.output
    # A glob that matches the directory too enhances the files and passes over the folder.
    _good(tmp_path / "a.wav")
    _good(tmp_path / "b.wav", 1)
    out = tmp_path / "out"
    globbed = _invoke(
        ["enhance", str(tmp_path / "*.wav"), "-o", str(out), "-m", str(tiny_model_dir)]
    )
    assert globbed.exit_code == 0, globbed.output
    assert sorted(p.name for p in out.iterdir()) == ["a.wav", "b.wav"]


# ---------------------------------------------------------------------------- outputs


def test_output_folder_under_a_regular_file_fails_each_file(tmp_path, tiny_model_dir):
    """Unwritable output that fails even for root: the output's parent is a regular file."""
    _good(tmp_path / "in" / "a.wav")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    result = _invoke(["enhance", str(tmp_path / "in"), "-o", str(blocker / "out"),
                      "-m", str(tiny_model_dir)])
    assert result.exit_code == 1
    assert "cannot create output folder (Not a directory)" in result.output
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_output_folder_fails_each_file(tmp_path, tiny_model_dir):
    _good(tmp_path / "in" / "a.wav")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = _invoke(["enhance", str(tmp_path / "in"), "-o", str(out),
                          "-m", str(tiny_model_dir)])
    finally:
        out.chmod(0o700)
    assert result.exit_code == 1 and "output folder is not writable" in result.output
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "with-overwrite"])
def test_output_equal_to_input_is_refused(tmp_path, tiny_model_dir, overwrite):
    src = _good(tmp_path / "in" / "a.wav")
    before = src.read_bytes()
    flag = ["--overwrite"] if overwrite else []
    single = _invoke(["enhance", str(src), "-o", str(src), "-m", str(tiny_model_dir), *flag])
    folder = _invoke(["enhance", str(src.parent), "-o", str(src.parent),
                      "-m", str(tiny_model_dir), *flag])
    for result in (single, folder):
        assert result.exit_code == 2 and "a.wav: output would overwrite an input" in result.output
    assert src.read_bytes() == before
    assert sorted(p.name for p in src.parent.iterdir()) == ["a.wav"]


def test_output_that_is_not_a_regular_file_is_never_replaced(tmp_path, tiny_model_dir):
    """Bug fixed: with --overwrite, os.replace swapped a FIFO (or /dev/null, as root) out."""
    src = _good(tmp_path / "a.wav")
    fifo = tmp_path / "out.wav"
    os.mkfifo(fifo)
    result = _invoke(["enhance", str(src), "-o", str(fifo), "-m", str(tiny_model_dir),
                      "--overwrite"])
    assert result.exit_code == 1 and "out.wav: output path exists and is not a regular file" \
        in result.output
    assert fifo.is_fifo()
    _no_temp_files(tmp_path)


def test_disk_full_leaves_no_partial_output(tmp_path, tiny_model_dir, monkeypatch):
    """ENOSPC simulated in-process on the second block written; the first file succeeds."""
    src, out = tmp_path / "in", tmp_path / "out"
    _good(src / "a.wav")
    _good(src / "b.wav", 1)
    real_write = sf.SoundFile.write
    calls = {"n": 0}

    def write(self, data):
        if "b.wav" in self.name:
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, data)

    monkeypatch.setattr(sf.SoundFile, "write", write)
    result = _invoke(["enhance", str(src), "-o", str(out), "-m", str(tiny_model_dir),
                      "--block-seconds", "0.5"])
    assert result.exit_code == 1
    assert "b.wav: write failed (No space left on device)" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.wav"]


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
@pytest.mark.parametrize(
    "ext,cut", [(".wav", "half"), (".flac", "half"), (".ogg", "near-end")]
)
def test_real_write_failure_leaves_no_partial_output(tmp_path, tiny_model, tiny_model_dir,
                                                     ext, cut):
    """A real kernel write failure in a CLI subprocess (RLIMIT_FSIZE; works as root too).

    Bug fixed: an Ogg output cut off while libsndfile flushed it at close was renamed into
    place without an error ("near-end"); outputs are now checked before the rename.
    """
    from malenhance.enhance import enhance_file

    src = tmp_path / f"in{ext}"
    sf.write(src, np.concatenate([mix(speech(), 5.0, seed=s) for s in range(4)]), 16000)
    full = tmp_path / f"full{ext}"
    enhance_file(tiny_model, src, full)
    size = full.stat().st_size
    out = tmp_path / f"limited{ext}"
    proc = subprocess.run(
        [sys.executable, "-m", "malenhance", "enhance", str(src), "-o", str(out),
         "-m", str(tiny_model_dir), "-q"],
        capture_output=True, text=True, timeout=300,
        preexec_fn=_limit_file_size(size // 2 if cut == "half" else size - 600),
    )
    assert proc.returncode == 1, (size, proc.stderr)
    assert f"{out.name}: write failed" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()
    _no_temp_files(tmp_path)


# ---------------------------------------------------------------------------- models


def _model_copy(tiny_model_dir: Path, tmp_path: Path) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    for f in tiny_model_dir.iterdir():
        (model / f.name).write_bytes(f.read_bytes())
    return model


def _break_weights_missing(model: Path) -> None:
    (model / "model.safetensors").unlink()


def _break_weights_corrupt(model: Path) -> None:
    (model / "model.safetensors").write_bytes(b"\x00" * 64)


def _break_weights_truncated(model: Path) -> None:
    data = (model / "model.safetensors").read_bytes()
    (model / "model.safetensors").write_bytes(data[: len(data) // 2])


def _break_config_unknown_key(model: Path) -> None:
    config = json.loads((model / "config.json").read_text())
    (model / "config.json").write_text(json.dumps({**config, "dropout": 0.1}))


def _break_config_missing(model: Path) -> None:
    (model / "config.json").unlink()


def _break_config_not_json(model: Path) -> None:
    (model / "config.json").write_text("{not json")


BAD_MODELS = {
    "weights-missing": (_break_weights_missing, "missing model.safetensors"),
    "weights-corrupt": (_break_weights_corrupt, "model.safetensors: corrupt or unreadable"),
    "weights-truncated": (_break_weights_truncated, "model.safetensors: corrupt or unreadable"),
    "config-unknown-key": (_break_config_unknown_key, "config.json: unknown keys dropout"),
    "config-missing": (_break_config_missing, "missing config.json"),
    "config-not-json": (_break_config_not_json, "config.json: not valid JSON"),
}


@pytest.mark.parametrize("kind", list(BAD_MODELS))
def test_bad_model_directory_is_a_usage_error(tmp_path, tiny_model_dir, kind):
    breaker, message = BAD_MODELS[kind]
    model = _model_copy(tiny_model_dir, tmp_path)
    breaker(model)
    src = _good(tmp_path / "a.wav")
    out = tmp_path / "o.wav"
    result = _invoke(["enhance", str(src), "-o", str(out), "-m", str(model)])
    assert result.exit_code == 2 and message in result.output, result.output
    assert not out.exists()


def test_cli_subprocess_reports_a_bad_file_without_traceback(tmp_path, tiny_model_dir):
    """The same contract through the installed entry point, stderr checked directly."""
    _good(tmp_path / "in" / "a.wav")
    (tmp_path / "in" / "junk.wav").write_bytes(b"\xff" * 300)
    proc = subprocess.run(
        [sys.executable, "-m", "malenhance", "enhance", str(tmp_path / "in"),
         "-o", str(tmp_path / "out"), "-m", str(tiny_model_dir)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1
    assert "junk.wav: not a readable audio file" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.wav"]


@pytest.mark.slow
def test_hub_repo_without_config_is_a_usage_error(tmp_path, tiny_model_dir):
    """The missing-weights, missing-repo and corrupt-weights cases are in test_hub.py."""
    from tests.hub_server import FakeHub
    from tests.test_hub import _cli

    src = _good(tmp_path / "a.wav")
    out = tmp_path / "o.wav"
    with FakeHub() as hub:
        weights = (tiny_model_dir / "model.safetensors").read_bytes()
        hub.add_repo("acme/noconfig", {"model.safetensors": weights})
        result = _cli(["enhance", str(src), "-o", str(out), "-m", "acme/noconfig"],
                      hub.url, tmp_path / "hf")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "acme/noconfig: the repo has no config.json" in result.stderr
    assert not out.exists()


# An M4A's first bytes: an ISO-BMFF `ftyp` box of brand "M4A " (what libsndfile cannot read).
M4A_HEAD = (struct.pack(">I", 32) + b"ftypM4A " + b"\x00\x00\x02\x00"
            + b"M4A isommp42\x00\x00\x00\x00")


def test_folder_run_says_what_it_ignored_and_why(tmp_path, tiny_model_dir):
    """Issue 26: hidden files, .m4a and .aifc were skipped without a word."""
    folder = tmp_path / "in"
    folder.mkdir()
    sf.write(folder / "a.wav", mix(speech(), 5.0)[:16000], 16000)
    sf.write(folder / ".hidden.wav", mix(speech(), 5.0)[:16000], 16000)
    sf.write(folder / "c.aifc", mix(speech(), 5.0)[:16000], 16000, format="AIFF",
             subtype="FLOAT")  # AIFF-C: libsndfile reads it, so it is enhanced
    for name in ("b.m4a", "d.m4a", "e.aac"):
        (folder / name).write_bytes(M4A_HEAD + bytes(1000))
    (folder / "notes.txt").write_text("take 3 was best")
    result = runner.invoke(app, ["enhance", str(folder), "-o", str(tmp_path / "out"),
                                 "-m", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.wav", "c.aifc"]
    lines = [line for line in result.output.splitlines() if line.startswith("ignored")]
    assert len(lines) == 1, result.output
    line = lines[0]
    assert line.startswith("ignored 5 files in ")
    assert "2 .m4a, 1 .aac: not read by libsndfile; convert with ffmpeg first" in line
    assert "1 hidden" in line and "1 not audio (.txt)" in line


@pytest.mark.parametrize("name", ["voice.m4a", "voice.wav"])
def test_aac_or_m4a_named_directly_gets_a_conversion_hint(tmp_path, tiny_model_dir, name):
    """Issue 26: a real M4A gave only "Format not recognised" (also when misnamed .wav)."""
    src = tmp_path / name
    src.write_bytes(M4A_HEAD + bytes(1000))
    result = runner.invoke(app, ["enhance", str(src), "-o", str(tmp_path / "out.wav"),
                                 "-m", str(tiny_model_dir)])
    assert result.exit_code == 1
    assert "AAC/M4A" in result.output and "ffmpeg -i" in result.output


@pytest.mark.parametrize("declared", [0, 0xFFFFFFFF])
def test_wav_of_a_crashed_recorder_is_read_to_its_end_with_a_warning(tmp_path,
                                                                      tiny_model_dir, declared):
    """Issue 26: a WAV whose header declares 0 data bytes (a killed recorder) was refused."""
    clip = mix(speech(), 5.0)[:24000]
    good = tmp_path / "good.wav"
    sf.write(good, clip, 16000, subtype="PCM_16")
    data = bytearray(good.read_bytes())
    at = data.index(b"data")
    data[at + 4: at + 8] = struct.pack("<I", declared)
    data[4:8] = struct.pack("<I", declared)  # the RIFF size is a placeholder too
    src = tmp_path / "crashed.wav"
    src.write_bytes(bytes(data))
    out = tmp_path / "out.wav"
    result = runner.invoke(app, ["enhance", str(src), "-o", str(out), "-m", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert sf.info(out).frames == 24000 and sf.info(out).subtype == "PCM_16"
    assert "warning:" in result.output and "read to the end of the file" in result.output
    expected = tmp_path / "expected.wav"
    runner.invoke(app, ["enhance", str(good), "-o", str(expected), "-m", str(tiny_model_dir)])
    assert np.array_equal(sf.read(out)[0], sf.read(expected)[0])
