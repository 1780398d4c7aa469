"""Data folders: layouts, pairing, skipped files, resampling and seeded reproducibility."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import soundfile as sf
import torch

from malenhance.errors import DataError, DataWarning
from malenhance.training.config import DataConfig
from malenhance.training.data import build_datasets, collate
from malenhance.training.datasets import MixingDataset, PairedDataset
from malenhance.training.sampler import ShardedBatchSampler
from malenhance.training.sources import AudioStore, detect_layout, pair_files
from tests.train_data import make_mixing, make_paired

RATE = 16000


@pytest.fixture(scope="module")
def paired(tmp_path_factory):
    return make_paired(tmp_path_factory.mktemp("paired"), count=6)


@pytest.fixture(scope="module")
def mixing(tmp_path_factory):
    return make_mixing(tmp_path_factory.mktemp("mixing"), clean_count=5, noise_count=3)


def _build(root, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train, valid = build_datasets(root, RATE, DataConfig(segment_seconds=1.0, **options))
    return train, valid, [w for w in caught if issubclass(w.category, DataWarning)]


def test_layouts_are_recognised(tmp_path, paired, mixing):
    assert detect_layout(paired).kind == "paired"
    assert detect_layout(mixing).kind == "mixing"
    (tmp_path / "noisy_trainset_wav").mkdir()
    (tmp_path / "clean_trainset_wav").mkdir()
    layout = detect_layout(tmp_path)
    assert (layout.kind, layout.noisy.name) == ("paired", "noisy_trainset_wav")
    with pytest.raises(DataError, match="neither"):
        detect_layout(tmp_path / "noisy_trainset_wav")
    with pytest.raises(DataError, match="does not exist"):
        detect_layout(tmp_path / "missing")


def test_pairing_by_relative_name_and_one_warning_for_unpaired(tmp_path):
    root = make_paired(tmp_path, count=4)
    sub = root / "noisy" / "extra"
    sub.mkdir()
    sf.write(sub / "lonely.wav", np.zeros(1600, np.float32), RATE)
    sf.write(root / "clean" / "orphan.wav", np.zeros(1600, np.float32), RATE)
    pairs, unpaired = pair_files(root / "noisy", root / "clean")
    assert len(pairs) == 4 and all(n.name == c.name for n, c in pairs)
    assert sorted(p.name for p in unpaired) == ["lonely.wav", "orphan.wav"]
    train, valid, caught = _build(root)
    assert len(caught) == 1
    assert "2 unpaired" in str(caught[0].message) and "lonely.wav" in str(caught[0].message)
    assert len(train) + len(valid) == 4


def test_corrupt_files_are_skipped_with_one_warning(tmp_path):
    root = make_paired(tmp_path / "p", count=5)
    (root / "noisy" / "u01.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    (root / "clean" / "u03.wav").write_bytes(b"not audio at all")
    train, valid, caught = _build(root)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "2 unreadable" in message and "u01.wav" in message and "u03.wav" in message
    assert len(train) + len(valid) == 3
    mix_root = make_mixing(tmp_path / "m", clean_count=4, noise_count=2)
    (mix_root / "noise" / "bad.flac").write_bytes(b"fLaC broken")
    train, _, caught = _build(mix_root)
    assert len(caught) == 1 and "bad.flac" in str(caught[0].message)
    train[(0, 0)]  # still usable


def test_no_readable_files_is_a_clear_error(tmp_path):
    (tmp_path / "clean").mkdir()
    (tmp_path / "noise").mkdir()
    (tmp_path / "clean" / "x.wav").write_bytes(b"junk")
    with pytest.raises(DataError, match="no readable"):
        _build(tmp_path)


def test_mixtures_are_reproducible_and_change_every_epoch(mixing):
    train, _, _ = _build(mixing, snr_range=(0.0, 5.0))
    again, _, _ = _build(mixing, snr_range=(0.0, 5.0))
    other_seed, _, _ = _build(mixing, snr_range=(0.0, 5.0), seed=7)
    first = train[(0, 1)]
    assert torch.equal(first.noisy, again[(0, 1)].noisy)
    assert torch.equal(first.clean, again[(0, 1)].clean)
    assert not torch.equal(first.noisy, train[(1, 1)].noisy)
    assert not torch.equal(first.noisy, other_seed[(0, 1)].noisy)
    assert first.noisy.shape == (RATE,) and first.noisy.dtype == torch.float32
    assert first.noisy.abs().max() <= 0.99


def test_mixture_snr_and_level_follow_the_ranges(mixing):
    train, _, _ = _build(mixing, snr_range=(10.0, 10.0), level_range_db=(-20.0, -20.0))
    for epoch in range(3):
        example = train[(epoch, 0)]
        noise = example.noisy - example.clean
        active = example.clean.abs() > 0  # short utterances are padded with silence
        snr = 10 * torch.log10(example.clean.square().sum() / noise.square().sum())
        level = 10 * torch.log10(example.noisy.square().mean())
        if active.float().mean() > 0.5:
            assert snr.item() == pytest.approx(10.0, abs=0.1)
        assert level.item() == pytest.approx(-20.0, abs=0.1)


def test_reverb_target_keeps_early_reflections(tmp_path):
    root = make_mixing(tmp_path, clean_count=3, noise_count=1)
    (root / "rir").mkdir()
    rir = np.zeros(RATE // 2, np.float32)
    rir[10], rir[400], rir[4000] = 1.0, 0.5, 0.4  # direct, early (25 ms), late (250 ms)
    sf.write(root / "rir" / "room.wav", rir, RATE)
    config = DataConfig(segment_seconds=1.0, reverb_prob=1.0, snr_range=(100.0, 100.0))
    stores = {n: AudioStore(sorted((root / n).glob("*.wav")), RATE, 100) for n in
              ("clean", "noise", "rir")}
    data = MixingDataset(stores["clean"], stores["noise"], stores["rir"], RATE, config, 0)
    example = data[(0, 0)]
    # The noisy input carries the late echo, the target does not.
    assert not torch.allclose(example.noisy, example.clean, atol=1e-3)

    # One click as the speech: the target is the click and its early echo, nothing later
    # (issue 26: the check above passed with the early reflections dropped from the target).
    click = np.zeros(RATE, np.float32)
    click[1000] = 0.5
    (root / "click").mkdir()
    sf.write(root / "click" / "click.wav", click, RATE, subtype="FLOAT")
    store = AudioStore([root / "click" / "click.wav"], RATE, 100)
    example = MixingDataset(store, stores["noise"], stores["rir"], RATE, config, 0)[(0, 0)]
    target, noisy = example.clean.numpy(), example.noisy.numpy()
    # The RIR is aligned on its direct path (sample 10): echoes 390 and 3990 samples later.
    assert target[1390] / target[1000] == pytest.approx(0.5, abs=0.01)  # early: kept
    assert abs(target[4990]) < 0.01 * target[1000]  # late: not in the target
    assert noisy[4990] / noisy[1000] == pytest.approx(0.4, abs=0.01)  # but in the input


def test_any_rate_is_resampled_and_low_rates_are_band_limited(tmp_path):
    root = make_paired(tmp_path / "narrow", count=3, rate=8000)
    train, valid, _ = _build(root)
    example = train[(0, 0)]
    assert example.noisy.shape == (RATE,)
    assert example.band_limit_hz == 4000.0
    wide = make_paired(tmp_path / "wide", count=3, rate=44100)
    train, _, _ = _build(wide)
    assert train[(0, 0)].band_limit_hz == 8000.0
    batch = collate([train[(0, 0)], train[(0, 1)]])
    assert batch.noisy.shape == (2, RATE) and batch.band_limit_hz.tolist() == [8000.0, 8000.0]


def test_uncached_reads_match_the_cache(tmp_path):
    root = make_paired(tmp_path, count=2, rate=48000)
    files = sorted((root / "clean").glob("*.wav"))
    cached = AudioStore(files, RATE, cache_limit_mb=100)
    streamed = AudioStore(files, RATE, cache_limit_mb=0)
    assert cached.cache is not None and streamed.cache is None
    assert cached.lengths == streamed.lengths
    a, b = cached.read(0, 12345, 8000), streamed.read(0, 12345, 8000)
    assert np.abs(a - b).max() < 1e-3


def test_held_out_split_is_seeded_and_disjoint(paired):
    train, valid, _ = _build(paired, valid_share=0.34)
    train2, valid2, _ = _build(paired, valid_share=0.34)
    assert isinstance(train, PairedDataset)
    names = {p.name for p in train.clean.files}
    held = {p.name for p in valid.clean.files}
    assert len(held) == 2 and not names & held
    assert held == {p.name for p in valid2.clean.files}
    # Validation items are whole utterances, identical every time.
    assert torch.equal(valid[0].noisy, valid2[0].noisy)
    assert valid[0].noisy.shape[0] > RATE


def test_validation_folder(paired, mixing):
    train, valid = build_datasets(mixing, RATE, DataConfig(segment_seconds=1.0), paired)
    assert len(train) == 5 and len(valid) == 6


def test_sampler_shards_ranks_and_resumes_exactly():
    ranks = [ShardedBatchSampler(10, 3, seed=1, rank=r, world_size=2) for r in range(2)]
    streams = [iter(s) for s in ranks]
    seen: list[tuple[int, int]] = []
    for _ in range(5):
        a, b = next(streams[0]), next(streams[1])
        assert not set(a) & set(b), "ranks must see different items"
        seen += a + b
    epoch0 = [i for e, i in seen if e == 0]
    assert sorted(epoch0) == list(range(10)), "every item once per epoch"
    resumed = iter(ShardedBatchSampler(10, 3, seed=1, rank=1, world_size=2, start_batch=3))
    assert next(resumed) == ranks[1].batch_keys(3)
    assert ShardedBatchSampler(10, 3, seed=2).batch_keys(0) != ranks[0].batch_keys(0)


TONES = (300.0, 1100.0, 2500.0, 4000.0)


def _tone_mixing(root):
    """Noise files that are pure tones, so a mixture tells which files it holds."""
    root = make_mixing(root, clean_count=4, noise_count=0)
    t = np.arange(RATE * 2) / RATE
    for freq in TONES:
        sf.write(root / "noise" / f"tone{freq:.0f}.wav", 0.1 * np.sin(2 * np.pi * freq * t), RATE)
    return root


def _tones_heard(example) -> set[float]:
    noise = (example.noisy - example.clean).numpy()
    spectrum = np.abs(np.fft.rfft(noise))
    freqs = np.fft.rfftfreq(noise.size, 1 / RATE)
    peak = spectrum.max()
    return {f for f in TONES if spectrum[np.abs(freqs - f) < 20].max() > 0.05 * peak}


def test_extra_noise_adds_a_second_file_and_keeps_the_snr(tmp_path):
    root = _tone_mixing(tmp_path)
    single, _, _ = _build(root, snr_range=(5.0, 5.0))
    double, _, _ = _build(root, snr_range=(5.0, 5.0), extra_noise_prob=1.0)
    keys = [(epoch, i) for epoch in range(4) for i in range(len(single))]
    assert all(len(_tones_heard(single[k])) == 1 for k in keys)
    both = [k for k in keys if len(_tones_heard(double[k])) == 2]
    assert len(both) >= len(keys) // 4  # the same file twice is possible, both files common
    for key in both:
        example = double[key]
        noise = example.noisy - example.clean
        snr = 10 * torch.log10(example.clean.square().sum() / noise.square().sum())
        assert snr.item() == pytest.approx(5.0, abs=0.1)


def test_clean_prob_gives_noise_free_inputs_and_keeps_the_rest_noisy(tmp_path):
    root = _tone_mixing(tmp_path)
    plain, _, _ = _build(root, snr_range=(5.0, 5.0))
    mixed, _, _ = _build(root, snr_range=(5.0, 5.0), clean_prob=0.5)
    keys = [(epoch, i) for epoch in range(6) for i in range(len(plain))]
    assert all(not torch.equal(plain[k].noisy, plain[k].clean) for k in keys)
    clean_inputs = [k for k in keys if torch.equal(mixed[k].noisy, mixed[k].clean)]
    assert 0.25 * len(keys) < len(clean_inputs) < 0.75 * len(keys)
    # Examples that keep their noise keep the asked SNR.
    for key in set(keys) - set(clean_inputs):
        example = mixed[key]
        noise = example.noisy - example.clean
        snr = 10 * torch.log10(example.clean.square().sum() / noise.square().sum())
        assert snr.item() == pytest.approx(5.0, abs=0.1)


def test_noise_balance_draws_each_noise_folder_equally(tmp_path):
    root = make_mixing(tmp_path, clean_count=4, noise_count=0)
    t = np.arange(RATE * 2) / RATE
    for folder, freqs in (("many", TONES[:3]), ("few", TONES[3:])):
        (root / "noise" / folder).mkdir()
        for freq in freqs:
            sf.write(root / "noise" / folder / f"tone{freq:.0f}.wav",
                     0.1 * np.sin(2 * np.pi * freq * t), RATE)
    clean = AudioStore(sorted((root / "clean").glob("*.wav")), RATE, 100)
    noise = AudioStore(sorted((root / "noise").rglob("*.wav")), RATE, 100)
    keys = [(epoch, i) for epoch in range(25) for i in range(4)]

    def share_of_the_lone_file(balance: bool) -> float:
        config = DataConfig(segment_seconds=1.0, snr_range=(5.0, 5.0), noise_balance=balance)
        data = MixingDataset(clean, noise, None, RATE, config, 0)
        return np.mean([TONES[3] in _tones_heard(data[k]) for k in keys])

    # one file of four: a quarter of the draws file by file, half when folders are balanced
    assert share_of_the_lone_file(False) < 0.35
    assert 0.38 < share_of_the_lone_file(True) < 0.62


def test_originals_go_into_the_mixture_and_the_clean_twin_stays_the_target(tmp_path):
    """A clean file made from a flawed recording (e.g. by a teacher enhancer) is the target;
    the recording itself, under original/ with the same name, is what the model hears."""
    root = _tone_mixing(tmp_path)
    hum = 0.05 * np.sin(2 * np.pi * 6000.0 * np.arange(RATE * 10) / RATE)
    (root / "original").mkdir()
    for name in ("c00.wav", "c02.wav"):
        clean, rate = sf.read(root / "clean" / name, dtype="float32")
        sf.write(root / "original" / name, clean + hum[: len(clean)], rate)
    plain, _, _ = _build(_without(root, "original"), clean_prob=1.0)
    twins, _, warned = _build(root, clean_prob=1.0)
    assert not warned
    names = [p.name for p in twins.clean.files]
    assert {"c00.wav", "c02.wav"} & set(names)  # not both held out for validation
    for i, name in enumerate(names):
        example = twins[(0, i)]
        if name in ("c00.wav", "c02.wav"):
            heard = np.abs(np.fft.rfft((example.noisy - example.clean).numpy()))
            freqs = np.fft.rfftfreq(example.noisy.numel(), 1 / RATE)
            assert freqs[heard.argmax()] == pytest.approx(6000.0, abs=10)
        else:  # files without an original: the same examples as before
            assert torch.equal(example.noisy, example.clean)
            assert torch.equal(example.clean, plain[(0, i)].clean)
    # an original without a clean twin is skipped with a warning; another length is refused
    sf.write(root / "original" / "stray.wav", hum[:RATE], RATE)
    assert any("stray.wav" in str(w.message) for w in _build(root)[2])
    sf.write(root / "original" / "c02.wav", hum[:RATE], RATE)
    with pytest.raises(DataError, match="differ in length"):
        _build(root)


def _without(root, folder):
    """A copy of the data folder ``root`` without ``folder``."""
    import shutil

    copy = root.parent / f"{root.name}-without-{folder}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(folder))
    return copy


def _envelope(stepped, plain):
    """Stepped target over the plain one, where the plain one carries speech, normalised."""
    a, b = stepped.clean.numpy(), plain.clean.numpy()
    keep = np.abs(b) > 0.05 * np.abs(b).max()
    ratio = np.abs(a[keep] / b[keep])
    return ratio / ratio.max()


def test_level_steps_put_quiet_stretches_beside_loud_ones(tmp_path):
    root = _tone_mixing(tmp_path)
    plain, _, _ = _build(root, clean_prob=1.0)
    stepped, _, _ = _build(root, clean_prob=1.0, level_steps_prob=1.0)
    keys = [(epoch, i) for epoch in range(4) for i in range(len(plain))]
    spans_db = []
    for key in keys:
        example = stepped[key]
        assert torch.equal(example.noisy, example.clean)  # noise-free stays input = target
        envelope = _envelope(example, plain[key])
        spans_db.append(-20 * np.log10(envelope.min()))
        assert envelope.min() > 10 ** (-35.5 / 20)
    assert max(spans_db) > 15.0 and min(spans_db) >= 0.0
    # Off (the default) leaves every example as it was.
    off, _, _ = _build(root, clean_prob=1.0, level_steps_prob=0.0)
    assert all(torch.equal(off[k].clean, plain[k].clean) for k in keys)


def test_level_steps_in_noise_keep_the_quiet_stretch_above_the_floor_snr(tmp_path):
    root = _tone_mixing(tmp_path)
    plain, _, _ = _build(root, snr_range=(5.0, 5.0))
    stepped, _, _ = _build(root, snr_range=(5.0, 5.0), level_steps_prob=1.0)
    for key in [(epoch, i) for epoch in range(3) for i in range(len(plain))]:
        # at 5 dB SNR a stretch may go at most 10 dB down (local SNR >= -5 dB)
        assert _envelope(stepped[key], plain[key]).min() > 10 ** (-10.5 / 20)


def _longest_zero_run(signal: np.ndarray) -> tuple[int, int]:
    """(start, length) of the longest stretch of exact zeros."""
    best, start = (0, 0), None
    for i, zero in enumerate(np.append(signal == 0, False)):
        if zero and start is None:
            start = i
        elif not zero and start is not None:
            best, start = max(best, (i - start, start)), None
    return best[1], best[0]


def test_pause_envelope_is_one_silent_stretch_of_0_8_to_2_seconds():
    from malenhance.training.datasets import pause_envelope

    for seed in range(20):
        envelope = pause_envelope(np.random.default_rng(seed), 3 * RATE, RATE)
        start, length = _longest_zero_run(envelope)
        assert 0.8 * RATE <= length <= 2.0 * RATE
        assert start >= 0.25 * RATE and start + length <= 2.75 * RATE
        assert (envelope == 0).sum() == length  # one stretch only
        assert np.all(envelope[: start - 320] == 1) and np.all(envelope[start + length + 320:] == 1)
    # a segment too short to hold a pause with speech around it is left alone
    assert np.all(pause_envelope(np.random.default_rng(0), RATE, RATE) == 1)


def test_pauses_silence_the_speech_and_keep_the_noise(tmp_path):
    root = _tone_mixing(tmp_path)

    def build(**options):
        config = DataConfig(segment_seconds=3.0, snr_range=(5.0, 5.0), **options)
        return build_datasets(root, RATE, config)[0]

    plain, paused, off = build(), build(pause_prob=1.0), build(pause_prob=0.0)
    for key in [(epoch, i) for epoch in range(3) for i in range(len(plain))]:
        example = paused[key]
        target, noisy = example.clean.numpy(), example.noisy.numpy()
        start, length = _longest_zero_run(target)
        assert length >= 0.8 * RATE  # the speech falls silent...
        gap = slice(start, start + length)
        noise_rms = np.sqrt(np.mean((noisy - target) ** 2))
        assert np.sqrt(np.mean(noisy[gap] ** 2)) > 0.3 * noise_rms  # ...and the noise goes on
        assert (target == 0).sum() > (plain[key].clean.numpy() == 0).sum() + 0.7 * RATE
        # off (the default) leaves every example as it was
        assert torch.equal(off[key].noisy, plain[key].noisy)
        assert torch.equal(off[key].clean, plain[key].clean)


def test_room_tone_pauses_keep_the_recordings_own_floor(tmp_path):
    from malenhance.training.config import PauseFill
    from malenhance.training.datasets import room_tone

    # the quietest 200 ms, looped: a floor of the recording's own level, not silence
    rng = np.random.default_rng(0)
    floor = 0.001 * rng.standard_normal(3 * RATE)
    loud = floor.copy()
    loud[: 2 * RATE] += 0.3 * np.sin(2 * np.pi * 200 * np.arange(2 * RATE) / RATE)
    tone = room_tone(loud.astype(np.float32), 2 * RATE, RATE)
    assert np.sqrt(np.mean(tone**2)) == pytest.approx(0.001, rel=0.3)

    root = _tone_mixing(tmp_path)
    for path in (root / "clean").glob("*.wav"):  # every recording gets a floor
        clean, rate = sf.read(path, dtype="float32")
        noise = 0.002 * rng.standard_normal(len(clean))
        sf.write(path, np.tile(clean + noise, 3), rate)
    config = {"segment_seconds": 3.0, "snr_range": (5.0, 5.0), "reverb_prob": 0.0,
              "pause_prob": 1.0}
    silent = build_datasets(root, RATE, DataConfig(**config))[0]
    kept = build_datasets(root, RATE, DataConfig(**config, pause_fill=PauseFill.ROOM_TONE))[0]
    for key in [(epoch, i) for epoch in range(2) for i in range(len(silent))]:
        start, length = _longest_zero_run(silent[key].clean.numpy())
        gap = slice(start + 320, start + length - 320)
        target = kept[key].clean.numpy()
        floor_rms = np.sqrt(np.mean(target[gap] ** 2))
        assert 0.0 < floor_rms < 0.05 * np.abs(target).max()  # the floor, not silence or speech


def test_a_pause_can_fade_in_slowly_like_a_syllable_decays():
    from malenhance.training.datasets import pause_envelope

    quick = pause_envelope(np.random.default_rng(3), 3 * RATE, RATE)
    slow = pause_envelope(np.random.default_rng(3), 3 * RATE, RATE, fade_out_s=0.2)
    start, length = _longest_zero_run(slow)
    assert (start, length) == _longest_zero_run(quick)  # the same pause, only the fade differs
    fade = slow[start - 3200:start]
    assert slow[start - 3201] == 1 and np.all(np.diff(fade) <= 0)
    assert fade[1600] == pytest.approx(0.5, abs=0.01)
    assert np.array_equal(slow[start:], quick[start:])  # speech comes back as quickly
