"""MalNet: a small causal convolutional-recurrent encoder-decoder for speech enhancement.

The network works on the short-time spectrum (20 ms sqrt-Hann window, 10 ms hop)
and predicts a bounded complex ratio mask. Every layer is causal in time, so the
model runs frame by frame with carried state (:class:`malenhance.streaming.Streamer`)
and gives the same output as the whole-utterance call.

The encoder (strided convolutions over frequency, then a GRU over time) can be
called on its own through :meth:`MalNet.encode`; it returns the features of every
depth with the bottleneck (GRU output) last. This is what Model-as-Loss needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from huggingface_hub import PyTorchModelHubMixin
from torch import Tensor, nn

from malenhance.defaults import LEVEL_NORM_SETTINGS
from malenhance.frames import num_frames

FORMAT_VERSION = 1

State = list[Tensor]
RnnFn = Callable[[Tensor, Tensor], tuple[Tensor, Tensor]]  # (z, h0) -> (y, h_n), like nn.GRU


class CausalConv(nn.Module):
    """Conv2d over (time, frequency), causal in time, optionally strided in frequency.

    Shape:
        input ``(B, C_in, T, F)``, output ``(B, C_out, T, F_out)``. The carried state is
        the last ``time_kernel - 1`` input frames, ``(B, C_in, time_kernel - 1, F)``.
    """

    def __init__(
        self, c_in: int, c_out: int, time_kernel: int, freq_kernel: int, freq_stride: int
    ) -> None:
        super().__init__()
        self.time_kernel = time_kernel
        # Zero padding in frequency inside the convolution rather than a separate pad: the
        # same output, the whole model ~10 % faster on one CPU thread.
        self.conv = nn.Conv2d(c_in, c_out, (time_kernel, freq_kernel), stride=(1, freq_stride),
                              padding=(0, freq_kernel // 2))

    def forward(self, x: Tensor, past: Tensor) -> tuple[Tensor, Tensor]:
        x = torch.cat([past, x], dim=2)
        new_past = x[:, :, x.shape[2] - (self.time_kernel - 1) :]
        return self.conv(x), new_past


class EncoderBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, time_kernel: int) -> None:
        super().__init__()
        self.conv = CausalConv(c_in, c_out, time_kernel, 3, 2)
        self.act = nn.PReLU(c_out)

    def forward(self, x: Tensor, past: Tensor) -> tuple[Tensor, Tensor]:
        y, past = self.conv(x, past)
        return self.act(y), past


class DecoderBlock(nn.Module):
    """Causal conv followed by a sub-pixel shuffle that doubles the frequency axis."""

    def __init__(self, c_in: int, c_out: int, time_kernel: int, last: bool) -> None:
        super().__init__()
        self.c_out = c_out
        self.conv = CausalConv(c_in, 2 * c_out, time_kernel, 3, 1)
        self.act = nn.Identity() if last else nn.PReLU(c_out)

    def forward(self, x: Tensor, past: Tensor, freq_out: int) -> tuple[Tensor, Tensor]:
        y, past = self.conv(x, past)
        b, _, t, f = y.shape
        # (B, 2*C, T, F) -> (B, C, T, 2*F): neighbouring channel pairs become frequency pairs
        y = (
            y.reshape(b, self.c_out, 2, t, f)
            .permute(0, 1, 3, 4, 2)
            .reshape(b, self.c_out, t, 2 * f)
        )
        return self.act(y[..., :freq_out]), past


class MalNet(
    nn.Module,
    PyTorchModelHubMixin,
    library_name="malenhance",
    tags=["speech-enhancement", "audio-to-audio", "model-as-loss"],
    license="mit",
):
    """Causal CRN speech enhancer whose encoder doubles as a loss network.

    Args:
        sample_rate: the rate the model works at; callers resample to it.
        n_fft: window length in samples (also the algorithmic latency).
        hop: frame advance in samples; must be ``n_fft // 2`` for perfect reconstruction.
        channels: encoder conv channels, one entry per depth.
        time_kernel: causal kernel length in frames of every conv.
        rnn_hidden: GRU width at the bottleneck.
        rnn_layers: GRU depth.
        compress: exponent of the magnitude compression of the input features.
        df_order: taps of the complex filter the decoder predicts per bin: 1 is a complex
            ratio mask; K > 1 also weights the K - 1 previous frames of the same bin (a
            causal "deep filter", as in DeepFilterNet), which can follow harmonics that a
            10 ms hop smears across frames. Each tap is bounded to magnitude < 1.
        level_norm_s: with ``> 0``, the network sees its input lifted towards
            ``level_norm_dbfs`` by a gain from the mean frame power of the last
            ``level_norm_s`` seconds (never below 0 dB, at most ``level_norm_max_db``); the
            filter still applies to the input as it is. Quiet speech next to loud speech
            then reaches the network at a level it knows. ``0`` (the default): off.
        level_norm_dbfs: the level (RMS, dBFS) the input is lifted towards.
        level_norm_max_db: the largest lift.
        format_version: layout version of the saved weights.

    Shape:
        ``forward``: ``(B, L)`` waveform in, ``(B, L)`` enhanced waveform out.
    """

    def __init__(
        self,
        sample_rate: int = 16000,
        n_fft: int = 320,
        hop: int = 160,
        channels: Sequence[int] = (16, 24, 32, 32),
        time_kernel: int = 2,
        rnn_hidden: int = 256,
        rnn_layers: int = 2,
        compress: float = 0.3,
        df_order: int = 1,
        level_norm_s: float = 0.0,
        level_norm_dbfs: float = -25.0,
        level_norm_max_db: float = 30.0,
        format_version: int = FORMAT_VERSION,
    ) -> None:
        super().__init__()
        if hop * 2 != n_fft:
            raise ValueError(f"hop must be n_fft // 2 (got n_fft={n_fft}, hop={hop})")
        if format_version != FORMAT_VERSION:
            raise ValueError(f"unsupported format_version {format_version}")
        if df_order < 1:
            raise ValueError(f"df_order must be >= 1 (got {df_order})")
        if level_norm_s < 0 or level_norm_max_db < 0:
            raise ValueError(f"level_norm_s and level_norm_max_db must be >= 0 "
                             f"(got {level_norm_s}, {level_norm_max_db})")
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.hop = hop
        self.channels = list(channels)
        self.time_kernel = time_kernel
        self.rnn_hidden = rnn_hidden
        self.rnn_layers = rnn_layers
        self.compress = compress
        self.df_order = df_order
        self.level_norm_s = level_norm_s
        self.level_norm_dbfs = level_norm_dbfs
        self.level_norm_max_db = level_norm_max_db
        # frames the running level averages over (0: no level normalisation)
        self.level_frames = max(2, round(level_norm_s * sample_rate / hop)) if level_norm_s else 0
        # mean rfft-bin power of a frame of white noise at level_norm_dbfs (sqrt-Hann window)
        self.level_target = n_fft / 2 * 10 ** (level_norm_dbfs / 10)
        self.register_buffer(
            "window", torch.hann_window(n_fft, periodic=True).sqrt(), persistent=False
        )

        self.freq_sizes = [n_fft // 2 + 1]
        for _ in self.channels:
            self.freq_sizes.append((self.freq_sizes[-1] + 1) // 2)

        c_ins = [3, *self.channels[:-1]]
        self.encoder = nn.ModuleList(
            EncoderBlock(ci, co, time_kernel) for ci, co in zip(c_ins, self.channels, strict=True)
        )
        flat = self.channels[-1] * self.freq_sizes[-1]
        self.rnn_in = nn.Linear(flat, rnn_hidden)
        self.rnn = nn.GRU(rnn_hidden, rnn_hidden, rnn_layers, batch_first=True)
        self.rnn_out = nn.Linear(rnn_hidden, flat)
        c_outs = [2 * df_order, *self.channels[:-1]]
        self.decoder = nn.ModuleList(
            DecoderBlock(ci, co, time_kernel, last=(i == 0))
            for i, (ci, co) in enumerate(zip(self.channels, c_outs, strict=True))
        )

    # ---------------------------------------------------------------- framing
    @property
    def latency_samples(self) -> int:
        """Algorithmic latency: one window."""
        return self.n_fft

    def num_frames(self, length: int) -> int:
        """Frames needed so that every one of ``length`` samples is fully overlap-added."""
        return num_frames(length, self.hop)

    def analyze(self, samples: Tensor) -> Tensor:
        """Complex spectra of the whole windows in ``samples``, one per hop, no padding.

        ``(B, n) -> (B, T, n_fft // 2 + 1)`` with ``T = (n - n_fft) // hop + 1``. The
        transform of :meth:`frames` and of the streaming :class:`~malenhance.streaming.Streamer`.
        """
        framed = samples.unfold(-1, self.n_fft, self.hop) * self.window
        return torch.fft.rfft(framed, dim=-1)

    def synthesize(self, spec: Tensor) -> Tensor:
        """Windowed inverse transforms of ``spec``, overlap-added: the inverse of
        :meth:`analyze`. ``(B, T, F) -> (B, (T - 1) * hop + n_fft)``; the first and last
        ``n_fft - hop`` samples lack the overlapping neighbour frame."""
        framed = torch.fft.irfft(spec, n=self.n_fft, dim=-1) * self.window
        b, t, _ = framed.shape
        total = (t - 1) * self.hop + self.n_fft
        return F.fold(
            framed.transpose(1, 2),
            output_size=(1, total),
            kernel_size=(1, self.n_fft),
            stride=(1, self.hop),
        ).reshape(b, total)

    def frames(self, wav: Tensor) -> Tensor:
        """Complex spectra of causal frames. ``(B, L) -> (B, T, n_fft // 2 + 1)``."""
        length = wav.shape[-1]
        total = (self.num_frames(length) - 1) * self.hop + self.n_fft
        pad_left = self.n_fft - self.hop
        return self.analyze(F.pad(wav, (pad_left, total - pad_left - length)))

    def overlap_add(self, spec: Tensor, length: int) -> Tensor:
        """Inverse of :meth:`frames`. ``(B, T, F) -> (B, length)``."""
        start = self.n_fft - self.hop
        return self.synthesize(spec)[:, start : start + length]

    # ---------------------------------------------------------------- state
    def initial_state(self, batch: int, device: torch.device | str = "cpu") -> State:
        """Zero state for :meth:`forward_frames`: conv histories, the GRU state, and with
        ``df_order > 1`` the real and imaginary parts of the last ``df_order - 1`` input
        spectra, ``(B, 2, df_order - 1, F)``."""
        state: State = []
        past = self.time_kernel - 1
        for block, freq in zip(self.encoder, self.freq_sizes[:-1], strict=True):
            c_in = block.conv.conv.in_channels
            state.append(torch.zeros(batch, c_in, past, freq, device=device))
        for block, freq in zip(self.decoder, self.freq_sizes[1:], strict=True):
            c_in = block.conv.conv.in_channels
            state.append(torch.zeros(batch, c_in, past, freq, device=device))
        state.append(torch.zeros(self.rnn_layers, batch, self.rnn_hidden, device=device))
        if self.df_order > 1:
            bins = self.freq_sizes[0]
            state.append(torch.zeros(batch, 2, self.df_order - 1, bins, device=device))
        if self.level_frames:
            state.append(torch.zeros(batch, self.level_frames - 1, device=device))
        return state

    def _split_state(self, state: State) -> tuple[State, Tensor | None, Tensor | None]:
        """``state`` as the body's, the deep-filter history and the level history."""
        body = list(state)
        level = body.pop() if self.level_frames else None
        history = body.pop() if self.df_order > 1 else None
        return body, history, level

    # ---------------------------------------------------------------- network
    def features(self, spec: Tensor) -> Tensor:
        """Compressed magnitude and compressed real/imag parts. ``(B,T,F) -> (B,3,T,F)``."""
        return self.features_ri(spec.real, spec.imag)

    def features_ri(self, real: Tensor, imag: Tensor) -> Tensor:
        """:meth:`features` from real and imaginary parts (no complex tensors: ONNX)."""
        power = real.square() + imag.square() + 1e-12
        mag_c = power ** (self.compress / 2)
        norm = power.sqrt()
        return torch.stack([mag_c, mag_c * (real / norm), mag_c * (imag / norm)], dim=1)

    def input_features(
        self, real: Tensor, imag: Tensor, level_history: Tensor | None
    ) -> tuple[Tensor, Tensor | None]:
        """What the network sees of a spectrum: :meth:`features_ri`, level-normalised when
        ``level_norm_s > 0``. Takes and returns the level history ``(B, level_frames - 1)``:
        the last frames' mean bin power minus the target (zeros: a past at the target)."""
        if not self.level_frames:
            return self.features_ri(real, imag), level_history
        # a normaliser, not a feature: no gradient flows through the gain
        power = (real.square() + imag.square()).mean(-1).detach() - self.level_target
        if level_history is None:
            past = power.new_zeros(power.shape[0], self.level_frames - 1)
        else:
            past = level_history
        full = torch.cat([past, power], dim=1)
        # the mean of each frame's last level_frames powers, as a convolution (ONNX: any T)
        box = power.new_full((1, 1, self.level_frames), 1.0 / self.level_frames)
        level = F.conv1d(full[:, None], box)[:, 0] + self.level_target
        lift = (self.level_target / level.clamp_min(1e-12)).sqrt()
        lift = lift.clamp(1.0, 10 ** (self.level_norm_max_db / 20))[..., None]
        new_history = full[:, full.shape[1] - (self.level_frames - 1) :]
        return self.features_ri(real * lift, imag * lift), new_history

    def _encode_frames(self, spec: Tensor, state: State) -> tuple[list[Tensor], State, Tensor]:
        body, _, level = self._split_state(state)
        features, _ = self.input_features(spec.real, spec.imag, level)
        return self._encode_features(features, body)

    def _encode_features(
        self, x: Tensor, state: State, rnn: RnnFn | None = None
    ) -> tuple[list[Tensor], State, Tensor]:
        n_enc = len(self.encoder)
        feats: list[Tensor] = []
        new_state: State = []
        for block, past in zip(self.encoder, state[:n_enc], strict=True):
            x, past = block(x, past)
            feats.append(x)
            new_state.append(past)
        b, c, t, f = x.shape
        z = self.rnn_in(x.permute(0, 2, 1, 3).reshape(b, t, c * f))
        # the GRU state follows the conv histories (a deep-filter history may follow it)
        z, hidden = (rnn or self.rnn)(z, state[n_enc + len(self.decoder)])
        feats.append(z)
        return feats, new_state, hidden

    def forward_frames(
        self, spec: Tensor, state: State, rnn: RnnFn | None = None
    ) -> tuple[Tensor, State]:
        """Enhance a block of frames given the state left by the previous block.

        ``rnn`` runs the bottleneck GRU in place of ``self.rnn`` (same call and result, e.g.
        :func:`malenhance.fast_gru.runner_for`'s faster CPU inference runner).

        Shape:
            ``spec`` ``(B, T, F)`` complex, any ``T >= 1``; returns the enhanced spectrum of
            the same shape and the state to pass with the next block.
        """
        # complex tensors need float32 even under bf16 autocast
        out_re, out_im, new_state = self.enhance_ri(spec.real, spec.imag, state, rnn)
        return torch.complex(out_re.float(), out_im.float()), new_state

    def enhance_ri(
        self, real: Tensor, imag: Tensor, state: State, rnn: RnnFn | None = None
    ) -> tuple[Tensor, Tensor, State]:
        """:meth:`forward_frames` on real and imaginary parts (no complex tensors: ONNX)."""
        body_state, history, level = self._split_state(state)
        features, new_level = self.input_features(real, imag, level)
        logits, new_state = self.mask_logits(features, body_state, rnn)
        out_re, out_im, new_history = self.filter_spectrum(logits.float(), real.float(),
                                                         imag.float(), history)
        if new_history is not None:
            new_state = [*new_state, new_history]
        if new_level is not None:
            new_state = [*new_state, new_level]
        return out_re, out_im, new_state

    def filter_spectrum(
        self, logits: Tensor, real: Tensor, imag: Tensor, history: Tensor | None
    ) -> tuple[Tensor, Tensor, Tensor | None]:
        """Apply the bounded filter ``logits`` to a spectrum; with ``df_order > 1`` also take
        and return the deep-filter history ``(B, 2, K - 1, F)`` (previous frames, oldest
        first)."""
        if self.df_order == 1:
            m_re, m_im = bounded_mask(logits[:, 0], logits[:, 1])
            return real * m_re - imag * m_im, real * m_im + imag * m_re, None
        k = self.df_order
        assert history is not None
        full_re = torch.cat([history[:, 0], real], dim=1)
        full_im = torch.cat([history[:, 1], imag], dim=1)
        t = real.shape[1]
        out_re = torch.zeros_like(real)
        out_im = torch.zeros_like(imag)
        for tap in range(k):  # tap j weights the input of j frames before
            m_re, m_im = bounded_mask(logits[:, 2 * tap], logits[:, 2 * tap + 1])
            s_re = full_re[:, k - 1 - tap : k - 1 - tap + t]
            s_im = full_im[:, k - 1 - tap : k - 1 - tap + t]
            out_re = out_re + s_re * m_re - s_im * m_im
            out_im = out_im + s_re * m_im + s_im * m_re
        last = full_re.shape[1] - (k - 1)
        new_history = torch.stack([full_re[:, last:], full_im[:, last:]], dim=1)
        return out_re, out_im, new_history

    def mask_logits(
        self, features: Tensor, state: State, rnn: RnnFn | None = None
    ) -> tuple[Tensor, State]:
        """The network body: features ``(B, 3, T, F)`` -> unbounded filter ``(B, 2K, T, F)``
        (real and imaginary part of each of the ``K = df_order`` taps) and the body's state
        (``state`` without the deep-filter history).

        Real-valued throughout, so the ONNX export (:mod:`malenhance.export`) shares it;
        :meth:`enhance_ri` bounds each tap with ``tanh`` of its magnitude.
        """
        n_enc = len(self.encoder)
        feats, enc_state, hidden = self._encode_features(features, state, rnn)
        b, t = features.shape[0], features.shape[2]
        x = self.rnn_out(feats[-1])
        c, f = self.channels[-1], self.freq_sizes[-1]
        x = x.reshape(b, t, c, f).permute(0, 2, 1, 3)
        dec_state: State = []
        depth = len(self.decoder)
        for i in reversed(range(depth)):
            x = x + feats[i]
            x, past = self.decoder[i](x, state[n_enc + i], self.freq_sizes[i])
            dec_state.append(past)
        dec_state.reverse()
        return x, [*enc_state, *dec_state, hidden]

    def encode(self, wav: Tensor) -> list[Tensor]:
        """Encoder features of a waveform at every depth, the bottleneck last.

        Shape:
            ``(B, L)`` in; conv features ``(B, C_i, T, F_i)`` and the bottleneck
            ``(B, T, rnn_hidden)`` out, with ``T = num_frames(L)``.
        """
        spec = self.frames(wav)
        feats, _, _ = self._encode_frames(spec, self.initial_state(wav.shape[0], wav.device))
        return feats

    def encoder_parameters(self) -> list[nn.Parameter]:
        """Parameters of the part :meth:`encode` uses (convs, input projection, GRU)."""
        modules = [*self.encoder, self.rnn_in, self.rnn]
        return [p for m in modules for p in m.parameters()]

    def predict_filter(self, wav: Tensor) -> Tensor:
        """The filter the network chooses for ``(B, L)`` waveforms, from a fresh state.

        Returns the unbounded filter ``(B, 2K, T, F)`` (float32) that :meth:`apply_filter`
        takes, with ``T = num_frames(L)``.
        """
        if wav.dim() != 2:
            raise ValueError(f"expected a (batch, samples) waveform, got shape {tuple(wav.shape)}")
        spec = self.frames(wav)
        body_state, _, level = self._split_state(self.initial_state(wav.shape[0], wav.device))
        features, _ = self.input_features(spec.real, spec.imag, level)
        logits, _ = self.mask_logits(features, body_state)
        return logits.float()

    def apply_filter(self, logits: Tensor, wav: Tensor) -> Tensor:
        """Pass ``(B, L)`` waveforms through a filter from :meth:`predict_filter`.

        The filter need not be the one ``wav`` chose: it is linear in its input, so for
        ``wav = speech + noise`` the filter of ``wav`` applied to ``speech`` and to ``noise``
        gives exactly the two parts of the output (the speech-distortion term of training).
        """
        if wav.dim() != 2 or logits.shape[0] != wav.shape[0]:
            raise ValueError(f"expected a (batch, samples) waveform matching the filter's "
                             f"batch {logits.shape[0]}, got shape {tuple(wav.shape)}")
        spec = self.frames(wav)
        history = None
        if self.df_order > 1:
            history = spec.real.new_zeros(wav.shape[0], 2, self.df_order - 1, spec.shape[-1])
        o_re, o_im, _ = self.filter_spectrum(logits, spec.real.float(), spec.imag.float(),
                                             history)
        return self.overlap_add(torch.complex(o_re, o_im), wav.shape[-1])

    def forward(self, wav: Tensor, also: Tensor | None = None) -> Tensor | tuple[Tensor, Tensor]:
        """Enhance ``(B, L)`` waveforms: :meth:`apply_filter` of :meth:`predict_filter`.

        With ``also`` (another ``(B, L)`` signal, e.g. the clean speech inside ``wav``), also
        return ``also`` through the same filter that ``wav`` chose. Training calls this
        form (rather than the two methods) because DistributedDataParallel synchronises
        gradients only through ``forward``.
        """
        logits = self.predict_filter(wav)
        out = self.apply_filter(logits, wav)
        if also is None:
            return out
        if also.shape != wav.shape:
            raise ValueError(f"also must have the shape of wav, {tuple(wav.shape)}, "
                             f"got {tuple(also.shape)}")
        return out, self.apply_filter(logits, also)

    def config(self) -> dict:
        """The init arguments, as written to ``config.json``."""
        return {
            "sample_rate": self.sample_rate,
            "n_fft": self.n_fft,
            "hop": self.hop,
            "channels": list(self.channels),
            "time_kernel": self.time_kernel,
            "rnn_hidden": self.rnn_hidden,
            "rnn_layers": self.rnn_layers,
            "compress": self.compress,
            "df_order": self.df_order,
            "format_version": FORMAT_VERSION,
            # written only when on, so models without it keep their config.json as it was
            **(self._level_norm_settings() if self.level_frames else {}),
        }

    def _level_norm_settings(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in LEVEL_NORM_SETTINGS}

    def with_settings(self, **settings: float) -> MalNet:
        """A copy with other values of settings that have no weights (``level_norm_*``)."""
        unknown = set(settings) - set(LEVEL_NORM_SETTINGS)
        if unknown:
            raise ValueError(f"not a setting without weights: {', '.join(sorted(unknown))}")
        other = MalNet(**{**self.config(), **self._level_norm_settings(), **settings})
        other = other.to(self.window.device)
        other.load_state_dict(self.state_dict())
        return other.train(self.training)

    def with_df_order(self, df_order: int, seed: int = 0) -> MalNet:
        """A copy with a deep filter of ``df_order`` taps, starting as this model's output.

        The taps this model lacks get weights ~1e-3 of the trained ones' scale, so the
        output changes by ~-60 dB at first yet the new taps receive gradient (at exactly
        zero the bounded mask has none).
        """
        if df_order < self.df_order:
            raise ValueError(f"cannot shrink df_order from {self.df_order} to {df_order}")
        wider = MalNet(**{**self.config(), "df_order": df_order}).to(self.window.device)
        own = self.state_dict()
        target = wider.state_dict()
        generator = torch.Generator().manual_seed(seed)
        for name, value in own.items():
            if target[name].shape == value.shape:
                target[name] = value.clone()
                continue
            # the last decoder conv: output channels (2 * 2 * df_order), old ones first
            n_old = value.shape[0]
            noise = torch.randn(target[name].shape, generator=generator).to(value)
            scale = 1e-3 * value.std() if value.dim() > 1 else 0.0
            grown = noise * scale
            grown[:n_old] = value
            target[name] = grown
        wider.load_state_dict(target)
        return wider

    def with_rnn_hidden(self, rnn_hidden: int, seed: int = 0) -> MalNet:
        """A copy with a wider GRU bottleneck of ``rnn_hidden`` units, starting as this model.

        The old units keep their weights; the new ones get PyTorch's initial weights for what
        flows into them, and what flows out of them (into the old units' gates and into
        ``rnn_out``) ~1e-3 of the trained weights' scale, as :meth:`with_df_order` does: the
        output changes by ~-60 dB at first, and every new weight receives gradient. For
        issue 22: a capacity trial that starts from a trained model, not from scratch.
        """
        old = self.rnn_hidden
        if rnn_hidden < old:
            raise ValueError(f"cannot shrink rnn_hidden from {old} to {rnn_hidden}")
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            wider = MalNet(**{**self.config(), "rnn_hidden": rnn_hidden})
        wider = wider.to(self.window.device)
        generator = torch.Generator().manual_seed(seed + 1)
        own = self.state_dict()
        target = wider.state_dict()

        def faint(shape: torch.Size, like: Tensor) -> Tensor:
            noise = torch.randn(shape, generator=generator).to(like)
            return noise * (1e-3 * like.std())

        for name, value in own.items():
            grown = target[name]
            if grown.shape == value.shape:
                target[name] = value.clone()
                continue
            if name.startswith("rnn_in."):  # new rows: the new units' input
                grown[:old] = value
            elif name == "rnn_out.weight":  # new columns: the new units' output
                grown[:, :old] = value
                grown[:, old:] = faint(grown[:, old:].shape, value)
            else:  # rnn.{weight,bias}_{ih,hh}_lK: three gate blocks (r, z, n) of rows
                for gate in range(3):
                    rows = slice(gate * rnn_hidden, gate * rnn_hidden + old)
                    old_rows = value[gate * old : (gate + 1) * old]
                    if value.dim() == 1:
                        grown[rows] = old_rows
                        continue
                    columns = old if value.shape[1] == old else value.shape[1]
                    grown[rows, :columns] = old_rows
                    if columns < grown.shape[1]:  # the old units' view of the new ones
                        grown[rows, columns:] = faint(grown[rows, columns:].shape, old_rows)
            target[name] = grown
        wider.load_state_dict(target)
        return wider.train(self.training)


def bounded_mask(m_re: Tensor, m_im: Tensor) -> tuple[Tensor, Tensor]:
    """Scale a complex mask to magnitude ``tanh(|m|)``, keeping its phase."""
    magnitude = torch.sqrt(m_re.square() + m_im.square() + 1e-16)
    scale = torch.tanh(magnitude) / (magnitude + 1e-8)
    return m_re * scale, m_im * scale
