"""Training end to end on generated speech: learning, resume, NaN guard, DDP, CLI."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import soundfile as sf
import torch
import torch.multiprocessing as mp
from typer.testing import CliRunner

from malenhance.cli import app
from malenhance.errors import TrainingError
from malenhance.model import MalNet
from malenhance.training import TrainConfig, checkpoint, train
from malenhance.training.datasets import PairedDataset
from tests.speech import mix, speech
from tests.train_data import make_paired

TINY = {"channels": [8, 8, 8, 8], "rnn_hidden": 32}


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_paired(tmp_path_factory.mktemp("train-data"), count=10, snr_db=0.0)


def _config(data: Path, output: Path, **overrides) -> TrainConfig:
    options = dict(
        data=data, output=output, stage1_steps=4, stage2_steps=4, mal_variant="frozen",
        mal_weight=1.0, model_config=dict(TINY), batch_size=2, segment_seconds=0.5,
        valid_every=0, valid_max_items=2, valid_seconds=1.0, valid_share=0.2, log_every=2,
        warmup_steps=2, workers=0, lr=3e-3, device="cpu", checkpoint_every=1000,
    )
    options.update(overrides)
    return TrainConfig.from_flat(**options)


def _records(output: Path, kind: str) -> list[dict]:
    lines = (output / "train_log.jsonl").read_text().splitlines()
    return [r for r in map(json.loads, lines) if r["type"] == kind]


@pytest.mark.slow
def test_tiny_run_improves_validation_si_sdr(data, tmp_path):
    config = _config(data, tmp_path / "run", stage1_steps=60, stage2_steps=15, batch_size=4,
                     segment_seconds=1.0, valid_every=30, valid_max_items=2,
                     valid_seconds=3.0, log_every=10, warmup_steps=10)
    result = train(config)
    noisy = _records(tmp_path / "run", "valid_input")[0]
    final = _records(tmp_path / "run", "valid")[-1]
    assert final["si_sdr"] > noisy["si_sdr"] + 3.0, (noisy, final)
    assert final["estoi"] > noisy["estoi"]
    # The exported model loads, and the log has every loss term of both stages.
    loaded = MalNet.from_pretrained(tmp_path / "run")
    assert loaded.config()["channels"] == TINY["channels"]
    stage2 = [r for r in _records(tmp_path / "run", "train") if r["stage"] == 2]
    assert {"magnitude", "complex", "si_sdr", "mal", "step_time_s"} <= set(stage2[0])
    assert (tmp_path / "run" / "stage1" / "model.safetensors").exists()
    assert (tmp_path / "run" / "curves.png").exists()
    assert set(result.step_time_s) == {"stage1", "stage2"}
    timing = [r for r in _records(tmp_path / "run", "stage_end")]
    assert [r["stage"] for r in timing] == [1, 2] and timing[1]["mean_step_time_s"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("variant, ema_decay", [("frozen", 0.0), ("dynamic", 0.0),
                                                 ("frozen", 0.9)])
def test_resume_continues_exactly_like_an_uninterrupted_run(data, tmp_path, variant,
                                                            ema_decay):
    options = dict(mal_variant=variant, ema_decay=ema_decay)
    straight = train(_config(data, tmp_path / "straight", **options))
    first = train(_config(data, tmp_path / "split", stop_after=3, **options))
    assert first.stopped_early and first.step == 3
    second = train(_config(data, tmp_path / "split", resume=True, stop_after=6,
                            **options))  # stops again inside stage 2
    assert second.stopped_early and second.step == 6
    last = train(_config(data, tmp_path / "split", resume=True, **options))
    assert not last.stopped_early and last.step == 8
    for name, value in straight.model.state_dict().items():
        assert torch.equal(value, last.model.state_dict()[name]), name
    steps = [r["step"] for r in _records(tmp_path / "split", "train")]
    assert steps == sorted(set(steps)), "no step is logged twice after a resume"


def test_ema_averages_the_weights_without_changing_the_training(data, tmp_path):
    from malenhance.training.checkpoint import load

    def weights(state: dict) -> dict:
        return {k: v for k, v in state.items() if k in params}

    params = {name for name, _ in MalNet(**TINY).named_parameters()}
    # The plain run's weights after steps 1, 2 and 3 (stage 1 has 4 steps).
    plain, raw = tmp_path / "plain", []
    for step in (1, 2, 3):
        train(_config(data, plain, stage2_steps=0, stop_after=step, resume=step > 1))
        raw.append(weights(load(plain / "checkpoints" / "last.pt")["model"]))
    averaged = tmp_path / "ema"
    train(_config(data, averaged, stage2_steps=0, stop_after=3, ema_decay=0.5))
    saved = load(averaged / "checkpoints" / "last.pt")
    for name, value in weights(saved["model"]).items():  # the training itself is unchanged
        assert torch.equal(value, raw[2][name]), name
    for name in raw[0]:  # 0.5 per step, from the first step's weights
        expected = 0.5 * (0.5 * raw[0][name] + 0.5 * raw[1][name]) + 0.5 * raw[2][name]
        assert torch.allclose(saved["ema"][f"module.{name}"], expected, atol=1e-6), name
    # At the stage's end the model takes the average's weights, and that is what is exported.
    done = train(_config(data, averaged, stage2_steps=0, ema_decay=0.5, resume=True))
    exported = MalNet.from_pretrained(averaged)
    last = load(averaged / "checkpoints" / "last.pt")
    for name, value in exported.state_dict().items():
        assert torch.equal(value, done.model.state_dict()[name]), name
        if name in params:
            assert torch.equal(value, last["ema"][f"module.{name}"]), name
    assert "moving average, decay 0.5" in (averaged / "README.md").read_text()
    with pytest.raises(TrainingError, match="ema_decay"):  # a resume keeps the decay
        train(_config(data, averaged, stage2_steps=0, resume=True))


def test_existing_run_needs_resume_and_matching_options(data, tmp_path):
    train(_config(data, tmp_path / "run", stage1_steps=1, stage2_steps=0))
    with pytest.raises(TrainingError, match="--resume"):
        train(_config(data, tmp_path / "run", stage1_steps=1, stage2_steps=0))
    with pytest.raises(TrainingError, match="seed"):
        train(_config(data, tmp_path / "run", stage1_steps=1, stage2_steps=0, seed=5,
                      resume=True))


def test_checkpoint_from_before_residual_weight_resumes(data, tmp_path):
    """Checkpoints written before --residual-weight existed carry no such key."""
    from malenhance.training.checkpoint import load, save_atomic

    run = tmp_path / "run"
    train(_config(data, run, stage1_steps=2, stage2_steps=0, stop_after=1,
                  checkpoint_every=1))
    last = run / "checkpoints" / "last.pt"
    state = load(last)
    del state["config"]["residual_weight"]
    save_atomic(state, last)
    done = train(_config(data, run, stage1_steps=2, stage2_steps=0, resume=True))
    assert done.step == 2
    with pytest.raises(TrainingError, match="residual_weight"):
        train(_config(data, run, stage1_steps=2, stage2_steps=0, resume=True,
                      residual_weight=1.0))


def test_residual_weight_is_logged_and_trains(data, tmp_path):
    result = train(_config(data, tmp_path / "res", stage1_steps=2, stage2_steps=2,
                           residual_weight=1.0))
    assert result.step == 4
    assert all("residual" in r for r in _records(tmp_path / "res", "train"))
    assert "residual-noise term weight 1.0" in (tmp_path / "res" / "README.md").read_text()


def test_oversuppression_and_clean_share_are_logged_and_train(data, tmp_path):
    result = train(_config(data, tmp_path / "os", stage1_steps=2, stage2_steps=2,
                           oversuppression_weight=2.0, clean_prob=0.5))
    assert result.step == 4
    assert all("oversuppression" in r for r in _records(tmp_path / "os", "train"))
    card = (tmp_path / "os" / "README.md").read_text()
    assert "over-suppression term weight 2.0" in card
    assert "clean (noise-free) training inputs 0.5" in card
    with pytest.raises(TrainingError, match="clean-prob"):
        train(_config(data, tmp_path / "bad", stage1_steps=1, stage2_steps=0, clean_prob=1.5))
    with pytest.raises(TrainingError, match="oversuppression"):
        train(_config(data, tmp_path / "bad2", stage1_steps=1, stage2_steps=0,
                      oversuppression_weight=-1.0))


def test_speech_distortion_weight_is_logged_and_trains(data, tmp_path):
    result = train(_config(data, tmp_path / "sd", stage1_steps=2, stage2_steps=2,
                           speech_distortion_weight=1.0))
    assert result.step == 4
    records = _records(tmp_path / "sd", "train")
    assert records and all(r["speech"] > 0 for r in records)
    assert "speech-distortion term weight 1.0" in (tmp_path / "sd" / "README.md").read_text()
    with pytest.raises(TrainingError, match="speech-distortion"):
        train(_config(data, tmp_path / "bad", stage1_steps=1, stage2_steps=0,
                      speech_distortion_weight=-1.0))


def test_frozen_fe_trains_only_the_decoder(data, tmp_path):
    result = train(_config(data, tmp_path / "run", stage1_steps=2, stage2_steps=2,
                           mal_variant="frozen-fe"))
    stage1 = MalNet.from_pretrained(tmp_path / "run" / "stage1")
    names = {id(p) for p in result.model.encoder_parameters()}
    trained = dict(result.model.named_parameters())
    reference = dict(stage1.named_parameters())
    for name, parameter in trained.items():
        same = torch.equal(parameter.detach(), reference[name])
        assert same == (id(parameter) in names), name


def test_non_finite_loss_is_skipped_then_stops_keeping_the_last_checkpoint(
    data, tmp_path, monkeypatch
):
    calls = {"n": 0}
    forward = MalNet.forward

    def poisoned(self, wav):
        out = forward(self, wav)
        if self.training:
            calls["n"] += 1
            if calls["n"] > 3:
                return out * float("nan")
        return out

    monkeypatch.setattr(MalNet, "forward", poisoned)
    config = _config(data, tmp_path / "run", stage1_steps=20, stage2_steps=0,
                     checkpoint_every=2, max_bad_steps=3)
    with pytest.raises(TrainingError, match="3 consecutive non-finite loss"):
        train(config)
    saved = checkpoint.load(tmp_path / "run" / "checkpoints" / "last.pt")
    assert saved["step"] == 2
    assert all(torch.isfinite(v).all() for v in saved["model"].values())
    assert len(_records(tmp_path / "run", "skip")) == 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ddp_worker(rank: int, port: int, data: str, output: str, report: str) -> None:
    import os

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), WORLD_SIZE="2",
                      RANK=str(rank), LOCAL_RANK=str(rank))
    torch.set_num_threads(1)
    seen: list = []
    original = PairedDataset.__getitem__

    def recording(self, key):
        if isinstance(key, tuple) and self.segment is not None:
            seen.append(key)
        return original(self, key)

    PairedDataset.__getitem__ = recording
    result = train(_config(Path(data), Path(output), stage1_steps=3, stage2_steps=2,
                           mal_variant="dynamic", mal_layers="all"))
    torch.save({"keys": seen, "state": result.model.state_dict()}, f"{report}{rank}.pt")


@pytest.mark.slow
def test_ddp_two_cpu_processes_share_weights_and_split_data(data, tmp_path):
    report = str(tmp_path / "rank")
    mp.spawn(_ddp_worker, args=(_free_port(), str(data), str(tmp_path / "run"), report),
             nprocs=2, join=True)
    ranks = [torch.load(f"{report}{r}.pt") for r in range(2)]
    keys = [r["keys"] for r in ranks]
    assert len(keys[0]) == len(keys[1]) == 5 * 2  # 5 steps of 2 examples on each rank
    for step in range(5):
        assert not set(keys[0][2 * step: 2 * step + 2]) & set(keys[1][2 * step: 2 * step + 2])
    for name, value in ranks[0]["state"].items():
        assert torch.equal(value, ranks[1]["state"][name]), name
    assert (tmp_path / "run" / "model.safetensors").exists()
    assert not list(tmp_path.glob("run/**/*.tmp"))


runner = CliRunner()


@pytest.mark.slow
def test_cli_end_to_end_then_enhance_with_the_result(data, tmp_path):
    out = tmp_path / "model"
    base = ["train", "--data", str(data), "--output", str(out), "--stage1-steps", "3",
            "--stage2-steps", "2", "--mal-variant", "dynamic", "--mal-weight", "0.5",
            "--mal-layers", "all", "--batch-size", "2", "--segment-seconds", "0.5",
            "--valid-every", "0", "--workers", "0", "--device", "cpu", "--seed", "3",
            "--snr-range", "-5,20", "--model-config", json.dumps(TINY), "--quiet"]
    stopped = runner.invoke(app, [*base, "--stop-after", "2"])
    assert stopped.exit_code == 0, stopped.output
    assert "--resume" in stopped.output
    again = runner.invoke(app, base)
    assert again.exit_code == 1 and "--resume" in again.output
    done = runner.invoke(app, [*base, "--resume"])
    assert done.exit_code == 0, done.output
    assert "model written to" in done.output and "stage 2 / stage 1" in done.output
    noisy = tmp_path / "noisy.wav"
    sf.write(noisy, mix(speech(), 5.0), 16000)
    enhanced = runner.invoke(app, ["enhance", str(noisy), "-o", str(tmp_path / "clean.wav"),
                                   "--model", str(out)])
    assert enhanced.exit_code == 0, enhanced.output
    assert sf.info(tmp_path / "clean.wav").frames == sf.info(noisy).frames
    # --init starts stage 2 from the exported model.
    tuned = runner.invoke(app, ["train", "--data", str(data), "--output", str(tmp_path / "t"),
                                "--init", str(out), "--stage1-steps", "0", "--stage2-steps",
                                "1", "--batch-size", "2", "--segment-seconds", "0.5",
                                "--workers", "0", "--device", "cpu", "--quiet"])
    assert tuned.exit_code == 0, tuned.output
    assert MalNet.from_pretrained(tmp_path / "t").config()["channels"] == TINY["channels"]


@pytest.mark.parametrize("options, message", [
    (["--snr-range", "20,-5"], "LOW must not exceed HIGH"),
    (["--mal-variant", "thawed"], "--mal-variant"),
    (["--model-config", "{not json"], "--model-config"),
    (["--stage1-steps", "0"], "nothing to do"),
    (["--ema-decay", "1"], "--ema-decay"),
])
def test_cli_rejects_bad_options(tmp_path, options, message):
    base = {"--data": str(tmp_path), "--output": str(tmp_path / "o"), "--stage1-steps": "1",
            "--stage2-steps": "0"}
    for flag, value in zip(options[::2], options[1::2], strict=True):
        base[flag] = value
    result = runner.invoke(app, ["train", *[x for kv in base.items() for x in kv]])
    assert result.exit_code == 2
    assert message in result.output


def test_model_card_names_the_learning_rate_each_stage_used(tmp_path):
    from malenhance.training.card import model_card

    both = model_card(_config(tmp_path, tmp_path, lr=1e-3, stage2_lr=2e-4), 2, None, 8)
    assert "lr 0.001, stage-2 lr 0.0002" in both
    # A stage-2-only run (--init, --stage1-steps 0) never used the stage-1 rate.
    only2 = model_card(_config(tmp_path, tmp_path, stage1_steps=0, stage2_lr=2e-4), 2, None, 4)
    assert "stage-2 lr 0.0002" in only2 and "lr 0.003" not in only2
    assert "lr 0.001," in model_card(_config(tmp_path, tmp_path, lr=1e-3), 1, None, 4)


def test_extra_noise_prob_is_checked_and_must_match_on_resume(data, tmp_path):
    with pytest.raises(TrainingError, match="extra-noise-prob"):
        train(_config(data, tmp_path / "bad", stage1_steps=1, stage2_steps=0,
                      extra_noise_prob=1.5))
    run = tmp_path / "run"
    train(_config(data, run, stage1_steps=2, stage2_steps=0, stop_after=1, checkpoint_every=1,
                  extra_noise_prob=0.5))
    with pytest.raises(TrainingError, match="extra_noise_prob"):
        train(_config(data, run, stage1_steps=2, stage2_steps=0, resume=True))
    done = train(_config(data, run, stage1_steps=2, stage2_steps=0, resume=True,
                         extra_noise_prob=0.5))
    assert done.step == 2


def test_noise_balance_must_match_on_resume(data, tmp_path):
    run = tmp_path / "run"
    train(_config(data, run, stage1_steps=2, stage2_steps=0, stop_after=1, checkpoint_every=1,
                  noise_balance=True))
    with pytest.raises(TrainingError, match="noise_balance"):
        train(_config(data, run, stage1_steps=2, stage2_steps=0, resume=True))
    done = train(_config(data, run, stage1_steps=2, stage2_steps=0, resume=True,
                         noise_balance=True))
    assert done.step == 2


@pytest.mark.parametrize("problem", ["missing", "empty", "bad-init", "bad-teacher"])
def test_a_run_that_cannot_start_leaves_no_output_folder(data, tmp_path, problem):
    """Bug fixed: a missing data folder still created OUTPUT/checkpoints/."""
    (tmp_path / "empty").mkdir()
    source = {"missing": tmp_path / "missing", "empty": tmp_path / "empty"}.get(problem, data)
    flag = {"bad-init": "--init", "bad-teacher": "--teacher"}.get(problem)
    extra = [flag, str(tmp_path / "no-such-model")] if flag else []
    out = tmp_path / "run"
    result = runner.invoke(app, ["train", "--data", str(source), "--output", str(out),
                                 "--stage1-steps", "1", "--stage2-steps", "0", "-q", *extra])
    assert result.exit_code == 1, result.output
    assert "error:" in result.output
    assert not out.exists()


def _teacher_dir(folder: Path, seed: int) -> Path:
    from malenhance.hub import save_model_dir

    torch.manual_seed(seed)
    return save_model_dir(MalNet(**TINY).eval(), folder)


def test_a_teacher_pulls_the_model_towards_its_output(data, tmp_path):
    """--teacher: the same run with the teacher term ends closer to the teacher's output
    than without it, and the card says so."""
    teacher_dir = _teacher_dir(tmp_path / "teacher", seed=5)
    runs = {}
    for name, extra in (("plain", {}), ("taught", {"teacher": str(teacher_dir),
                                                   "teacher_weight": 20.0})):
        runs[name] = train(_config(data, tmp_path / name, stage1_steps=12, stage2_steps=0,
                                   export="last", **extra))
    records = _records(tmp_path / "taught", "train")
    assert records and all(r["teacher"] > 0 for r in records)
    assert "teacher" not in _records(tmp_path / "plain", "train")[0]
    assert "distilled from" in (tmp_path / "taught" / "README.md").read_text()
    noisy = torch.from_numpy(mix(speech(), 5.0))[None]
    teacher = MalNet.from_pretrained(teacher_dir).eval()
    with torch.no_grad():
        target = teacher(noisy)
        distance = {name: (run.model.eval()(noisy) - target).square().mean().item()
                    for name, run in runs.items()}
    assert distance["taught"] < 0.7 * distance["plain"], distance


def test_an_ensemble_teaches_with_its_members_mean_output():
    from malenhance.hub import load_model
    from malenhance.training.teacher import Teacher

    teacher = Teacher.load("ensemble")
    assert len(teacher.models) == 2 and not any(p.requires_grad for p in teacher.parameters())
    teacher.train()
    assert not teacher.training
    noisy = torch.from_numpy(mix(speech(), 5.0))[None]
    with torch.no_grad():
        members = [load_model(name)(noisy) for name in ("default", "real-noise")]
    torch.testing.assert_close(teacher(noisy), (members[0] + members[1]) / 2)


def test_teacher_weight_must_not_be_negative(data, tmp_path):
    with pytest.raises(TrainingError, match="teacher-weight"):
        train(_config(data, tmp_path / "bad", stage1_steps=1, stage2_steps=0,
                      teacher="default", teacher_weight=-1.0))
