"""Fuzz: malformed audio headers give clean errors (AudioError) and nothing else.

Hypothesis mutates real, valid files (WAV PCM/float/extensible, FLAC, AIFF, Ogg): random
bytes in the header, absurd sizes, channel counts and rates, truncation, inserted bytes.
Derandomized with a fixed budget so CI stays deterministic and bounded (~20 s).
"""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from malenhance.audio import probe, read_blocks
from malenhance.cli import app
from malenhance.enhance import enhance_file
from malenhance.errors import AudioError

_SIGNAL = (0.3 * np.sin(np.arange(1600) / 7.0)).astype(np.float32)


def _encode(fmt: str, subtype: str, channels: int = 1) -> bytes:
    data = np.stack([_SIGNAL] * channels, axis=1) if channels > 1 else _SIGNAL
    buffer = io.BytesIO()
    sf.write(buffer, data, 16000, format=fmt, subtype=subtype)
    return buffer.getvalue()


SEEDS = {
    "wav-pcm16": (_encode("WAV", "PCM_16"), ".wav"),
    "wav-float": (_encode("WAV", "FLOAT"), ".wav"),
    "wav-ext-6ch": (_encode("WAVEX", "PCM_24", 6), ".wav"),
    "flac": (_encode("FLAC", "PCM_16"), ".flac"),
    "aiff": (_encode("AIFF", "PCM_16"), ".aiff"),
    "ogg": (_encode("OGG", "VORBIS"), ".ogg"),
}
# Values that break size, channel and rate arithmetic.
INTERESTING = [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
               0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF]

mutation = st.one_of(
    # one header byte replaced
    st.tuples(st.just("byte"), st.integers(0, 79), st.integers(0, 255)),
    # a little-endian 16/32-bit field in the header set to an interesting value
    st.tuples(st.just("field16"), st.integers(0, 78), st.sampled_from(INTERESTING)),
    st.tuples(st.just("field32"), st.integers(0, 76), st.sampled_from(INTERESTING)),
    # the file cut short, anywhere
    st.tuples(st.just("truncate"), st.integers(0, 4000), st.just(0)),
    # random bytes inserted inside the header
    st.tuples(st.just("insert"), st.integers(0, 79), st.integers(1, 2**32 - 1)),
)


def _mutate(data: bytes, mutations) -> bytes:
    out = bytearray(data)
    for kind, at, value in mutations:
        if kind == "byte" and at < len(out):
            out[at] = value
        elif kind == "field16" and at + 2 <= len(out):
            out[at : at + 2] = struct.pack("<H", value & 0xFFFF)
        elif kind == "field32" and at + 4 <= len(out):
            out[at : at + 4] = struct.pack("<I", value)
        elif kind == "truncate":
            del out[at:]
        elif kind == "insert":
            out[at:at] = value.to_bytes(4, "little")
    return bytes(out)


def _read_all(path) -> int:
    info = probe(path)
    frames = 0
    for block in read_blocks(info, 4096):
        assert block.ndim == 2 and block.shape[1] == info.channels
        frames += block.shape[0]
    return frames


@pytest.mark.parametrize("seed", list(SEEDS))
def test_malformed_headers_give_only_clean_errors(tmp_path, seed):
    data, ext = SEEDS[seed]
    path = tmp_path / f"fuzz{ext}"

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(mutation, min_size=1, max_size=4))
    def check(mutations):
        path.write_bytes(_mutate(data, mutations))
        try:
            frames = _read_all(path)
        except AudioError as err:
            assert str(err).startswith(str(path)) and "\n" not in str(err)
        else:
            assert frames == probe(path).frames  # what is read is what the header says

    check()


def test_fuzzed_file_through_the_enhancer(tmp_path, tiny_model):
    """Every mutant that reads cleanly also enhances to the same length, or fails cleanly."""
    data, _ = SEEDS["wav-pcm16"]
    src, dst = tmp_path / "in.wav", tmp_path / "out.wav"

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(mutation, min_size=1, max_size=3))
    def check(mutations):
        src.write_bytes(_mutate(data, mutations))
        dst.unlink(missing_ok=True)
        try:
            enhance_file(tiny_model, src, dst)
        except AudioError:
            assert not dst.exists()
        else:
            assert sf.info(dst).frames == probe(src).frames
        assert not list(tmp_path.glob(".*.part"))

    check()


@pytest.mark.parametrize("seed", ["wav-pcm16", "flac"])
def test_cli_with_a_fuzzed_batch(tmp_path, tiny_model_dir, seed):
    """A folder of 12 mutants through the CLI: one line per failure, never a traceback."""
    data, ext = SEEDS[seed]
    rng = np.random.default_rng(1)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        mutant = bytearray(data)
        for at in rng.integers(0, 64, size=3):
            mutant[at] = int(rng.integers(0, 256))
        (folder / f"m{i:02d}{ext}").write_bytes(bytes(mutant))
    result = CliRunner().invoke(app, ["enhance", str(folder), "-o", str(tmp_path / "out"),
                                      "-m", str(tiny_model_dir)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "unexpected" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    written = list((tmp_path / "out").rglob("*")) if (tmp_path / "out").exists() else []
    assert len(errors) + len(written) == 12
    assert result.exit_code == (1 if errors else 0)
