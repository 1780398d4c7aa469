"""`malenhance score`: pairing, values equal to direct pesq/pystoi calls, output files,
resume, several systems, consistency, and clear messages for bad inputs."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from pesq import pesq
from pystoi import stoi
from typer.testing import CliRunner

from malenhance.cli import app
from malenhance.errors import DataError
from malenhance.scoring import audio_files, compare, describe, pair_files, score
from tests.speech import SENTENCES, mix, speech

RATE = 16000
SECONDS = 2.5  # short clips keep the suite fast; enough for STOI's 384 ms of speech


def _write(path: Path, audio: np.ndarray, rate: int = RATE, subtype: str = "PCM_16") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, audio, rate, subtype=subtype)
    return path


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """clean/, noisy/ (0 dB), good/ (15 dB) and fair/ (5 dB) with three utterances each;
    one of them in a sub-folder, and good/ stores it as FLAC."""
    root = tmp_path_factory.mktemp("score")
    for i, text in enumerate(SENTENCES[:3]):
        clean = speech(text)[: int(SECONDS * RATE)]
        name = "sub/u2" if i == 2 else f"u{i}"
        _write(root / "clean" / f"{name}.wav", clean)
        _write(root / "noisy" / f"{name}.wav", mix(clean, 0.0, seed=i))
        _write(root / "fair" / f"{name}.wav", mix(clean, 5.0, seed=i))
        good_ext = "flac" if i == 2 else "wav"
        _write(root / "good" / f"{name}.{good_ext}", mix(clean, 15.0, seed=i))
    return root


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["score", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def _rows(path: Path, system: str | None = None) -> dict[str, dict[str, str]]:
    return {r["file"]: r for r in _read_csv(path) if system is None or r["system"] == system}


def _load(path: Path) -> np.ndarray:
    return sf.read(path, dtype="float64")[0]


def test_values_equal_direct_pesq_and_pystoi_calls(dataset, tmp_path):
    out, summary = tmp_path / "scores.csv", tmp_path / "summary.json"
    code, stdout, stderr = _run(dataset / "fair", "--ref", dataset / "clean", "-o", out,
                                "--summary", summary)
    assert code == 0, stderr
    rows = _rows(out)
    assert sorted(rows) == ["sub/u2", "u0", "u1"]
    for key, row in rows.items():
        clean = _load(dataset / "clean" / f"{key}.wav")
        fair = _load(dataset / "fair" / f"{key}.wav")
        assert float(row["pesq_wb"]) == pesq(RATE, clean, fair, "wb")
        # pystoi itself varies in the last bit between identical calls (numpy's SIMD sums
        # depend on where temporaries land in memory), hence 1e-12 rather than ==.
        assert float(row["stoi"]) == pytest.approx(stoi(clean, fair, RATE), rel=1e-12)
        assert float(row["estoi"]) == pytest.approx(
            stoi(clean, fair, RATE, extended=True), rel=1e-12)
        assert row["pesq_nb"] == "" and row["error"] == ""
    report = json.loads(summary.read_text())
    stats = report["systems"]["fair"]["pesq_wb"]
    values = [float(r["pesq_wb"]) for r in rows.values()]
    assert stats["count"] == 3
    assert stats["mean"] == pytest.approx(np.mean(values))
    assert stats["std"] == pytest.approx(np.std(values, ddof=1))
    assert report["packages"]["pesq"] and report["packages"]["pystoi"]
    assert "pesq_wb" in stdout and "fair" in stdout


def test_identical_folders_score_the_maxima(dataset, tmp_path):
    out = tmp_path / "same.jsonl"
    code, _, stderr = _run(dataset / "clean", "--ref", dataset / "clean", "-o", out)
    assert code == 0, stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert row["pesq_wb"] == pytest.approx(4.644, abs=1e-3)
        assert row["stoi"] == pytest.approx(1.0, abs=1e-6)
        assert row["estoi"] == pytest.approx(1.0, abs=1e-6)
        assert row["si_sdr"] > 100
        assert (row["csig"], row["cbak"], row["covl"]) == (5.0, 5.0, 5.0)
        assert row["pesq_nb"] is None  # NaN is null in JSONL


def test_several_systems_with_noisy_inputs_give_paired_differences(dataset, tmp_path):
    out, summary = tmp_path / "s.csv", tmp_path / "s.json"
    code, stdout, stderr = _run(dataset / "fair", dataset / "good", "-r", dataset / "clean",
                                "-n", dataset / "noisy", "-o", out, "-s", summary)
    assert code == 0, stderr
    fair, good, noisy = (_rows(out, s) for s in ("fair", "good", "noisy-input"))
    assert len(fair) == len(good) == len(noisy) == 3
    assert good["sub/u2"]["path"].endswith("u2.flac")  # paired across extensions
    for key in fair:
        improvement = float(fair[key]["si_sdr"]) - float(noisy[key]["si_sdr"])
        assert float(fair[key]["si_sdr_improvement"]) == pytest.approx(improvement)
        assert float(good[key]["pesq_wb"]) > float(fair[key]["pesq_wb"])
    diff = json.loads(summary.read_text())["comparisons"]["good - fair"]["pesq_wb"]
    expected = [float(good[k]["pesq_wb"]) - float(fair[k]["pesq_wb"]) for k in fair]
    assert diff["mean"] == pytest.approx(np.mean(expected)) and diff["count"] == 3
    assert diff["ci95"] == pytest.approx(describe(expected)["ci95"])
    assert "good - fair" in stdout and "noisy-input" in stdout


def test_unpaired_files_are_listed(dataset, tmp_path):
    system = tmp_path / "partial"
    _write(system / "u0.wav", _load(dataset / "fair" / "u0.wav"))
    _write(system / "stray.wav", _load(dataset / "fair" / "u1.wav"))
    code, _, stderr = _run(system, "--ref", dataset / "clean")
    assert code == 0
    assert "partial: no reference: 1 file(s): stray" in stderr
    assert "partial: reference without output: 2 file(s): sub/u2, u1" in stderr


def test_length_and_rate_mismatch_are_trimmed_resampled_and_noted(dataset, tmp_path):
    clean = _load(dataset / "clean" / "u0.wav")
    fair = _load(dataset / "fair" / "u0.wav")
    longer = _write(tmp_path / "long" / "u0.wav", np.concatenate([fair, np.zeros(800)]))
    out = tmp_path / "l.csv"
    assert _run(longer.parent, "--ref", dataset / "clean", "-o", out)[0] == 0
    row = _rows(out)["u0"]
    assert "both trimmed to" in row["notes"]
    assert float(row["pesq_wb"]) == pesq(RATE, clean, fair, "wb")
    narrow = _write(tmp_path / "narrow" / "u0.wav", sf.read(dataset / "fair" / "u0.wav")[0][::2],
                    rate=8000)
    assert _run(narrow.parent, "--ref", dataset / "clean", "-o", out)[0] == 0
    row = _rows(out)["u0"]
    assert "resampled from 8000 Hz" in row["notes"] and float(row["pesq_wb"]) > 1.0


def test_eight_khz_pairs_use_narrow_band_pesq(tmp_path):
    clean = speech(SENTENCES[0], rate=8000)
    degraded = mix(clean, 10.0, seed=4, rate=8000)
    _write(tmp_path / "clean" / "a.wav", clean, rate=8000)
    _write(tmp_path / "enh" / "a.wav", degraded, rate=8000)
    out = tmp_path / "nb.csv"
    assert _run(tmp_path / "enh", "--ref", tmp_path / "clean", "-o", out)[0] == 0
    row = _rows(out)["a"]
    ref, deg = _load(tmp_path / "clean" / "a.wav"), _load(tmp_path / "enh" / "a.wav")
    assert float(row["pesq_nb"]) == pesq(8000, ref, deg, "nb") and row["pesq_wb"] == ""
    assert float(row["stoi"]) == pytest.approx(stoi(ref, deg, 8000), rel=1e-12)


def test_missing_reference_folder_is_a_clear_usage_error(dataset, tmp_path):
    code, _, stderr = _run(dataset / "fair", "--ref", tmp_path / "nowhere")
    assert code == 2
    assert f"--ref {tmp_path / 'nowhere'}: no such file or folder" in stderr
    assert "Traceback" not in stderr


def test_empty_folder_is_a_clear_usage_error(dataset, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, stderr = _run(tmp_path / "empty", "--ref", dataset / "clean")
    assert code == 2
    assert "empty: folder holds no audio files" in stderr


def test_corrupt_file_gets_an_error_row_a_warning_and_exit_1(dataset, tmp_path):
    system = tmp_path / "broken"
    _write(system / "u0.wav", _load(dataset / "fair" / "u0.wav"))
    (system / "u1.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk")
    out = tmp_path / "b.csv"
    code, _, stderr = _run(system, "--ref", dataset / "clean", "-o", out)
    assert code == 1
    assert "warning:" in stderr and "broken: u1:" in stderr
    assert "not a readable audio file" in stderr
    rows = _rows(out)
    assert rows["u1"]["error"] and rows["u1"]["pesq_wb"] == ""
    assert rows["u0"]["error"] == "" and float(rows["u0"]["pesq_wb"]) > 1.0


def test_corrupt_reference_or_noisy_input_is_reported_per_row(dataset, tmp_path):
    fair = _load(dataset / "fair" / "u0.wav")
    _write(tmp_path / "enh" / "u0.wav", fair)
    _write(tmp_path / "clean" / "u0.wav", _load(dataset / "clean" / "u0.wav"))
    (tmp_path / "noisy").mkdir()
    (tmp_path / "noisy" / "u0.wav").write_bytes(b"broken")
    out = tmp_path / "n.csv"
    code, _, stderr = _run(tmp_path / "enh", "-r", tmp_path / "clean", "-n", tmp_path / "noisy",
                           "-o", out)
    assert code == 1 and "noisy-input: u0:" in stderr
    enhanced, noisy = _rows(out, "enh")["u0"], _rows(out, "noisy-input")["u0"]
    assert noisy["error"] and not enhanced["error"]
    assert float(enhanced["pesq_wb"]) > 1.0 and enhanced["pesq_wb_improvement"] == ""
    (tmp_path / "clean" / "u0.wav").write_bytes(b"broken too")
    code, _, _ = _run(tmp_path / "enh", "-r", tmp_path / "clean", "-o", out)
    assert code == 1 and _rows(out)["u0"]["error"].startswith("reference: ")


def test_silent_reference_gives_nan_with_the_reason_not_a_crash(dataset, tmp_path):
    _write(tmp_path / "clean" / "u0.wav", np.zeros(RATE))
    _write(tmp_path / "enh" / "u0.wav", _load(dataset / "fair" / "u0.wav")[:RATE])
    out = tmp_path / "silent.csv"
    code, _, stderr = _run(tmp_path / "enh", "--ref", tmp_path / "clean", "-o", out)
    assert code == 0
    row = _rows(out)["u0"]
    assert row["pesq_wb"] == "" and row["stoi"] == ""
    assert "reference is silent" in row["notes"] and "reference is silent" in stderr


def test_resume_continues_without_duplicates(dataset, tmp_path):
    out = tmp_path / "r.csv"
    args = (dataset / "fair", dataset / "good", "--ref", dataset / "clean", "-o", out)
    assert _run(*args)[0] == 0
    full = _read_csv(out)
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:3]) + "\n")  # header + two rows: an interrupted run
    code, _, stderr = _run(*args, "--resume")
    assert code == 0, stderr
    resumed = _read_csv(out)
    assert len(resumed) == len(full) == 6
    assert len({(r["system"], r["file"]) for r in resumed}) == 6
    key = {(r["system"], r["file"]): r["pesq_wb"] for r in full}
    assert all(key[r["system"], r["file"]] == r["pesq_wb"] for r in resumed)


def test_resume_refuses_an_output_written_with_other_options(dataset, tmp_path):
    out = tmp_path / "r.csv"
    assert _run(dataset / "fair", "--ref", dataset / "clean", "-o", out)[0] == 0
    code, _, stderr = _run(dataset / "fair", "--ref", dataset / "clean", "--noisy",
                           dataset / "noisy", "-o", out, "--resume")
    assert code == 2 and "written with other options" in stderr


def test_resume_retries_failed_rows(dataset, tmp_path):
    system = tmp_path / "sys"
    _write(system / "u0.wav", _load(dataset / "fair" / "u0.wav"))
    (system / "u1.wav").write_bytes(b"not audio")
    out = tmp_path / "r.jsonl"
    assert _run(system, "--ref", dataset / "clean", "-o", out)[0] == 1
    _write(system / "u1.wav", _load(dataset / "fair" / "u1.wav"))
    assert _run(system, "--ref", dataset / "clean", "-o", out, "--resume")[0] == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["file"] for r in rows) == ["u0", "u1"]
    assert all(r["error"] == "" for r in rows)


def test_single_files_can_be_scored(dataset):
    code, stdout, _ = _run(dataset / "fair" / "u0.wav", "--ref", dataset / "clean" / "u0.wav")
    assert code == 0 and "pesq_wb" in stdout


def test_pairing_by_relative_path_without_extension(tmp_path):
    _write(tmp_path / "a" / "x" / "one.wav", np.zeros(100))
    _write(tmp_path / "a" / ".hidden.wav", np.zeros(100))
    (tmp_path / "a" / "notes.txt").write_text("not audio")
    assert list(audio_files(tmp_path / "a")) == ["x/one"]
    _write(tmp_path / "a" / "x" / "one.flac", np.zeros(100))
    with pytest.raises(DataError, match="would both pair as 'x/one'"):
        audio_files(tmp_path / "a")
    with pytest.raises(DataError, match="no such file or folder"):
        pair_files([tmp_path / "missing"])


def test_nothing_paired_is_a_clear_error(dataset, tmp_path):
    _write(tmp_path / "other" / "zzz.wav", np.zeros(RATE))
    with pytest.raises(DataError, match="no enhanced file has a reference"):
        pair_files([tmp_path / "other"], dataset / "clean")


def test_describe_uses_the_student_t_interval():
    stats = describe([1.0, 2.0, 3.0, 4.0, 5.0, math.nan])
    assert stats["count"] == 5 and stats["mean"] == 3.0
    assert stats["ci95"] == pytest.approx(2.7764451 * math.sqrt(2.5) / math.sqrt(5), rel=1e-6)
    assert describe([])["count"] == 0 and math.isnan(describe([2.0])["ci95"])


def test_compare_pairs_only_files_both_systems_scored():
    rows = [
        {"system": "a", "file": "x", "m": 1.0, "error": ""},
        {"system": "a", "file": "y", "m": 2.0, "error": ""},
        {"system": "b", "file": "x", "m": 1.5, "error": ""},
        {"system": "b", "file": "y", "m": 9.0, "error": "unreadable"},
    ]
    result = compare(rows, "a", ["b"], ["m"])["b - a"]["m"]
    assert result["count"] == 1 and result["mean"] == 0.5


def test_library_progress_callback_and_report(dataset):
    calls = []
    report = score([dataset / "fair"], reference=dataset / "clean",
                   progress=lambda done, total, item: calls.append((done, total, item)))
    assert [c[:2] for c in calls] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert report.summary["fair"]["stoi"]["count"] == 3 and not report.errors


def test_plots_need_matplotlib_and_say_so(dataset, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, _, stderr = _run(dataset / "fair", "--ref", dataset / "clean", "--plots", tmp_path)
    assert code == 2 and "--plots needs matplotlib" in stderr


@pytest.mark.slow
def test_plots_write_spectrograms_and_a_summary(dataset, tmp_path):
    pytest.importorskip("matplotlib")
    plots = tmp_path / "plots"
    code, _, stderr = _run(dataset / "fair", "--ref", dataset / "clean", "--noisy",
                           dataset / "noisy", "--plots", plots)
    assert code == 0, stderr
    assert (plots / "summary.png").stat().st_size > 10_000
    pictures = sorted(p.relative_to(plots).as_posix() for p in plots.rglob("*.png"))
    assert pictures == ["files/fair/sub/u2.png", "files/fair/u0.png", "files/fair/u1.png",
                        "summary.png"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    torch = pytest.importorskip("torch")
    from malenhance.hub import save_model_dir
    from malenhance.model import MalNet

    torch.manual_seed(0)
    return save_model_dir(MalNet(channels=(4, 4), rnn_hidden=8, rnn_layers=1),
                          tmp_path_factory.mktemp("model") / "tiny")


@pytest.mark.slow
def test_consistency_enhances_again_and_scores_both_passes(dataset, tmp_path, tiny_model):
    from malenhance.enhance import enhance_array
    from malenhance.hub import load_model
    from malenhance.scoring.metrics import si_sdr

    out = tmp_path / "c.csv"
    code, _, stderr = _run(dataset / "fair", "--ref", dataset / "clean", "--consistency",
                           "--model", tiny_model, "-o", out)
    assert code == 0, stderr
    row = _rows(out)["u0"]
    first = sf.read(dataset / "fair" / "u0.wav", dtype="float32")[0]
    second = enhance_array(load_model(str(tiny_model)), first, RATE)
    assert float(row["consistency_si_sdr"]) == pytest.approx(si_sdr(second, first), abs=1e-4)
    clean = _load(dataset / "clean" / "u0.wav")
    assert float(row["pass2_pesq_wb"]) == pytest.approx(
        pesq(RATE, clean, second.astype(np.float64), "wb"), abs=1e-4)


def test_unknown_consistency_model_is_a_usage_error(dataset, tmp_path):
    code, _, stderr = _run(dataset / "fair", "--ref", dataset / "clean", "--consistency",
                           "--model", tmp_path / "no-such-model")
    assert code == 2 and "no-such-model" in stderr


def test_without_a_reference_dnsmos_is_needed(dataset):
    code, _, stderr = _run(dataset / "fair", "--no-dnsmos")
    assert code == 2 and "nothing to compute" in stderr


@pytest.mark.slow
def test_without_a_reference_dnsmos_scores_each_file(dataset, tmp_path):
    out = tmp_path / "d.csv"
    code, stdout, stderr = _run(dataset / "good", dataset / "noisy", "-o", out)
    assert code == 0, stderr
    good, noisy = _rows(out, "good"), _rows(out, "noisy")
    assert "pesq_wb" not in _read_csv(out)[0]
    assert all(float(good[k]["dnsmos_bak"]) > float(noisy[k]["dnsmos_bak"]) for k in good)
    assert "dnsmos_ovrl" in stdout


@pytest.mark.slow
def test_parallel_jobs_give_the_same_rows(dataset, tmp_path):
    serial, parallel = tmp_path / "s.csv", tmp_path / "p.csv"
    assert _run(dataset / "fair", "--ref", dataset / "clean", "-o", serial)[0] == 0
    assert _run(dataset / "fair", "--ref", dataset / "clean", "-o", parallel, "-j", "2")[0] == 0
    expected, got = _rows(serial), _rows(parallel)
    assert sorted(expected) == sorted(got)
    for key, row in expected.items():
        for column, value in row.items():
            if column in ("system", "file", "path", "notes", "error") or value == "":
                assert got[key][column] == value
            else:  # pystoi's last bit varies between identical calls
                assert float(got[key][column]) == pytest.approx(float(value), rel=1e-12)


def test_values_clamped_at_the_scale_are_said(dataset, tmp_path):
    """Issue 26: CSIG/COVL at the floor printed "1.000 ± 0.000" with no explanation."""
    rng = np.random.default_rng(0)
    for path in sorted((dataset / "clean").rglob("*.wav")):  # noise alone: CSIG clamps at 1
        relative = path.relative_to(dataset / "clean")
        _write(tmp_path / "noise" / relative, rng.normal(0, 0.3, sf.info(path).frames))
    code, _, stderr = _run(tmp_path / "noise", "--ref", dataset / "clean", "-o",
                           tmp_path / "scores.csv")
    assert code == 0, stderr
    rows = _rows(tmp_path / "scores.csv")
    assert all(float(r["csig"]) == 1.0 for r in rows.values())
    assert all("CSIG clamped to 1" in r["notes"] for r in rows.values())
    assert "CSIG: clamped to the scale's floor (1) in 3 of 3 files" in stderr


def test_summary_plot_has_readable_titles_and_no_empty_noisy_input_column(monkeypatch,
                                                                          tmp_path):
    """Issue 26: panels were titled `pesq_wb_improvement`, with an empty noisy-input box."""
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from malenhance.scoring.plots import save_summary_figure

    figures = []
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: figures.append(fig))
    systems = ["noisy-input", "sysA"]
    rows = [{"system": s, "error": "", "pesq_wb": 1.0 + i, "si_sdr": 3.0 + i,
             "pesq_wb_improvement": math.nan if s == "noisy-input" else 0.5,
             "si_sdr_improvement": math.nan if s == "noisy-input" else 2.0}
            for s in systems for i in range(3)]
    save_summary_figure(tmp_path / "s.png", rows, systems,
                        ["pesq_wb", "si_sdr", "pesq_wb_improvement", "si_sdr_improvement"])
    (fig,) = figures
    axes = {ax.get_title(): ax for ax in fig.axes if ax.get_visible()}
    assert set(axes) == {"PESQ (wide band)", "SI-SDR (dB)", "Δ PESQ (wide band) over the input",
                         "Δ SI-SDR (dB) over the input"}
    ticks = {title: [t.get_text() for t in ax.get_xticklabels()] for title, ax in axes.items()}
    assert ticks["SI-SDR (dB)"] == systems
    assert ticks["Δ SI-SDR (dB) over the input"] == ["sysA"]
