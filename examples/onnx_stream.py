"""Enhance a WAV with an exported streaming graph, using numpy + soundfile + onnxruntime only.

    malenhance export --onnx malnet.onnx          # once, where malenhance (torch) is installed
    python examples/onnx_stream.py malnet.onnx noisy.wav clean.wav [--atten-lim DB]

The graph takes one hop (10 ms) of samples per call and carries the model state in its
inputs and outputs; this is the loop a real-time application runs, one call per hop as
the audio arrives. The input must be at the model rate (16 kHz; resample first, e.g.
`sox in.wav -r 16000 out.wav`); each channel is enhanced on its own. The graph is the
16 kHz model only: full band (44.1/48 kHz with the band above 8 kHz kept) and the stereo
link are malenhance's code around it (docs/onnx.md). ``--atten-lim DB`` is one line here
as there: the output keeps the input at ``10^(-DB/20)`` (``malenhance enhance --atten-lim``).
"""

from __future__ import annotations

import sys

import numpy as np
import onnxruntime as ort
import soundfile as sf


class OnnxStreamer:
    """Feed hops of samples, get hops of enhanced samples one hop later."""

    def __init__(self, path: str, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        if meta.get("malenhance_kind") != "streaming":
            raise SystemExit(f"{path}: not a streaming graph (export with --kind streaming)")
        self.sample_rate = int(meta["sample_rate"])
        self.hop = int(meta["hop"])
        self.outputs = [o.name for o in self.session.get_outputs()]
        # every input but "samples" is state: zeros at the start, then the "<name>_out" output
        self.state = {
            i.name: np.zeros(i.shape, np.float32)
            for i in self.session.get_inputs()
            if i.name != "samples"
        }

    def step(self, hop: np.ndarray) -> np.ndarray:
        """One hop of float32 samples in, the enhanced previous hop out."""
        results = self.session.run(self.outputs, {"samples": hop[None], **self.state})
        for name, value in zip(self.outputs[1:], results[1:], strict=True):
            self.state[name.removesuffix("_out")] = value
        return results[0][0]


def enhance(streamer: OnnxStreamer, wav: np.ndarray, atten_lim_db: float = 0.0) -> np.ndarray:
    """A whole mono signal; the output is aligned with the input and as long. With an
    attenuation limit, at most ``atten_lim_db`` dB is taken away (0: no limit)."""
    hop = streamer.hop
    calls = -(-len(wav) // hop) + 1  # one more call: output comes one hop late
    padded = np.zeros(calls * hop, np.float32)
    padded[: len(wav)] = wav
    out = np.concatenate([streamer.step(padded[k * hop : (k + 1) * hop]) for k in range(calls)])
    out = out[hop : hop + len(wav)]
    # A live loop mixes each output hop with the input hop of the call before (the same
    # one-hop delay); here both are aligned already.
    dry = 10 ** (-atten_lim_db / 20) if atten_lim_db else 0.0
    return ((1.0 - dry) * out + dry * wav).astype(np.float32)


def main(model: str, source: str, destination: str, atten_lim_db: float = 0.0) -> None:
    info = sf.info(source)
    audio, rate = sf.read(source, dtype="float32", always_2d=True)
    channels = []
    for c in range(audio.shape[1]):
        streamer = OnnxStreamer(model)  # fresh state per channel
        if rate != streamer.sample_rate:
            raise SystemExit(f"{source}: {rate} Hz; resample to {streamer.sample_rate} Hz first")
        channels.append(enhance(streamer, audio[:, c], atten_lim_db))
    sf.write(destination, np.stack(channels, axis=1), rate, subtype=info.subtype)


if __name__ == "__main__":
    args = sys.argv[1:]
    limit = 0.0
    if len(args) == 5 and args[3] == "--atten-lim":
        limit = float(args.pop())
        args.pop()
    if len(args) != 3 or limit < 0:
        raise SystemExit("usage: python onnx_stream.py MODEL.onnx IN.wav OUT.wav [--atten-lim DB]")
    main(*args, atten_lim_db=limit)
