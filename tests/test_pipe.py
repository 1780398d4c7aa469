"""`malenhance enhance -`: WAV and raw PCM through stdin/stdout, streamed."""

import io
import struct
import subprocess
import sys
import wave

import numpy as np
import pytest
import soundfile as sf
import torch

from malenhance.enhance import enhance_array
from malenhance.errors import AudioError
from malenhance.pipe import enhance_stream, open_source
from malenhance.wavstream import ENCODINGS, PcmFormat, WavStreamWriter, open_wav_stream
from tests.speech import mix, speech


def _noisy(rate=16000, channels=1):
    mono = mix(speech(rate=rate), 5.0, rate=rate)
    return mono if channels == 1 else np.stack([mono, mix(speech(rate=rate), 0.0, 1, rate)], 1)


def _streamed_wav(samples: np.ndarray, rate: int, size: int) -> bytes:
    """A 16-bit WAV as streaming writers make it: ``size`` in both size fields."""
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    data = np.round(np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    return (b"RIFF" + struct.pack("<I", size) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"LIST" + struct.pack("<I", 4) + b"INFO" + b"data" + struct.pack("<I", size) + data)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_pcm_encodings_round_trip(encoding):
    fmt = PcmFormat(16000, 2, encoding)
    x = np.random.default_rng(0).uniform(-0.99, 0.99, (1000, 2)).astype(np.float32)
    y = fmt.decode(fmt.encode(x))
    assert y.shape == x.shape
    assert np.abs(y - x).max() <= 1.0 / 2 ** (8 * fmt.sample_bytes - 1)


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"])
@pytest.mark.parametrize("container", ["WAV", "WAVEX"])
def test_wav_stream_reader_agrees_with_libsndfile(subtype, container):
    audio = _noisy(channels=2)[:5000] * 0.5
    buffer = io.BytesIO()
    sf.write(buffer, audio, 16000, subtype=subtype, format=container)
    expected, _ = sf.read(io.BytesIO(buffer.getvalue()), dtype="float32", always_2d=True)
    source = open_wav_stream(io.BytesIO(buffer.getvalue()))
    got = np.concatenate(list(source.blocks(777)))
    assert (source.format.sample_rate, source.format.channels) == (16000, 2)
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 1e-6


@pytest.mark.parametrize("size", [0, 0xFFFFFFFF, 0x80000000, 0x7FFFF000])  # 0x8...: arecord
def test_streamed_wav_headers_of_unknown_length_are_read_to_the_end(size):
    audio = _noisy()[:12345]
    source = open_wav_stream(io.BytesIO(_streamed_wav(audio, 16000, size)))
    assert sum(b.shape[0] for b in source.blocks(1000)) == 12345


def test_bad_streams_raise_clear_errors():
    with pytest.raises(AudioError, match="no input"):
        open_wav_stream(io.BytesIO(b""))
    with pytest.raises(AudioError, match="not WAV or other readable audio"):
        open_wav_stream(io.BytesIO(b"hello, this is text and not audio at all"))
    with pytest.raises(AudioError, match="ends inside its b'fmt ' chunk"):
        open_wav_stream(io.BytesIO(_streamed_wav(np.zeros(10), 16000, 20)[:30]))
    with pytest.raises(AudioError, match="ends before its data chunk"):
        open_wav_stream(io.BytesIO(_streamed_wav(np.zeros(10), 16000, 20)[:48]))


def test_enhance_stream_equals_file_enhancement(tiny_model):
    audio = _noisy(rate=22050, channels=2)
    source = open_wav_stream(io.BytesIO(_streamed_wav(audio, 22050, 0xFFFFFFFF)))
    sink = io.BytesIO()
    # an odd block size exercises the carried state across block borders
    result = enhance_stream(tiny_model, source, sink, block_seconds=0.37)
    out, rate = sf.read(io.BytesIO(sink.getvalue()), dtype="float32", always_2d=True)
    assert rate == 22050 and out.shape == audio.shape and result.frames == len(audio)
    quantised = np.round(np.clip(audio, -1, 1) * 32767) / 32768
    expected = enhance_array(tiny_model, quantised.astype(np.float32), 22050)
    assert np.abs(out - np.clip(expected, -1, 32767 / 32768)).max() <= 2 / 32768
    # the sink was seekable: the header carries the exact sizes
    with wave.open(io.BytesIO(sink.getvalue())) as handle:
        assert handle.getnframes() == len(audio)


def test_raw_pcm_source(tiny_model):
    audio = _noisy()[:8000]
    fmt = PcmFormat(16000, 1, "f32le")
    source = open_source(io.BytesIO(audio.astype("<f4").tobytes()), fmt)
    sink = io.BytesIO()
    enhance_stream(tiny_model, source, sink)
    out, _ = sf.read(io.BytesIO(sink.getvalue()), dtype="float32")
    with torch.inference_mode():
        expected = tiny_model(torch.from_numpy(audio)[None])[0].numpy()
    assert np.abs(out - expected).max() < 1e-4


def test_empty_stream_writes_nothing(tiny_model):
    sink = io.BytesIO()
    source = open_source(io.BytesIO(b""), PcmFormat(16000, 1))
    with pytest.raises(AudioError, match="no audio samples"):
        enhance_stream(tiny_model, source, sink)
    assert sink.getvalue() == b""


def test_writer_leaves_sizes_unknown_on_a_pipe():
    class Pipe(io.BytesIO):
        def seekable(self):
            return False

    sink = Pipe()
    writer = WavStreamWriter(sink, PcmFormat(8000, 1))
    writer.write(np.zeros((3, 1)))
    writer.close()
    data = sink.getvalue()
    assert struct.unpack("<I", data[40:44])[0] == 0xFFFFFFFF
    assert len(data) == 44 + 6
    assert sf.read(io.BytesIO(data))[0].shape == (3,)


def _cli(args, stdin_bytes, model_dir, stdout=subprocess.PIPE):
    return subprocess.run(
        [sys.executable, "-m", "malenhance", "enhance", "-", "-m", str(model_dir), *args],
        input=stdin_bytes, stdout=stdout, stderr=subprocess.PIPE, check=False,
    )


@pytest.mark.slow
def test_cli_wav_stdin_to_stdout_is_pure_audio(tmp_path, tiny_model_dir):
    audio = _noisy(rate=44100, channels=2)
    buffer = io.BytesIO()
    sf.write(buffer, audio, 44100, subtype="PCM_24", format="WAV")
    proc = _cli([], buffer.getvalue(), tiny_model_dir)
    assert proc.returncode == 0, proc.stderr.decode()
    info = sf.info(io.BytesIO(proc.stdout))
    assert (info.frames, info.samplerate, info.channels) == (len(audio), 44100, 2)
    assert info.subtype == "PCM_24"
    # nothing but the WAV: a 44-byte header and the samples, not one byte more
    assert len(proc.stdout) == 44 + len(audio) * 2 * 3
    assert b"enhanced" in proc.stderr and b"Traceback" not in proc.stderr
    # the same as enhancing the file
    src, ref = tmp_path / "in.wav", tmp_path / "ref.wav"
    src.write_bytes(buffer.getvalue())
    subprocess.run([sys.executable, "-m", "malenhance", "enhance", str(src), "-o", str(ref),
                    "-m", str(tiny_model_dir), "-q"], check=True)
    expected, _ = sf.read(ref, dtype="float32")
    got, _ = sf.read(io.BytesIO(proc.stdout), dtype="float32")
    assert np.abs(got - expected).max() <= 2 / 2**23


@pytest.mark.slow
def test_cli_raw_pcm_and_streamed_wav_to_a_file(tmp_path, tiny_model_dir):
    audio = _noisy()
    raw = np.round(audio * 32767).astype("<i2").tobytes()
    with open(tmp_path / "out.wav", "wb") as out:  # stdout is a file: exact header sizes
        proc = _cli(["--raw-rate", "16000", "-q"], raw, tiny_model_dir, stdout=out)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    with wave.open(str(tmp_path / "out.wav")) as handle:
        assert (handle.getnframes(), handle.getframerate(), handle.getnchannels()) == (
            len(audio), 16000, 1)
    streamed = _cli(["-o", str(tmp_path / "streamed.flac")],
                    _streamed_wav(audio, 16000, 0xFFFFFFFF), tiny_model_dir)
    assert streamed.returncode == 0, streamed.stderr.decode()
    assert streamed.stdout == b""
    assert sf.info(tmp_path / "streamed.flac").frames == len(audio)


@pytest.mark.slow
def test_cli_bad_stdin_gives_one_clean_error(tiny_model_dir):
    proc = _cli([], b"not audio, just text\n" * 10, tiny_model_dir)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == b""
    assert proc.stderr.startswith(b"error: stdin: not WAV") and b"Traceback" not in proc.stderr
    assert len(proc.stderr.decode().strip().splitlines()) == 1


def test_cli_empty_stdin_and_usage_errors(tiny_model_dir):
    from typer.testing import CliRunner

    from malenhance.cli import app

    runner = CliRunner()
    base = ["enhance", "-", "-m", str(tiny_model_dir)]
    for data, reason in [(b"", "no input"),
                         (_streamed_wav(np.zeros(0), 16000, 0), "no audio samples")]:
        result = runner.invoke(app, base, input=data)
        assert result.exit_code == 1 and reason in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    usage = runner.invoke(app, [*base, "--raw-channels", "2"], input=b"\0" * 64)
    assert usage.exit_code == 2 and "need --raw-rate" in usage.output
    mixed = runner.invoke(app, [*base, "other.wav"], input=b"")
    assert mixed.exit_code == 2 and "cannot be combined" in mixed.output
