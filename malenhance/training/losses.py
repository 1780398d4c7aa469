"""The conventional training losses: multi-resolution STFT, SI-SDR and the stage-1 mix.

Model as Loss, the stage-2 term, is :class:`malenhance.training.mal.MALLoss`.

Every loss follows one contract: ``loss(est, target)`` on ``(B, L)`` waveforms returns one
value per example, shape ``(B,)``, and leaves the reduction to the caller. A wrong rank
raises ``ValueError``. Band-limited examples (e.g. 8 kHz telephone speech resampled to
16 kHz) pass ``band_limit_hz`` so that the empty upper band is neither rewarded nor
punished: the model must not learn that everything above 4 kHz is noise.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn


def check_pair(est: Tensor, target: Tensor) -> None:
    """Raise ``ValueError`` unless ``est`` and ``target`` are ``(B, L)`` of one shape."""
    if est.dim() != 2 or target.dim() != 2:
        raise ValueError(
            f"expected (batch, samples) waveforms, got {tuple(est.shape)} and "
            f"{tuple(target.shape)}"
        )
    if est.shape != target.shape:
        raise ValueError(f"shape mismatch: {tuple(est.shape)} vs {tuple(target.shape)}")


def lowpass(wav: Tensor, cutoff_hz: Tensor, sample_rate: int) -> Tensor:
    """Zero every FFT bin above each example's cutoff (a brick-wall low-pass).

    Shape:
        ``wav`` ``(B, L)``, ``cutoff_hz`` ``(B,)``; returns ``(B, L)``. Examples whose
        cutoff is at or above Nyquist come back unchanged (bit for bit).
    """
    nyquist = sample_rate / 2
    limited = cutoff_hz < nyquist
    if not bool(limited.any()):
        return wav
    spec = torch.fft.rfft(wav.float(), dim=-1)
    freqs = torch.fft.rfftfreq(wav.shape[-1], 1 / sample_rate, device=wav.device)
    keep = freqs[None, :] <= cutoff_hz[:, None].to(freqs.dtype)
    filtered = torch.fft.irfft(spec * keep, n=wav.shape[-1], dim=-1).to(wav.dtype)
    return torch.where(limited[:, None], filtered, wav)


def input_snr_db(noisy: Tensor, clean: Tensor) -> Tensor:
    """``(B, L), (B, L) -> (B,)``: each input's SNR in dB; ``inf`` for a noise-free input."""
    check_pair(noisy, clean)
    speech = clean.double().pow(2).sum(dim=-1)
    noise = (noisy.double() - clean.double()).pow(2).sum(dim=-1)
    return (10.0 * torch.log10(speech / noise)).float()


def si_sdr(est: Tensor, target: Tensor, eps: float = 1e-8) -> Tensor:
    """Scale-invariant signal-to-distortion ratio in dB (higher is better).

    Estimate first, reference second, as :func:`malenhance.scoring.metrics.si_sdr`.

    Shape:
        ``est``, ``target`` ``(B, L)``; returns ``(B,)``.
    """
    check_pair(est, target)
    est = est - est.mean(dim=-1, keepdim=True)
    target = target - target.mean(dim=-1, keepdim=True)
    alpha = (est * target).sum(-1, keepdim=True) / (target.square().sum(-1, keepdim=True) + eps)
    projection = alpha * target
    noise = est - projection
    ratio = (projection.square().sum(-1) + eps) / (noise.square().sum(-1) + eps)
    return 10 * torch.log10(ratio)


class SISDRLoss(nn.Module):
    """Negative SI-SDR in dB, optionally on the band below each example's limit.

    Shape:
        ``est``, ``target`` ``(B, L)``, optional ``band_limit_hz`` ``(B,)``; returns ``(B,)``.
    """

    def __init__(self, sample_rate: int = 16000) -> None:
        super().__init__()
        self.sample_rate = sample_rate

    def forward(self, est: Tensor, target: Tensor, band_limit_hz: Tensor | None = None) -> Tensor:
        check_pair(est, target)
        if band_limit_hz is not None:
            est = lowpass(est, band_limit_hz, self.sample_rate)
            target = lowpass(target, band_limit_hz, self.sample_rate)
        return -si_sdr(est, target)


class MultiResolutionSTFTLoss(nn.Module):
    """Distance between compressed spectra at several resolutions.

    Two terms, each a mean squared error over time-frequency bins, averaged over the
    resolutions: ``magnitude`` compares ``|X|^c`` and ``complex`` compares
    ``|X|^c * X / |X|``, which adds phase at the same compressed scale. A third,
    ``residual``, is the part of the magnitude error where the estimate is *louder* than
    the target: noise left in (or added), counted apart so that it can be weighted up. A
    fourth, ``oversuppression``, is the part where the estimate is *quieter* than the target:
    speech taken away (DPDFNet's over-attenuation term), counted apart for the same reason.

    Args:
        fft_sizes: window lengths in samples, one per resolution.
        hop_divisor: hop = fft size // hop_divisor.
        compress: magnitude exponent ``c`` (0.3 favours quiet bins, as hearing does).
        sample_rate: needed to turn ``band_limit_hz`` into bins.

    Shape:
        ``est``, ``target`` ``(B, L)``, optional ``band_limit_hz`` ``(B,)``; ``terms``
        returns ``{"magnitude": (B,), "complex": (B,), "residual": (B,),
        "oversuppression": (B,)}``.
    """

    def __init__(
        self,
        fft_sizes: Sequence[int] = (256, 512, 1024),
        hop_divisor: int = 4,
        compress: float = 0.3,
        sample_rate: int = 16000,
    ) -> None:
        super().__init__()
        self.fft_sizes = tuple(fft_sizes)
        self.hop_divisor = hop_divisor
        self.compress = compress
        self.sample_rate = sample_rate
        for size in self.fft_sizes:
            self.register_buffer(f"window_{size}", torch.hann_window(size), persistent=False)

    def _compressed(self, wav: Tensor, size: int) -> Tensor:
        spec = torch.stft(
            wav, size, size // self.hop_divisor, window=getattr(self, f"window_{size}"),
            return_complex=True,
        )
        magnitude = spec.abs().clamp_min(1e-8)
        return spec * (magnitude ** (self.compress - 1))

    def terms(
        self, est: Tensor, target: Tensor, band_limit_hz: Tensor | None = None
    ) -> dict[str, Tensor]:
        check_pair(est, target)
        est, target = est.float(), target.float()
        magnitude = est.new_zeros(est.shape[0])
        complex_ = est.new_zeros(est.shape[0])
        residual = est.new_zeros(est.shape[0])
        oversuppression = est.new_zeros(est.shape[0])
        for size in self.fft_sizes:
            est_c, target_c = self._compressed(est, size), self._compressed(target, size)
            weight = torch.ones(est.shape[0], est_c.shape[1], 1, device=est.device)
            if band_limit_hz is not None:
                freqs = torch.fft.rfftfreq(size, 1 / self.sample_rate, device=est.device)
                weight = (freqs[None, :] <= band_limit_hz[:, None]).float()[..., None]
            bins = weight.sum((1, 2)) * est_c.shape[2]
            excess = est_c.abs() - target_c.abs()
            mag_err = excess.square() * weight
            complex_err = (est_c - target_c).abs().square() * weight
            magnitude = magnitude + mag_err.sum((1, 2)) / bins
            complex_ = complex_ + complex_err.sum((1, 2)) / bins
            residual = residual + (excess.clamp_min(0).square() * weight).sum((1, 2)) / bins
            oversuppression = oversuppression + (
                excess.clamp_max(0).square() * weight).sum((1, 2)) / bins
        count = len(self.fft_sizes)
        return {"magnitude": magnitude / count, "complex": complex_ / count,
                "residual": residual / count, "oversuppression": oversuppression / count}

    def forward(self, est: Tensor, target: Tensor, band_limit_hz: Tensor | None = None) -> Tensor:
        terms = self.terms(est, target, band_limit_hz)
        return terms["magnitude"] + terms["complex"]


class Stage1Loss(nn.Module):
    """The conventional loss: weighted STFT magnitude, compressed complex and SI-SDR terms.

    SI-SDR is in dB (tens), the spectral terms are small, so its default weight is small.
    ``residual_weight`` > 0 adds the ``residual`` term of :class:`MultiResolutionSTFTLoss`
    (estimate louder than the target), which trades a little speech for less residual noise;
    ``oversuppression_weight`` > 0 adds its mirror, the ``oversuppression`` term (estimate
    quieter than the target), which trades a little residual noise for less speech damage.

    Shape:
        ``est``, ``target`` ``(B, L)``, optional ``band_limit_hz`` ``(B,)``; ``forward``
        returns the weighted sum ``(B,)``; ``terms`` each unweighted term ``(B,)``.
    """

    def __init__(
        self,
        magnitude_weight: float = 1.0,
        complex_weight: float = 1.0,
        si_sdr_weight: float = 0.01,
        sample_rate: int = 16000,
        residual_weight: float = 0.0,
        oversuppression_weight: float = 0.0,
    ) -> None:
        super().__init__()
        self.weights = {
            "magnitude": magnitude_weight,
            "complex": complex_weight,
            "si_sdr": si_sdr_weight,
            "residual": residual_weight,
            "oversuppression": oversuppression_weight,
        }
        self.stft = MultiResolutionSTFTLoss(sample_rate=sample_rate)
        self.si_sdr = SISDRLoss(sample_rate)

    def terms(
        self, est: Tensor, target: Tensor, band_limit_hz: Tensor | None = None
    ) -> dict[str, Tensor]:
        terms = self.stft.terms(est, target, band_limit_hz)
        for optional in ("residual", "oversuppression"):
            if not self.weights[optional]:
                del terms[optional]
        if self.weights["si_sdr"]:
            terms["si_sdr"] = self.si_sdr(est.float(), target.float(), band_limit_hz)
        return terms

    def combine(self, terms: dict[str, Tensor]) -> Tensor:
        """Weighted sum of the terms this loss knows; other keys are ignored."""
        return sum(self.weights[name] * value for name, value in terms.items()
                   if name in self.weights)

    def forward(self, est: Tensor, target: Tensor, band_limit_hz: Tensor | None = None) -> Tensor:
        return self.combine(self.terms(est, target, band_limit_hz))
