from itertools import pairwise

import numpy as np
import pytest
import soundfile as sf
import soxr
import torch

from malenhance.enhance import enhance_array, enhance_file, enhance_tensor
from malenhance.errors import AudioError
from malenhance.upper_band import UpperBand
from tests.speech import mix, si_sdr, speech


def test_block_processing_equals_whole_signal_at_model_rate(tiny_model):
    x = torch.from_numpy(mix(speech(), 5.0))
    with torch.no_grad():
        whole = tiny_model(x[None])[0]
    blocked = enhance_tensor(tiny_model, x, 16000, block_seconds=0.37)
    assert blocked.shape == x.shape
    assert (blocked - whole).abs().max() < 1e-4


def _resample(wav, orig, new):
    """The pipeline's resampler (libsoxr, high quality) on a whole 1-D signal."""
    return torch.from_numpy(soxr.resample(np.asarray(wav, np.float32), orig, new, quality="HQ"))


def _up(wav, rate):
    return _resample(wav, 16000, rate)


def test_block_processing_equals_whole_signal_at_other_rates(tiny_model):
    x = torch.from_numpy(mix(speech(rate=44100), 5.0, rate=44100))
    down = _resample(x, 44100, 16000)
    with torch.no_grad():
        enhanced = tiny_model(down[None])[0]
    wet = _up(enhanced, 44100)[: len(x)]
    # Band limited: the model's output, resampled back.
    blocked = enhance_tensor(tiny_model, x, 44100, block_seconds=0.5, full_band=False)
    assert blocked.shape == x.shape
    assert (blocked - wet).abs().max() < 1e-4
    # Full band (the default): plus the input's upper band (the input minus its 16 kHz
    # version resampled back), cleaned with its own noise estimate.
    upper = (x - _up(down, 44100)[: len(x)]).numpy()[None]
    whole = wet + torch.from_numpy(UpperBand(16000, 44100, 1).clean(upper)[0])
    blocked = enhance_tensor(tiny_model, x, 44100, block_seconds=0.5)
    assert (blocked - whole).abs().max() < 1e-4


def test_upper_band_takes_steady_hiss_down_and_keeps_what_rises_above_it():
    rng = np.random.default_rng(3)
    rate, n = 48000, 4 * 48000
    gate = (np.arange(n) // (rate // 4)) % 2 == 1  # 250 ms on, 250 ms off
    hiss = 0.01 * rng.standard_normal(n)
    bursts = 0.1 * rng.standard_normal(n) * gate
    out = UpperBand(16000, rate, 1).clean((hiss + bursts)[None].astype(np.float32))[0]
    late = np.arange(n) > rate  # once the floor is found
    quiet = late & ~gate
    loud = late & gate
    quiet_db = 10 * np.log10(np.mean(out[quiet] ** 2) / np.mean(hiss[quiet] ** 2))
    loud_db = 10 * np.log10(np.mean(out[loud] ** 2) / np.mean((hiss + bursts)[loud] ** 2))
    assert quiet_db < -6.0, quiet_db  # -8 dB on white hiss (the floor lies under its mean)
    assert loud_db > -1.0, loud_db


def test_upper_band_cleaning_streams_like_whole_signals_and_links_channels():
    """Blocks of any size, empty ones and ones that end inside a noise-tracker frame
    included, give the whole signal's output; linked channels get one gain."""
    rng = np.random.default_rng(5)
    x = mix(speech(rate=48000), 10.0, rate=48000)
    upper = np.stack([x, 0.5 * x + 0.01 * rng.standard_normal(len(x))]).astype(np.float32)
    for linked in (False, True):
        whole = UpperBand(16000, 48000, 2, linked=linked).clean(upper)
        band = UpperBand(16000, 48000, 2, linked=linked)
        edges = (0, 0, 7, 48, 48, 1000, 1001, 30001, upper.shape[1])
        parts = [band.clean(upper[:, i:j]) for i, j in pairwise(edges)]
        assert np.allclose(np.concatenate(parts, axis=1), whole, atol=1e-6)
        assert np.abs(whole - upper).max() > 1e-3  # it did take something away
    # linked: a pure level difference between the channels stays one
    level = np.stack([x, 0.5 * x]).astype(np.float32)
    out = UpperBand(16000, 48000, 2, linked=True).clean(level)
    assert np.abs(out[1] - 0.5 * out[0]).max() < 1e-6


def test_clean_full_band_speech_keeps_its_upper_band(clean_speech):
    from malenhance.hub import load_model

    rate = 44100
    x = speech(rate=rate)  # espeak-ng speaks up to ~11 kHz
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    y = enhance_tensor(load_model(), torch.from_numpy(x), rate).numpy()
    out = np.abs(np.fft.rfft(y)) ** 2
    upper = (freqs > 8500) & (freqs < 11000)
    kept_db = 10 * np.log10(out[upper].sum() / spectrum[upper].sum())
    assert -1.0 < kept_db < 0.5
    removed = enhance_tensor(load_model(), torch.from_numpy(x), rate, full_band=False).numpy()
    removed_db = 10 * np.log10((np.abs(np.fft.rfft(removed)) ** 2)[upper].sum()
                               / spectrum[upper].sum())
    assert removed_db < kept_db - 6.0  # what is left there is the resamplers' imaging


def test_strength_zero_returns_input_and_half_is_a_mix(tiny_model):
    x = torch.from_numpy(mix(speech(), 0.0))
    assert torch.allclose(enhance_tensor(tiny_model, x, 16000, strength=0.0), x)
    full = enhance_tensor(tiny_model, x, 16000)
    half = enhance_tensor(tiny_model, x, 16000, strength=0.5)
    assert torch.allclose(half, 0.5 * full + 0.5 * x, atol=1e-6)


def test_channels_are_enhanced_independently_without_stereo_link(tiny_model):
    a, b = mix(speech(), 0.0, seed=1), mix(speech(), 10.0, seed=2)
    stereo = enhance_array(tiny_model, np.stack([a, b], axis=1), 16000, stereo_link=False)
    assert stereo.shape == (len(a), 2)
    assert np.allclose(stereo[:, 1], enhance_array(tiny_model, b, 16000), atol=1e-5)
    # Linked (the default), one gain for both: not each channel's own output.
    linked = enhance_array(tiny_model, np.stack([a, b], axis=1), 16000)
    assert linked.shape == stereo.shape and not np.allclose(linked, stereo, atol=1e-3)


@pytest.mark.parametrize(
    "rate,channels,subtype,ext",
    [
        (16000, 1, "PCM_16", ".wav"),
        (48000, 2, "PCM_24", ".wav"),
        (44100, 1, "FLOAT", ".wav"),
        (8000, 1, "PCM_16", ".flac"),
        (22050, 2, "VORBIS", ".ogg"),
    ],
)
def test_file_keeps_rate_channels_and_subtype(tmp_path, tiny_model, rate, channels, subtype, ext):
    clean = speech(rate=rate)
    data = np.stack([mix(clean, 5.0, seed=c, rate=rate) for c in range(channels)], axis=1)
    src = tmp_path / f"in{ext}"
    sf.write(src, 0.5 * data, rate, subtype=subtype)
    dst = tmp_path / "out" / f"out{ext}"
    result = enhance_file(tiny_model, src, dst)
    info = sf.info(dst)
    assert (info.samplerate, info.channels, info.subtype) == (rate, channels, subtype)
    assert abs(info.frames - sf.info(src).frames) <= (0 if ext != ".ogg" else 1024)
    assert result.duration == pytest.approx(len(clean) / rate)
    assert not list(dst.parent.glob(".*part"))


def test_loud_output_is_scaled_not_clipped(tmp_path, tiny_model):
    # A model whose mask passes everything (bias -> large) would reproduce a full-scale input;
    # emulate "too loud" with a full-scale noisy input to a PCM_16 file and check no clipping.
    x = np.clip(mix(speech(), 0.0) * 6.0, -1, 1)
    src, dst = tmp_path / "loud.wav", tmp_path / "loud_out.wav"
    sf.write(src, x, 16000, subtype="PCM_16")
    result = enhance_file(tiny_model, src, dst)
    out, _ = sf.read(dst)
    expected = enhance_array(tiny_model, sf.read(src, dtype="float32")[0], 16000)
    peak = np.abs(expected).max()
    if peak > 1.0:
        assert result.scaled
        assert np.abs(out).max() <= 1.0
        assert np.allclose(out, expected * 0.999 / peak, atol=2e-4)
    else:
        assert not result.scaled
        assert np.allclose(out, expected, atol=1e-4)


def test_integer_output_beyond_full_scale_is_scaled_down_not_clipped(tmp_path, tiny_model):
    """Issue 26: the test above passes with the scaling replaced by clipping (the tiny
    model never exceeds full scale). Here the output must exceed it: strength 0 passes a
    float input that peaks at 2.0 unchanged into a 16-bit FLAC."""
    x = np.clip(mix(speech(), 0.0) * 4.0, -2.0, 2.0).astype(np.float32)
    peak = float(np.abs(x).max())
    assert peak > 1.5 and (np.abs(x) > 1.0).mean() > 0.01
    src, dst = tmp_path / "hot.wav", tmp_path / "hot.flac"
    sf.write(src, x, 16000, subtype="FLOAT")
    result = enhance_file(tiny_model, src, dst, strength=0.0)
    assert result.scaled and sf.info(dst).subtype == "PCM_16"
    out, _ = sf.read(dst)
    # Scaled as a whole: the waveform's shape is kept, the loudest sample just below 1.
    assert np.allclose(out, x * 0.999 / peak, atol=1e-4)


def test_refuses_nan_samples_and_leaves_no_output(tmp_path, tiny_model):
    x = mix(speech(), 5.0)
    x[1000] = np.nan
    src, dst = tmp_path / "nan.wav", tmp_path / "nan_out.wav"
    sf.write(src, x, 16000, subtype="FLOAT")
    with pytest.raises(AudioError, match="NaN"):
        enhance_file(tiny_model, src, dst)
    assert list(tmp_path.iterdir()) == [src]


def test_existing_output_is_refused_unless_overwrite(tmp_path, tiny_model):
    src, dst = tmp_path / "a.wav", tmp_path / "b.wav"
    sf.write(src, mix(speech(), 5.0), 16000)
    sf.write(dst, np.zeros(10), 16000)
    with pytest.raises(AudioError, match="exists"):
        enhance_file(tiny_model, src, dst)
    enhance_file(tiny_model, src, dst, overwrite=True)
    assert sf.info(dst).frames == sf.info(src).frames
    with pytest.raises(AudioError, match="overwrite the input"):
        enhance_file(tiny_model, src, src, overwrite=True)


@pytest.mark.parametrize(
    "content,reason",
    [(b"", "empty file"), (b"hello, I am text", "not a readable audio file")],
)
def test_bad_input_files_give_clear_errors(tmp_path, tiny_model, content, reason):
    src = tmp_path / "bad.wav"
    src.write_bytes(content)
    with pytest.raises(AudioError, match=reason):
        enhance_file(tiny_model, src, tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


def test_bundled_default_model_improves_si_sdr_by_3_db():
    from malenhance.hub import load_model

    model = load_model()
    clean = speech("A large size in stockings is hard to sell, but we tried anyway.")
    noisy = mix(clean, 0.0, seed=7)
    enhanced = enhance_array(model, noisy, 16000)
    gain = si_sdr(enhanced, clean) - si_sdr(noisy, clean)
    assert gain >= 3.0, f"SI-SDR improvement {gain:.2f} dB"
