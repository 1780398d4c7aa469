"""Faults: ``kill -9`` during enhance, train and score, then finishing the job.

Each test SIGKILLs a real ``python -m malenhance`` process at a known point (an output,
checkpoint or table row has appeared, or a patched write dies half-way: see
``tests/killpoint.py``), then checks what is on disk and that the resume option finishes
with the result of an uninterrupted run.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from malenhance.audio import partial_files
from tests.speech import mix
from tests.train_data import utterances

RATE = 16000
TIMEOUT = 300  # generous: the machine is shared


def _start(*args: object, module: str = "malenhance") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", module, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run(*args: object, module: str = "malenhance") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *map(str, args)],
                          capture_output=True, text=True, timeout=TIMEOUT)


def _kill_when(process: subprocess.Popen, ready: Callable[[], bool]) -> None:
    """SIGKILL ``process`` as soon as ``ready()``; fail if it ends first."""
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"finished (status {process.returncode}) before the kill point:\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("kill point not reached in time")
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    try:  # the pipes close only when every worker process that inherited them has exited
        process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("worker processes outlived the killed parent")
    assert process.returncode == -signal.SIGKILL


def _wait_killed(process: subprocess.Popen) -> None:
    """For a process that kills itself (tests/killpoint.py)."""
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == -signal.SIGKILL, err


# --------------------------------------------------------------------------- enhance


@pytest.fixture(scope="module")
def noisy_folder(tmp_path_factory) -> Path:
    """16 noisy speech files of about 6 s (two utterances each), one in a sub-folder."""
    root = tmp_path_factory.mktemp("faults-enhance")
    clips = utterances(8)
    for i in range(16):
        clean = np.concatenate([clips[i % 8], clips[(i + 3) % 8]])
        name = f"sub/f{i:02d}.wav" if i == 5 else f"f{i:02d}.wav"
        (root / name).parent.mkdir(exist_ok=True)
        sf.write(root / name, mix(clean, 5.0, seed=i), RATE, subtype="PCM_16")
    return root


def _outputs(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*.wav")
            if not p.name.startswith(".")}


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_enhance_killed_then_skip_existing_finishes_with_identical_outputs(
    noisy_folder, tmp_path, jobs
):
    inputs = _outputs(noisy_folder)
    # Small blocks: each file takes several writes, so the kill lands inside one.
    args = ["enhance", noisy_folder, "--threads", "1", "--jobs", jobs, "--block-seconds", 0.5]
    reference = _run(*args, "-o", tmp_path / "straight")
    assert reference.returncode == 0, reference.stderr

    out = tmp_path / "out"
    process = _start(*args, "-o", out)
    _kill_when(process, lambda: bool(_outputs(out)) and bool(list(out.rglob(".*.part"))))
    finished = _outputs(out)
    assert 0 < len(finished) < len(inputs)
    for name, path in finished.items():  # every output present is complete
        info = sf.info(path)
        assert info.frames == sf.info(inputs[name]).frames, name
        assert sf.read(path)[0].shape[0] == info.frames
    leftovers = list(out.rglob(".*.part"))
    assert leftovers, "the kill should have hit a file being written"

    again = _run(*args, "-o", out, "--skip-existing")
    assert again.returncode == 0, again.stderr
    assert f"skipped {len(finished)}" in again.stderr
    assert not list(out.rglob(".*.part")), "the partial files of the killed run are removed"
    straight = _outputs(tmp_path / "straight")
    assert _outputs(out).keys() == straight.keys() == inputs.keys()
    for name, path in straight.items():
        assert np.array_equal(sf.read(path)[0], sf.read(out / name)[0]), name


def test_partial_files_are_matched_exactly(tmp_path):
    (tmp_path / ".a.wav.abc_1234.part").touch()  # a killed run's file for a.wav
    (tmp_path / ".a.wav.x.wav.abcd1234.part").touch()  # ... for a.wav.x.wav
    (tmp_path / ".a.wav.notes.part").touch()  # not one of ours
    assert [p.name for p in partial_files(tmp_path / "a.wav")] == [".a.wav.abc_1234.part"]
    assert [p.name for p in partial_files(tmp_path / "a.wav.x.wav")] == [
        ".a.wav.x.wav.abcd1234.part"]
