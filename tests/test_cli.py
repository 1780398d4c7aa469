import subprocess
import sys

import numpy as np
import soundfile as sf
from typer.testing import CliRunner

from malenhance.cli import app
from tests.speech import mix, speech

runner = CliRunner()


def _write(path, seconds_seed=0, rate=16000):
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, mix(speech(rate=rate), 5.0, seed=seconds_seed, rate=rate), rate)
    return path


def test_version_names_the_torch_pair():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert "torch 2.11" in result.output and "torchaudio 2.11" in result.output


def test_enhance_single_file(tmp_path, tiny_model_dir):
    src = _write(tmp_path / "noisy.wav")
    out = tmp_path / "clean.wav"
    result = runner.invoke(app, ["enhance", str(src), "-o", str(out), "-m", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert sf.info(out).frames == sf.info(src).frames
    assert "enhanced 1 file" in result.output


def test_folder_run_with_one_bad_file_processes_the_rest(tmp_path, tiny_model_dir):
    _write(tmp_path / "in" / "a.wav")
    _write(tmp_path / "in" / "sub" / "b.wav", 1)
    (tmp_path / "in" / "broken.wav").write_bytes(b"RIFF\x00\x00garbage")
    result = runner.invoke(
        app,
        ["enhance", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-m", str(tiny_model_dir)],
    )
    assert result.exit_code == 1
    assert "broken.wav" in result.output and "Traceback" not in result.output
    assert (tmp_path / "out" / "a.wav").exists() and (tmp_path / "out" / "sub" / "b.wav").exists()
    assert not (tmp_path / "out" / "broken.wav").exists()


def test_existing_outputs_refused_skipped_or_overwritten(tmp_path, tiny_model_dir):
    src = _write(tmp_path / "in" / "a.wav")
    out = tmp_path / "out"
    args = ["enhance", str(src.parent), "-o", str(out), "-m", str(tiny_model_dir)]
    assert runner.invoke(app, args).exit_code == 0
    before = (out / "a.wav").stat().st_mtime_ns
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "exists" in refused.output
    skipped = runner.invoke(app, [*args, "--skip-existing"])
    assert skipped.exit_code == 0 and "skipped 1" in skipped.output
    assert (out / "a.wav").stat().st_mtime_ns == before
    assert runner.invoke(app, [*args, "--overwrite"]).exit_code == 0


def test_usage_errors_exit_2_with_one_line(tmp_path, tiny_model_dir):
    src = _write(tmp_path / "a.wav")
    missing_model = runner.invoke(app, ["enhance", str(src), "-m", str(tmp_path / "nope")])
    assert missing_model.exit_code == 2
    assert "not a bundled model" in missing_model.output
    empty = tmp_path / "empty"
    empty.mkdir()
    no_audio = runner.invoke(app, ["enhance", str(empty), "-m", str(tiny_model_dir)])
    assert no_audio.exit_code == 2 and "no audio files" in no_audio.output
    bad_strength = runner.invoke(app, ["enhance", str(src), "--strength", "2"])
    assert bad_strength.exit_code == 2


def test_missing_input_file_fails_that_file(tmp_path, tiny_model_dir):
    result = runner.invoke(
        app,
        [
            "enhance",
            str(tmp_path / "nope.wav"),
            "-o",
            str(tmp_path / "o.wav"),
            "-m",
            str(tiny_model_dir),
        ],
    )
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_models_lists_the_bundled_default():
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0 and "default" in result.output


def test_installed_command_enhances_with_bundled_model_offline(tmp_path):
    """The README's main job, through the real console script, with the network off."""
    src = _write(tmp_path / "noisy.wav")
    out = tmp_path / "clean.wav"
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    exe = [sys.executable, "-m", "malenhance"]
    proc = subprocess.run(
        [*exe, "enhance", str(src), "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    enhanced, rate = sf.read(out)
    assert rate == 16000 and len(enhanced) == sf.info(src).frames
    assert not np.allclose(enhanced, sf.read(src)[0], atol=1e-3)


def test_parallel_jobs_give_the_same_outputs_and_report_failures(tmp_path, tiny_model_dir,
                                                                 monkeypatch):
    # Workers even where starting them costs more than these short files save.
    monkeypatch.setattr("malenhance.parallel.WORKER_START_SECONDS", {})
    monkeypatch.setattr("malenhance.parallel.usable_cpus", lambda: 2)
    for i in range(3):
        _write(tmp_path / "in" / f"f{i}.wav", i)
    (tmp_path / "in" / "bad.wav").write_bytes(b"not audio at all")
    base = ["enhance", str(tmp_path / "in"), "-m", str(tiny_model_dir)]
    serial = runner.invoke(app, [*base, "-o", str(tmp_path / "serial")])
    parallel = runner.invoke(app, [*base, "-o", str(tmp_path / "parallel"), "--jobs", "2"])
    assert serial.exit_code == parallel.exit_code == 1
    assert "bad.wav" in parallel.output and "failed 1" in parallel.output
    for i in range(3):
        a, _ = sf.read(tmp_path / "serial" / f"f{i}.wav")
        b, _ = sf.read(tmp_path / "parallel" / f"f{i}.wav")
        assert np.allclose(a, b, atol=2 / 32768)  # thread counts differ: LSB-level only


# A child's peak memory as the kernel reports it at exit (what `/usr/bin/time` shows). The
# command runs under a small launcher: a process forked from this big test process would
# inherit its memory high-water mark.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
)


def _peak_rss_mb(args: list[str]) -> tuple[int, float]:
    """Exit status and peak memory (MB) of a command over its whole life, exit included."""
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], capture_output=True,
                          text=True, check=True, timeout=300)
    code, kilobytes = proc.stdout.split()
    return int(code), int(kilobytes) / 1024


def test_command_exit_skips_the_costly_interpreter_teardown():
    """Tearing the interpreter down after torch raised peak memory by ~130 MB at exit."""
    teardown = "import sys, torch; sys.exit(3)"
    cli = "import sys, torch; from malenhance.cli import main; sys.argv[1:] = ['models']; main()"
    plain_code, plain_mb = _peak_rss_mb([sys.executable, "-c", teardown])
    cli_code, cli_mb = _peak_rss_mb([sys.executable, "-c", cli])
    assert (plain_code, cli_code) == (3, 0)
    assert cli_mb < plain_mb - 60, (cli_mb, plain_mb)


def test_command_exit_status_survives_the_fast_exit(tmp_path):
    missing = tmp_path / "missing.wav"
    code, _ = _peak_rss_mb([sys.executable, "-m", "malenhance", "enhance", str(missing)])
    assert code == 1
    code, _ = _peak_rss_mb([sys.executable, "-m", "malenhance", "enhance", "--strength", "9",
                            str(missing)])
    assert code == 2


def test_atten_lim_keeps_a_background_that_many_db_down(tmp_path):
    from tests.speech import noise_like

    rate = 16000
    noise = (0.05 * noise_like(3 * rate, seed=3) / np.std(noise_like(3 * rate, seed=3)))
    src = tmp_path / "noise.wav"
    sf.write(src, noise.astype(np.float32), rate, subtype="FLOAT")

    def level_db(args):
        out = tmp_path / f"out{len(args)}.wav"
        result = runner.invoke(app, ["enhance", str(src), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        audio, _ = sf.read(out)
        return 10 * np.log10(np.mean(audio[rate:] ** 2) / np.mean(noise[rate:] ** 2))

    # The default removes most of a noise-only input; with a 10 dB limit the background
    # stays about 10 dB down (what the model leaves adds a little).
    assert level_db([]) < -15.0
    assert -10.5 < level_db(["--atten-lim", "10"]) < -8.0
    negative = runner.invoke(app, ["enhance", str(src), "--atten-lim", "-3"])
    assert negative.exit_code == 2


def test_output_guessing_is_said_and_several_inputs_into_one_file_exit_2(tmp_path, tiny_model_dir):
    """Issue 26: the folder guess is said in the output; refusals are one line, exit 2."""
    a, b = _write(tmp_path / "a.wav"), _write(tmp_path / "b.wav", 1)
    model = ["-m", str(tiny_model_dir)]
    guessed = runner.invoke(app, ["enhance", str(a), "-o", str(tmp_path / "newdir"), *model])
    assert guessed.exit_code == 0, guessed.output
    assert (tmp_path / "newdir" / "a.wav").is_file()
    assert "no audio extension" in guessed.output
    slash = runner.invoke(app, ["enhance", str(a), "-o", str(tmp_path / "cleaned") + "/", *model])
    assert slash.exit_code == 0 and (tmp_path / "cleaned" / "a.wav").is_file(), slash.output
    refused = runner.invoke(app, ["enhance", str(a), str(b), "-o", str(tmp_path / "both.wav"),
                                  *model])
    assert refused.exit_code == 2
    assert "names one audio file" in refused.output and not (tmp_path / "both.wav").exists()
    help_text = runner.invoke(app, ["enhance", "--help"], env={"COLUMNS": "200"}).output
    assert "no audio extension" in help_text


def test_help_reads_like_a_unix_tool():
    """Issue 26: flags showed `<bool>` as if they took a value; usage read `{IN...}...`."""
    import re

    for command in ("enhance", "score", "train", "export", "models", "push"):
        text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
        assert "<bool>" not in text, command
        usage = next(line for line in text.splitlines() if "Usage:" in line)
        assert "{" not in usage and "..." not in usage.replace("...", "", 1), (command, usage)
        assert not re.search(r"\.\.\.\S*\.\.\.", usage), (command, usage)
    enhance_help = runner.invoke(app, ["enhance", "--help"], env={"COLUMNS": "200"}).output
    assert "IN..." in enhance_help


def test_cli_runs_on_a_typer_without_the_help_hooks(tmp_path):
    """Bug: the help patches read typer 0.29 internals, so on typer 0.27 (the GPU host's, and
    pyproject allows >= 0.15) every command died with AttributeError before doing anything."""
    script = (
        "import sys, typer.core as core\n"
        "for cls, name in ((core.TyperOption, 'display_type_rich'),\n"
        "                  (core.TyperArgument, '_usage_display_name')):\n"
        "    for klass in cls.__mro__:\n"
        "        if name in vars(klass):\n"
        "            delattr(klass, name)\n"
        "from malenhance.cli import main\n"
        "sys.argv = ['malenhance', 'enhance', sys.argv[1], '-o', sys.argv[2], '-q']\n"
        "main()\n"
    )
    noisy, clean = tmp_path / "noisy.wav", tmp_path / "clean.wav"
    _write(noisy)
    done = subprocess.run([sys.executable, "-c", script, str(noisy), str(clean)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert sf.info(str(clean)).frames == sf.info(str(noisy)).frames


def test_device_has_one_default_across_commands():
    """Issue 26: --device defaulted to auto in enhance but cpu in score."""
    import inspect

    from malenhance.cli import enhance as enhance_cli
    from malenhance.cli import score as score_cli

    defaults = {
        name: inspect.signature(fn).parameters["device"].default
        for name, fn in (("enhance", enhance_cli.enhance), ("score", score_cli.score))
    }
    assert set(defaults.values()) == {"auto"}, defaults


def test_models_shows_rate_latency_size_and_quality_from_the_card():
    """Issue 26: `malenhance models` showed name, source and path only."""
    result = runner.invoke(app, ["models"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "default" in line)
    for expected in ("16 kHz", "20 ms", "1.01 M params", "3.9 MB", "PESQ-wb 1.80",
                     "ESTOI 0.693"):
        assert expected in row, (expected, row)


def test_summary_gives_seconds_for_short_audio_and_the_model_load_apart(tmp_path,
                                                                        tiny_model_dir):
    """Issue 26: "0.1 min of audio" for a 3 s file; the RTF shown included model loading."""
    src = tmp_path / "short.wav"
    sf.write(src, mix(speech(), 5.0)[: 3 * 16000], 16000)
    result = runner.invoke(app, ["enhance", str(src), "-o", str(tmp_path / "out.wav"),
                                 "-m", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert "enhanced 1 file, 3.0 s of audio in " in summary, summary
    assert "min of audio" not in summary and "model loaded in " in summary, summary

