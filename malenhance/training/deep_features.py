"""A pretrained speech network's features as a stage-2 loss: the paper's baseline for MAL.

Model as Loss uses the enhancement model's own encoder as the loss network; the
alternative it is compared with is a *deep-feature loss*, the same L1 distance on the
features of a large network pretrained on other speech tasks. On these machines the Hub
(WavLM, wav2vec) is unreachable; the strongest speech network that ships inside a wheel is
DistillMOS (``distillmos`` 0.9.1: a convolution + transformer network distilled from an
XLS-R speech-quality model), so that is the one offered here.

It is an optional extra (``pip install --no-deps distillmos==0.9.1 xls-r-sqa==0.1.0``);
enhancing never needs it.
"""

from __future__ import annotations

import contextlib

import torch
from torch import Tensor, nn

from malenhance.errors import TrainingError
from malenhance.training.config import LossNetwork
from malenhance.training.losses import check_pair, lowpass

# DistillMOS takes 7.68 s at 16 kHz; its positional encoding has exactly that many frames.
DISTILLMOS_SAMPLES = 122880
DISTILLMOS_RATE = 16000
INSTALL_HINT = "pip install --no-deps distillmos==0.9.1 xls-r-sqa==0.1.0"


def load_distillmos() -> nn.Module:
    """DistillMOS with its shipped weights, frozen and in eval mode (batch norm fixed)."""
    try:
        import distillmos
    except ImportError as error:
        raise TrainingError(f"--loss-network distillmos needs the distillmos package: "
                            f"{INSTALL_HINT}") from error
    with contextlib.redirect_stdout(None):  # it prints where it loaded its weights from
        network = distillmos.ConvTransformerSQAModel(segmenting_in_forward=False)
    return network.eval().requires_grad_(False)


def compressed_spectrogram(wav: Tensor, hop: int = 160, window: int = 320) -> Tensor:
    """DistillMOS's input: the STFT with magnitudes compressed to the power 0.3, ``(N, 2, F, T)``.

    The network's own front end, with one change: its magnitude ``sqrt(re^2 + im^2)`` has an
    infinite gradient at exact zeros (digital silence, zero padding), which made training
    steps NaN; here the square root sees a floor.
    """
    pad = (window - hop) // 2
    wav = nn.functional.pad(wav, (pad, pad), mode="reflect")
    spec = torch.stft(wav, n_fft=window, hop_length=hop, win_length=window, center=False,
                      window=torch.hann_window(window, device=wav.device), return_complex=True)
    parts = torch.view_as_real(spec)
    magnitude = (parts.square().sum(dim=-1, keepdim=True) + 1e-24).sqrt().clamp_min(1e-12)
    return (magnitude ** 0.3 * parts / magnitude).permute(0, 3, 1, 2)


class DeepFeatureLoss(nn.Module):
    """L1 distance between a frozen pretrained network's features of clean and enhanced audio.

    The same form as :class:`~malenhance.training.mal.MALLoss` with every depth: each layer's
    distance is divided by the clean features' mean magnitude (per example) and the layers
    are averaged. For DistillMOS the layers are the six convolution stages and the seven
    transformer layers (13 in all). Both signals are scaled by the clean one's peak (the
    network's own input normalisation, taken from the clean side so that a level error still
    counts), zero-padded or cut into 7.68 s pieces (the length its positional encoding
    fixes), and encoded in one batch whose clean half is detached.

    Shape:
        ``est``, ``target`` ``(B, L)`` at 16 kHz, optional ``band_limit_hz`` ``(B,)``;
        returns ``(B,)``, zero where ``est`` equals ``target``.
    """

    def __init__(self, network: LossNetwork | str = LossNetwork.DISTILLMOS,
                 sample_rate: int = DISTILLMOS_RATE, eps: float = 1e-8) -> None:
        super().__init__()
        if LossNetwork(network) != LossNetwork.DISTILLMOS:
            raise ValueError(f"no deep-feature loss for {network!r}")
        if sample_rate != DISTILLMOS_RATE:
            raise TrainingError("the DistillMOS feature loss needs a 16 kHz model")
        self.sample_rate = sample_rate
        self.eps = eps
        self.network = load_distillmos()
        self._features: list[Tensor] = []
        cnn_layers = [m for m in self.network.cnn.cnn if isinstance(m, nn.LeakyReLU)]
        transformer_layers = list(
            self.network.transformer_pool_attn.transformer.transformer_encoder.layers)
        for module in cnn_layers + transformer_layers:
            module.register_forward_hook(self._keep)

    def train(self, mode: bool = True) -> DeepFeatureLoss:
        super().train(mode)
        self.network.eval()  # always: its batch norms must keep their trained statistics
        return self

    def _keep(self, _module: nn.Module, _inputs: tuple, output: Tensor) -> None:
        self._features.append(output)

    def _pieces(self, wav: Tensor) -> Tensor:
        """``(B, L) -> (B * n, 7.68 s)``: consecutive zero-padded pieces of each example."""
        count = max(1, -(-wav.shape[-1] // DISTILLMOS_SAMPLES))
        padded = nn.functional.pad(wav, (0, count * DISTILLMOS_SAMPLES - wav.shape[-1]))
        return padded.reshape(wav.shape[0] * count, DISTILLMOS_SAMPLES)

    def features(self, wav: Tensor) -> list[Tensor]:
        """Every layer's output for ``(N, 7.68 s)`` input, in network order."""
        self._features = []
        # The fast inference path of torch's transformer layers takes over only when no
        # gradient is needed; off, so the clean and enhanced halves run the same kernels.
        fastpath = torch.backends.mha.get_fastpath_enabled()
        torch.backends.mha.set_fastpath_enabled(False)
        try:
            cnn = self.network.cnn.cnn(compressed_spectrogram(wav))
            self.network.transformer_pool_attn(torch.flatten(cnn, 1, -2).permute(0, 2, 1))
        finally:
            torch.backends.mha.set_fastpath_enabled(fastpath)
        features, self._features = self._features, []
        return features

    def forward(self, est: Tensor, target: Tensor, band_limit_hz: Tensor | None = None) -> Tensor:
        check_pair(est, target)
        if band_limit_hz is not None:
            est = lowpass(est, band_limit_hz, self.sample_rate)
            target = lowpass(target, band_limit_hz, self.sample_rate)
        batch = est.shape[0]
        target = target.detach()
        peak = target.abs().amax(dim=-1, keepdim=True).clamp_min(1e-4)
        est, target = self._pieces(est / peak), self._pieces(target / peak)
        both = self.features(torch.cat([est, target]).float())
        total = est.new_zeros(batch, dtype=torch.float32)
        for layer in both:
            enhanced = layer[: est.shape[0]].float().reshape(batch, -1)
            clean = layer[est.shape[0]:].detach().float().reshape(batch, -1)
            scale = clean.abs().mean(dim=1) + self.eps
            total = total + (enhanced - clean).abs().mean(dim=1) / scale
        return total / len(both)
