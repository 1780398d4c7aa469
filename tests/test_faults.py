"""Faults: ``kill -9`` during enhance, train and score, then finishing the job.

Each test SIGKILLs a real ``python -m malenhance`` process at a known point (an output,
checkpoint or table row has appeared, or a patched write dies half-way: see
``tests/killpoint.py``), then checks what is on disk and that the resume option finishes
with the result of an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
from typer.testing import CliRunner

from malenhance.audio import partial_files
from malenhance.cli import app
from malenhance.model import MalNet
from malenhance.signals import SIGNALS, Interrupted, interrupt_on_signals
from malenhance.training import checkpoint
from malenhance.workers import exit_with_parent, pool_map
from tests.speech import mix
from tests.train_data import make_paired, utterances

RATE = 16000
TIMEOUT = 300  # generous: the machine is shared


def _default_hangup() -> None:
    # As in a terminal session: a suite started under `nohup` passes SIGHUP on ignored, and
    # malenhance rightly keeps a signal ignored that was ignored at its start.
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _start(*args: object, module: str = "malenhance") -> subprocess.Popen:
    # A session of its own: a failed test can clean up its workers with killpg.
    return subprocess.Popen([sys.executable, "-m", module, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_default_hangup)


def _run(*args: object, module: str = "malenhance") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *map(str, args)],
                          capture_output=True, text=True, timeout=TIMEOUT)


def _cli(*args: object) -> subprocess.CompletedProcess:
    """In this process (no start-up cost) where nothing is killed."""
    result = CliRunner().invoke(app, list(map(str, args)))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def _kill_when(process: subprocess.Popen, ready: Callable[[], bool]) -> None:
    """SIGKILL ``process`` as soon as ``ready()``; fail if it ends first."""
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"finished (status {process.returncode}) before the kill point:\n{err}")
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("kill point not reached in time")
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    try:  # the pipes close only when every worker process that inherited them has exited
        process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
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


def _enhance_args(folder: Path, jobs: int) -> list[object]:
    # Small blocks: each file takes several writes, so the kill lands inside one.
    return ["enhance", folder, "--threads", "1", "--jobs", jobs, "--block-seconds", 0.5]


@pytest.fixture(scope="module")
def enhanced_straight(noisy_folder, tmp_path_factory) -> Path:
    """The outputs of an uninterrupted run (``--jobs`` gives the same, tested in test_cli)."""
    out = tmp_path_factory.mktemp("faults-straight")
    done = _run(*_enhance_args(noisy_folder, 1), "-o", out)
    assert done.returncode == 0, done.stderr
    return out


def _outputs(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*.wav")
            if not p.name.startswith(".")}


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_enhance_killed_then_skip_existing_finishes_with_identical_outputs(
    noisy_folder, enhanced_straight, tmp_path, jobs
):
    inputs = _outputs(noisy_folder)
    args = _enhance_args(noisy_folder, jobs)
    out = tmp_path / "out"
    process = _start(*args, "-o", out)
    _kill_when(process, lambda: bool(_outputs(out)) and bool(list(out.rglob(".*.part"))))
    finished = _outputs(out)
    assert 0 < len(finished) < len(inputs)
    for name, path in finished.items():  # every output present is complete
        info = sf.info(path)
        assert info.frames == sf.info(inputs[name]).frames, name
        assert sf.read(path)[0].shape[0] == info.frames
    # Usually the kill hits a file being written and leaves its partial file (it could
    # also land just after a rename; the removal is tested on its own below).
    leftovers = list(out.rglob(".*.part"))
    assert all(not p.with_name(p.name.split(".")[1] + ".wav").exists() for p in leftovers)

    again = _run(*args, "-o", out, "--skip-existing")
    assert again.returncode == 0, again.stderr
    assert f"skipped {len(finished)}" in again.stderr
    assert not list(out.rglob(".*.part")), "the partial files of the killed run are removed"
    straight = _outputs(enhanced_straight)
    assert _outputs(out).keys() == straight.keys() == inputs.keys()
    for name, path in straight.items():
        assert np.array_equal(sf.read(path)[0], sf.read(out / name)[0]), name


def test_partial_files_of_a_killed_run_are_removed_when_written_or_skipped(
    tmp_path, tiny_model_dir, noisy_wav
):
    source, _ = noisy_wav
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".a.wav.abcd1234.part", out / ".b.wav.wxyz9876.part"]
    for path in stale:
        path.write_bytes(b"RIFF half a file")
    (out / "b.wav").write_bytes(source.read_bytes())  # finished before an --overwrite kill
    (tmp_path / "in").mkdir()
    for name in ("a.wav", "b.wav"):
        (tmp_path / "in" / name).write_bytes(source.read_bytes())
    result = _cli("enhance", tmp_path / "in", "-o", out, "-m", tiny_model_dir,
                  "--skip-existing", "--quiet")
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in stale)
    assert sorted(p.name for p in out.iterdir()) == ["a.wav", "b.wav"]


def test_partial_files_are_matched_exactly(tmp_path):
    (tmp_path / ".a.wav.abc_1234.part").touch()  # a killed run's file for a.wav
    (tmp_path / ".a.wav.x.wav.abcd1234.part").touch()  # ... for a.wav.x.wav
    (tmp_path / ".a.wav.notes.part").touch()  # not one of ours
    assert [p.name for p in partial_files(tmp_path / "a.wav")] == [".a.wav.abc_1234.part"]
    assert [p.name for p in partial_files(tmp_path / "a.wav.x.wav")] == [
        ".a.wav.x.wav.abcd1234.part"]


# --------------------------------------------------------------------------- score


@pytest.fixture(scope="module")
def score_folders(tmp_path_factory) -> Path:
    """clean/ and enhanced/ (10 dB) with 16 pairs of 2.5 s."""
    root = tmp_path_factory.mktemp("faults-score")
    clips = utterances(8)
    for i in range(16):
        clean = clips[i % 8][: int(2.5 * RATE)] * (0.5 + 0.02 * i)
        for name, audio in (("clean", clean), ("enhanced", mix(clean, 10.0, seed=i))):
            (root / name).mkdir(exist_ok=True)
            sf.write(root / name / f"s{i:02d}.wav", audio, RATE, subtype="PCM_16")
    return root


def _table(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text().splitlines()]
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def _by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    keyed = {(r["system"], r["file"]): r for r in rows}
    assert len(keyed) == len(rows), "a file appears twice"
    return keyed


def _assert_same_rows(found: list[dict], expected: list[dict]) -> None:
    """Each file once, the same text, numbers within 1e-9 (ESTOI varies in the last digit
    from run to run)."""
    found_rows, expected_rows = _by_key(found), _by_key(expected)
    assert found_rows.keys() == expected_rows.keys()
    for key, row in expected_rows.items():
        assert row.keys() == found_rows[key].keys()
        for column, value in row.items():
            other = found_rows[key][column]
            try:
                number = float(value)
            except (TypeError, ValueError):
                assert other == value, (key, column)
                continue
            assert str(other) == str(value) or number == pytest.approx(
                float(other), rel=1e-9), (key, column, value, other)


def _complete_rows(path: Path) -> int:
    return path.read_text().count("\n") - 1 if path.exists() else 0


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_score_killed_then_resume_completes_the_table_without_duplicates(
    score_folders, tmp_path, jobs
):
    args = ["score", score_folders / "enhanced", "--ref", score_folders / "clean",
            "--no-dnsmos", "--quiet"]
    straight = _cli(*args, "-o", tmp_path / "straight.csv")
    assert straight.returncode == 0, straight.stderr
    table = tmp_path / "table.csv"
    # Only the killed run has workers (their rows equal one process's: test_score).
    process = _start(*args, "--jobs", jobs, "-o", table)
    _kill_when(process, lambda: _complete_rows(table) >= 2)
    assert 2 <= len(_table(table)) < 16
    resumed = _cli(*args, "-o", table, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    _assert_same_rows(_table(table), _table(tmp_path / "straight.csv"))


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_score_resume_drops_a_half_written_last_row(score_folders, tmp_path, suffix):
    system, clean = tmp_path / "enhanced", score_folders / "clean"
    system.mkdir()
    for i in range(3):
        name = f"s{i:02d}.wav"
        (system / name).write_bytes((score_folders / "enhanced" / name).read_bytes())
    table = tmp_path / f"table{suffix}"
    args = ["score", system, "--ref", clean, "--no-dnsmos", "--quiet", "-o", table]
    assert _cli(*args).returncode == 0
    full = table.read_text()
    lines = full.splitlines(keepends=True)
    header = 1 if suffix == ".csv" else 0
    # Header and one row complete, the next row cut in the middle of a number.
    cut = lines[header + 1][: lines[header + 1].index("16000") + 9]
    table.write_text("".join(lines[: header + 1]) + cut)
    resumed = _cli(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    _assert_same_rows(_table(table), _table_from(full, suffix, tmp_path))
    assert table.read_text().endswith("\n")


def _table_from(text: str, suffix: str, folder: Path) -> list[dict]:
    copy = folder / f"copy{suffix}"
    copy.write_text(text)
    return _table(copy)


@pytest.mark.parametrize("content", ["", "system,file,pa"])
def test_score_resume_of_a_table_killed_before_its_first_row(score_folders, tmp_path, content):
    table = tmp_path / "table.csv"
    table.write_text(content)  # the header is buffered until the first row is written
    one = tmp_path / "one"
    one.mkdir()
    (one / "s00.wav").write_bytes((score_folders / "enhanced" / "s00.wav").read_bytes())
    resumed = _cli("score", one, "--ref", score_folders / "clean", "--no-dnsmos", "--quiet",
                   "-o", table, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert [r["file"] for r in _table(table)] == ["s00"]


# --------------------------------------------------------------------------- train


TINY = {"channels": [8, 8, 8, 8], "rnn_hidden": 32}


def _train_args(data: Path, output: Path) -> list[object]:
    return ["train", "--data", data, "--output", output, "--stage1-steps", 4, "--stage2-steps",
            4, "--batch-size", 2, "--segment-seconds", 0.5, "--valid-every", 0, "--workers", 0,
            "--device", "cpu", "--model-config", json.dumps(TINY), "--checkpoint-every", 1,
            "--threads", 1, "--quiet"]


def _log(output: Path) -> list[dict]:
    return [json.loads(line) for line in (output / "train_log.jsonl").read_text().splitlines()]


def _last_step(output: Path) -> int:
    return checkpoint.load(output / "checkpoints" / "last.pt")["step"]


def _weights(path: Path) -> dict[str, torch.Tensor]:
    return MalNet.from_pretrained(path).state_dict()


@pytest.mark.slow
def test_train_killed_again_and_again_resumes_to_the_weights_of_an_uninterrupted_run(tmp_path):
    data = make_paired(tmp_path / "data", count=10, snr_db=0.0)
    straight, run = tmp_path / "straight", tmp_path / "run"
    done = _run(*_train_args(data, straight))
    assert done.returncode == 0, done.stderr
    args = _train_args(data, run)
    last, tmp = run / "checkpoints" / "last.pt", run / "checkpoints" / "last.pt.tmp"

    # 1. Killed while writing its first checkpoint: no last.pt, a half-written temp file.
    _wait_killed(_start("checkpoint", 1, *args, module="tests.killpoint"))
    assert not last.exists() and tmp.exists()
    # 2. --resume starts over (nothing to resume); killed once the first checkpoint is there.
    _kill_when(_start(*args, "--resume"), last.exists)
    first = _last_step(run)
    # 3. Killed half-way through a line of the training log.
    _wait_killed(_start("log", 2, *args, "--resume", module="tests.killpoint"))
    assert not (run / "train_log.jsonl").read_text().endswith("\n")
    # 4. Killed half-way through writing a later checkpoint: last.pt is the previous one.
    _wait_killed(_start("checkpoint", 2, *args, "--resume", module="tests.killpoint"))
    with pytest.raises(Exception):  # noqa: B017  (whatever torch says about a torn file)
        checkpoint.load(tmp)
    assert _last_step(run) >= first
    # 5. Killed while exporting the stage-1 model, after its first file was moved in.
    _wait_killed(_start("export", 1, *args, "--resume", module="tests.killpoint"))
    assert not (run / "stage1" / "config.json").exists()
    # 6. Finishes.
    finished = _run(*args, "--resume")
    assert finished.returncode == 0, finished.stderr

    assert _last_step(run) == 8 and not tmp.exists()
    for folder in ("", "stage1"):
        expected, found = _weights(straight / folder), _weights(run / folder)
        for name, value in expected.items():
            assert torch.equal(value, found[name]), (folder, name)
    final = checkpoint.load(last)["model"]
    for name, value in checkpoint.load(straight / "checkpoints" / "last.pt")["model"].items():
        assert torch.equal(value, final[name]), name
    records = _log(run)
    assert [r["type"] for r in records] == [r["type"] for r in _log(straight)]
    assert [r["step"] for r in records] == [r["step"] for r in _log(straight)]


@pytest.mark.slow
def test_train_with_loader_workers_stopped_by_sigterm_says_so_and_resumes(tmp_path):
    """Round 64 on the GPU, 2026-12-06: `timeout 555 malenhance train --workers 3` ended in a
    traceback ("DataLoader worker ... is killed by signal: Terminated", raised while the
    interrupt was being handled), not the one line that says how to continue. `timeout`, a
    closing terminal and a cluster's preemption signal the whole process group, loader
    workers included."""
    data = make_paired(tmp_path / "data", count=10, snr_db=0.0)
    run = tmp_path / "run"
    args = _train_args(data, run)
    args[args.index("--workers") + 1] = 2
    args[args.index("--stage1-steps") + 1] = 60
    process = _start(*args)
    deadline = time.monotonic() + TIMEOUT
    while not (run / "checkpoints" / "last.pt").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"no checkpoint seen: {process.communicate()[1]}")
        time.sleep(0.02)
    time.sleep(0.5)  # into the steps, workers busy
    os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "interrupted" in err and "Traceback" not in err, err
    stopped_at = _last_step(run)
    assert 0 < stopped_at < 60
    resumed = _run(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert _last_step(run) == 60 + 4


class _SignalsWhilePickled:
    """Sends this process SIGTERM from inside ``torch.save``, as ``timeout`` did in CI."""

    def __reduce__(self):
        signal.raise_signal(signal.SIGTERM)
        return (dict, ())


def test_a_checkpoint_being_written_when_sigterm_lands_is_finished_then_the_run_stops(
        tmp_path):
    """CI, 2026-12-06: SIGTERM inside `torch.save` broke its zip writer, and `malenhance train`
    ended in a traceback (`RuntimeError: ... unexpected pos`), exit status 1, instead of the
    interrupt's one line; the checkpoint of that step was lost."""
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, *SIGNALS)}
    interrupt_on_signals()
    try:
        with pytest.raises(Interrupted):
            checkpoint.save_atomic({"step": 7, "weights": torch.ones(4096),
                                    "late": _SignalsWhilePickled()}, tmp_path / "last.pt")
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    assert torch.load(tmp_path / "last.pt", weights_only=False)["step"] == 7
    assert list(tmp_path.iterdir()) == [tmp_path / "last.pt"]


_HANG_UP_ON_A_WORKER = """
import os, socket, sys, time
from multiprocessing import resource_sharer
from malenhance.training.data import detach_loader_worker
if sys.argv[1] == "worker":
    detach_loader_worker(0)
read_end, _ = os.pipe()
shared = resource_sharer.DupFd(read_end)  # what a batch's storage does on its way out
trainer = socket.socket(socket.AF_UNIX)
trainer.connect(shared._id[0])
trainer.close()  # the trainer, interrupted, hangs up before it has taken the batch
time.sleep(1.0)
"""


@pytest.mark.parametrize("role", ["worker", "plain process"])
def test_a_loader_worker_says_nothing_when_the_interrupted_trainer_hangs_up(role):
    """CI, 2026-12-06: SIGTERM reached the trainer while it was taking a batch from a loader
    worker, and the worker's batch-sending thread printed a traceback under the trainer's
    "interrupted: continue with ... --resume". (The plain process shows the traceback this
    test looks for.)"""
    done = subprocess.run([sys.executable, "-c", _HANG_UP_ON_A_WORKER, role],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert ("Traceback" in done.stderr) == (role == "plain process"), done.stderr


_SIGTERM_TO_A_POOL_WITH_AN_IDLE_WORKER = """
import os, signal, sys, threading, time
from malenhance.signals import interrupt_on_signals
from malenhance.workers import pool_map
interrupt_on_signals()
def later():
    time.sleep(float(sys.argv[1]))  # one worker done with its task, the other in its task
    os.killpg(0, signal.SIGTERM)
threading.Thread(target=later, daemon=True).start()
try:
    for _ in pool_map(time.sleep, [0.1, 60.0], workers=2):
        pass
except KeyboardInterrupt as interrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(interrupt.exit_status)
"""


@pytest.mark.slow
def test_sigterm_to_a_worker_pool_stops_it_with_one_line_even_with_a_worker_idle():
    """A stress loop, 2026-12-06: SIGTERM to `malenhance enhance -j 2` while a worker waited
    for its next file printed that worker's traceback ("Process SpawnProcess-2: ... in
    _process_worker ... malenhance.signals.Interrupted: SIGTERM")."""
    done = subprocess.run([sys.executable, "-c", _SIGTERM_TO_A_POOL_WITH_AN_IDLE_WORKER, "5"],
                          capture_output=True, text=True, timeout=TIMEOUT,
                          start_new_session=True)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr, done.stderr


_CTRL_C_WHILE_WORKERS_START = """
import os, signal, sys, threading, time
from malenhance.workers import pool_map
def later():
    time.sleep(0.05)  # the workers are still starting: Python, then imports
    os.killpg(0, signal.SIGINT)
threading.Thread(target=later, daemon=True).start()
try:
    for _ in pool_map(time.sleep, [30.0, 30.0], workers=2):
        pass
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(130)
"""


@pytest.mark.slow
def test_ctrl_c_while_workers_are_starting_stops_with_one_line():
    """A stress loop, 2026-12-06: Ctrl-C in the first second of `malenhance enhance -j 2`
    printed a starting worker's KeyboardInterrupt traceback from the middle of its imports
    (1 in 20 stops)."""
    done = subprocess.run([sys.executable, "-c", _CTRL_C_WHILE_WORKERS_START],
                          capture_output=True, text=True, timeout=TIMEOUT,
                          start_new_session=True)
    assert done.returncode == 130, done.stderr
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr, done.stderr

_SIGTERM_WHILE_A_COMMAND_STARTS = """
import signal
from malenhance.cli import app, main
app.command("starting")(lambda: signal.raise_signal(signal.SIGTERM))
main()
"""


def test_sigterm_before_a_command_has_started_its_work_exits_143_not_130():
    """A stress loop, 2026-12-06: SIGTERM while `malenhance score` was still loading exited
    130, Ctrl-C's status (Typer's for any interrupt no command caught), so a caller could
    not tell a `timeout` from a Ctrl-C."""
    done = subprocess.run([sys.executable, "-c", _SIGTERM_WHILE_A_COMMAND_STARTS, "starting"],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr


_SIGTERM_INSIDE_A_WEAKREF_CALLBACK = """
import signal, sys, time, weakref
from malenhance.signals import interrupt_on_signals
interrupt_on_signals()
class Thing:
    pass
thing = Thing()
ref = weakref.ref(thing, lambda ref: signal.raise_signal(signal.SIGTERM))
try:
    del thing  # the callback runs, and the signal's handler with it
    time.sleep(30)
    print("finished", file=sys.stderr)
except KeyboardInterrupt as interrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(interrupt.exit_status)
"""


def test_sigterm_that_lands_in_a_callback_still_stops_the_run():
    """A stress loop, 2026-12-06: SIGTERM landed in the import system's weak-reference
    callback while `malenhance score` was starting; the exception was printed as "Exception
    ignored in ..." and dropped, and the run went on to the end with exit status 0."""
    done = subprocess.run([sys.executable, "-c", _SIGTERM_INSIDE_A_WEAKREF_CALLBACK],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "interrupted" in done.stderr and "Exception ignored" not in done.stderr, done.stderr

def test_an_interrupt_crosses_from_a_worker_to_its_parent_whole():
    sent = Interrupted(signal.SIGTERM)
    received = pickle.loads(pickle.dumps(sent))
    assert type(received) is Interrupted and received.exit_status == 128 + signal.SIGTERM


# --------------------------------------------------------------------------- bad files


def _spoil(folder: Path) -> list[str]:
    """An empty, a junk and a truncated WAV in ``folder`` plus a text file; their names."""
    (folder / "empty.wav").write_bytes(b"")
    (folder / "junk.wav").write_bytes(b"this is not audio")
    (folder / "cut.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk")
    (folder / "notes.txt").write_text("not audio, and not named like it")
    return ["empty.wav", "junk.wav", "cut.wav"]


@pytest.mark.slow
def test_train_skips_bad_files_with_one_warning_and_stops_clearly_if_none_is_left(tmp_path):
    data = make_paired(tmp_path / "data", count=6, snr_db=0.0)
    bad = _spoil(data / "noisy")
    for name in bad:
        (data / "clean" / name).write_bytes((data / "clean" / "u00.wav").read_bytes())
    args = _train_args(data, tmp_path / "run")
    args[args.index("--stage1-steps") + 1] = 1
    args[args.index("--stage2-steps") + 1] = 0
    result = _run(*args)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and "skipped 3 unreadable files" in warnings[0]
    assert all(name in warnings[0] for name in bad)
    assert (tmp_path / "run" / "model.safetensors").exists()

    nothing = tmp_path / "nothing"
    (nothing / "clean").mkdir(parents=True)
    (nothing / "noise").mkdir()
    _spoil(nothing / "clean")
    result = _run("train", "--data", nothing, "--output", tmp_path / "run2", "--stage1-steps",
                  1, "--stage2-steps", 0, "--workers", 0, "--device", "cpu", "--quiet")
    assert result.returncode == 1
    assert "error: no readable clean/noisy files" in result.stderr
    assert "Traceback" not in result.stderr


def test_score_reports_each_bad_file_once_scores_the_rest_and_exits_1(score_folders, tmp_path):
    system = tmp_path / "enhanced"
    system.mkdir()
    for i in range(2):
        name = f"s{i:02d}.wav"
        (system / name).write_bytes((score_folders / "enhanced" / name).read_bytes())
    clean = tmp_path / "clean"
    clean.mkdir()
    for name in ("s00.wav", "s01.wav", *_spoil(system)):
        (clean / name).write_bytes((score_folders / "clean" / "s00.wav").read_bytes())
    table = tmp_path / "table.csv"
    result = _cli("score", system, "--ref", clean, "--no-dnsmos", "--quiet", "-o", table)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    rows = _by_key(_table(table))
    for name in ("empty", "junk", "cut"):
        lines = [line for line in result.stderr.splitlines() if f"enhanced: {name}:" in line]
        assert len(lines) == 1 and f"{name}.wav" in lines[0], result.stderr
        assert rows["enhanced", name]["error"]
    assert not rows["enhanced", "s00"]["error"] and float(rows["enhanced", "s00"]["pesq_wb"]) > 1


# --------------------------------------------------------------------------- workers


def _late_worker() -> None:
    time.sleep(2)  # still starting up (importing torch) when its parent is killed
    exit_with_parent()
    time.sleep(120)


def _doomed_parent(pid_file: str) -> None:
    child = get_context("spawn").Process(target=_late_worker)
    child.start()
    Path(pid_file).write_text(str(child.pid))
    os.kill(os.getpid(), signal.SIGKILL)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z"  # exited, waiting to be reaped by whoever adopted it


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_worker_exits_even_when_its_parent_died_before_it_started_watching(tmp_path):
    pid_file = tmp_path / "pid"
    parent = get_context("spawn").Process(target=_doomed_parent, args=(str(pid_file),))
    parent.start()
    parent.join(TIMEOUT)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 60
    while not _gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("the orphaned worker did not exit")
        time.sleep(0.1)


# --------------------------------------------------------------------------- signals


@pytest.fixture(scope="module")
def long_flacs(tmp_path_factory) -> Path:
    """Two 10-minute FLAC files: long enough to be signalled while being written."""
    root = tmp_path_factory.mktemp("signals")
    noise = np.random.default_rng(0).normal(0, 0.1, 600 * RATE).astype(np.float32)
    for name in ("a.flac", "b.flac"):
        sf.write(root / name, noise, RATE, subtype="PCM_16")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("sig,jobs", [(signal.SIGTERM, 1), (signal.SIGHUP, 1),
                                      (signal.SIGTERM, 2)])
def test_termination_signals_leave_no_partial_output(long_flacs, tmp_path, tiny_model_dir,
                                                     sig, jobs):
    """Issue 26: `timeout 6 malenhance enhance long.flac -o out.flac` left `.out.flac.*.part`.

    The signal goes to the whole process group, as `timeout` and a closing terminal send it.
    """
    out = tmp_path / "out"
    inputs = [long_flacs / "a.flac"] if jobs == 1 else [long_flacs]
    target = ["-o", out / "a.flac"] if jobs == 1 else ["-o", out]
    process = _start("enhance", *inputs, *target, "-m", tiny_model_dir, "--threads", "1",
                     "--jobs", jobs, "--block-seconds", 0.5)
    deadline = time.monotonic() + TIMEOUT
    while len(list(out.glob(".*.part"))) < jobs:
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"no partial file seen: {process.communicate()[1]}")
        time.sleep(0.005)
    os.killpg(process.pid, sig)
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 128 + sig, err
    assert "interrupted" in err and "Traceback" not in err
    assert not list(out.iterdir()), "no partial file, no output"


def test_a_rerun_through_stdin_removes_the_partial_files_it_owns(tmp_path, tiny_model_dir,
                                                                  noisy_wav):
    """Issue 26: `enhance - -o out.wav` left the partial files of a killed run for out.wav."""
    source, _ = noisy_wav
    stale = tmp_path / ".out.wav.abcd1234.part"
    stale.write_bytes(b"RIFF half a file")
    with open(source, "rb") as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "malenhance", "enhance", "-", "-o", str(tmp_path / "out.wav"),
             "-m", str(tiny_model_dir), "-q"], stdin=stdin, capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["noisy.wav", "out.wav"]


def _pool_threads() -> list:
    return [t for t in threading.enumerate() if "ExecutorManagerThread" in type(t).__name__]


def test_leaving_a_worker_pool_early_joins_it_before_returning():
    """CI, 2026-12-05: `enhance --jobs 2` stopped by SIGTERM printed a traceback at exit
    ("OSError: [Errno 9] Bad file descriptor" from concurrent.futures' _python_exit): the
    pool's manager thread was still running when the interpreter exited, because the pool
    had been shut down without waiting and lost its hold on that thread."""
    results = pool_map(time.sleep, [0.5] * 6, workers=2)
    with contextlib.closing(results):
        next(results)
    assert not _pool_threads(), "the pool's manager thread outlived pool_map"


class _InterruptingSoundFile:
    """Stands in for soundfile.SoundFile: the signal lands while the output is being opened."""

    def __init__(self, *args, **kwargs):
        raise Interrupted(signal.SIGHUP)


@pytest.mark.parametrize("where", ["opening", "finishing"])
def test_a_signal_while_the_output_opens_or_closes_leaves_no_partial_file(tmp_path,
                                                                          monkeypatch, where):
    """CI, 2026-12-07 (under load): SIGHUP landed just after the hidden `.part` file was
    created, before the writer's `with` block had begun (or while it was being closed), and
    the `.part` file stayed behind."""
    from malenhance import audio

    target = tmp_path / "out.flac"
    if where == "opening":
        monkeypatch.setattr(audio.sf, "SoundFile", _InterruptingSoundFile)
        with pytest.raises(Interrupted):
            audio.AtomicAudioWriter(target, RATE, 1, "FLAC", "PCM_16")
    else:
        def interrupted(self):
            raise Interrupted(signal.SIGHUP)

        monkeypatch.setattr(audio.AtomicAudioWriter, "_verify", interrupted)
        with pytest.raises(Interrupted):
            with audio.AtomicAudioWriter(target, RATE, 1, "FLAC", "PCM_16") as writer:
                writer.write(np.zeros((1600, 1), np.float32))
    assert list(tmp_path.iterdir()) == []
