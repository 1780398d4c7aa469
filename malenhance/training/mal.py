"""Model as Loss (MAL): the enhancement model's own encoder as the loss network.

Stage 2 of training adds ``mal_weight`` times :class:`MALLoss` to the conventional loss
(:class:`~malenhance.training.losses.Stage1Loss`): the distance between the encoder
features of the clean and of the enhanced audio. Which encoder serves as the loss network
is the variant (:class:`MalVariant`), which depths are compared the layers
(:class:`MalLayers`).
"""

from __future__ import annotations

import copy

import torch
from torch import Tensor, nn

from malenhance.model import MalNet
from malenhance.training.config import MalLayers, MalVariant
from malenhance.training.losses import check_pair, lowpass

MAL_VARIANTS: tuple[str, ...] = tuple(v.value for v in MalVariant)
MAL_LAYERS: tuple[str, ...] = tuple(v.value for v in MalLayers)


class MALLoss(nn.Module):
    """Model as Loss: L1 distance between encoder features of the clean and enhanced audio.

    ``L_mal = mean_l |Enc_l(clean) - Enc_l(enhanced)| / mean |Enc_l(clean)|`` over the
    chosen layers ``l`` (the bottleneck alone, or every encoder depth). Dividing each layer
    by the clean features' mean magnitude (per example) puts the depths on one scale and
    stops the ``dynamic`` encoder from shrinking its features to make the loss vanish.
    The clean branch always runs under ``no_grad``: it is the target.

    Variants (this project's definitions, see ``shared/notes/paper.md``):

    - ``frozen``: the loss network is a frozen deep copy of the encoder as it was when
      this loss was built (the end of stage 1). The whole model keeps training.
    - ``frozen-fe``: the model's own encoder is frozen (``requires_grad=False``) by this
      constructor and serves both as the model's feature extractor and as the loss
      network; only the decoder (and bottleneck output projection) trains. Build this
      loss *before* the optimizer and any DDP wrapper so they see the frozen state.
    - ``dynamic``: the loss network is the live encoder, weights shared and updated as
      training goes on; the enhanced branch sends gradients into the encoder too.

    Args:
        model: the enhancement model (unwrapped from DDP / compile).
        variant: ``"frozen"``, ``"frozen-fe"`` or ``"dynamic"``.
        layers: ``"bottleneck"`` (the paper) or ``"all"`` encoder depths.
        fused: encode clean and enhanced audio in one batched call and detach the clean
            half, instead of a separate ``no_grad`` call. The same loss and gradients up to
            rounding (so identical inputs give ~1e-10, not exactly 0); on a GPU one call
            of ``2B`` costs about as much as one of ``B`` (the GRU's time loop is
            latency-bound), which keeps the MAL step close to a stage-1 step.
        chunk_samples: if set, cut both signals into chunks of this many samples (the last
            one zero-padded) and encode every chunk from a fresh state, all chunks in one
            batch. The GRU's sequential time loop then runs ``L / chunk`` times fewer
            steps, which is what a MAL step costs on a GPU; the price is that features
            near a chunk's start see less context (the same for clean and enhanced).

    Shape:
        ``est``, ``target`` ``(B, L)``, optional ``band_limit_hz`` ``(B,)``; returns
        ``(B,)``, exactly zero where ``est`` equals ``target``.
    """

    def __init__(
        self, model: MalNet, variant: MalVariant | str = MalVariant.FROZEN,
        layers: MalLayers | str = MalLayers.BOTTLENECK,
        eps: float = 1e-8, fused: bool = False, chunk_samples: int | None = None,
    ) -> None:
        super().__init__()
        if variant not in MAL_VARIANTS:
            raise ValueError(f"unknown MAL variant {variant!r}; choose from {MAL_VARIANTS}")
        if layers not in MAL_LAYERS:
            raise ValueError(f"unknown MAL layers {layers!r}; choose from {MAL_LAYERS}")
        self.variant = MalVariant(variant)
        self.layers = MalLayers(layers)
        self.eps = eps
        self.fused = fused
        self.chunk_samples = chunk_samples
        self.sample_rate = model.sample_rate
        if variant == "frozen":
            # A registered submodule, so its weights travel with the loss's state_dict
            # (a resumed stage 2 needs the stage-1 encoder, which it cannot recompute).
            # It stays in training mode: cuDNN runs an RNN backward (needed here for the
            # gradient w.r.t. the enhanced input) only in training mode, and the encoder
            # has no dropout or batch norm whose behaviour the mode would change.
            self.loss_network = copy.deepcopy(model).requires_grad_(False).train()
            for module in self.loss_network.modules():
                if isinstance(module, nn.RNNBase):
                    module.flatten_parameters()  # the copy's weights are no longer one block
        else:
            # Not registered: the live model is owned (and saved) by the trainer.
            self.__dict__["loss_network"] = model
        if variant == "frozen-fe":
            for parameter in model.encoder_parameters():
                parameter.requires_grad_(False)

    def _select(self, features: list[Tensor]) -> list[Tensor]:
        return features[-1:] if self.layers == "bottleneck" else features

    def _chunk(self, wav: Tensor) -> Tensor:
        """``(B, L) -> (B * n, chunk)``: consecutive chunks of each example, zero-padded."""
        size = self.chunk_samples
        if not size or wav.shape[-1] <= size:
            return wav
        count = -(-wav.shape[-1] // size)
        padded = torch.nn.functional.pad(wav, (0, count * size - wav.shape[-1]))
        return padded.reshape(wav.shape[0] * count, size)

    def forward(self, est: Tensor, target: Tensor, band_limit_hz: Tensor | None = None) -> Tensor:
        check_pair(est, target)
        if band_limit_hz is not None:
            # Both sides, so that identical inputs still give exactly zero.
            est = lowpass(est, band_limit_hz, self.sample_rate)
            target = lowpass(target, band_limit_hz, self.sample_rate)
        network = self.loss_network
        batch = est.shape[0]
        est, target = self._chunk(est), self._chunk(target.detach())
        if self.fused:
            both = self._select(network.encode(torch.cat([est, target])))
            est_features = [f[: est.shape[0]] for f in both]
            clean_features = [f[est.shape[0]:].detach() for f in both]
        else:
            with torch.no_grad():
                clean_features = self._select(network.encode(target))
            est_features = self._select(network.encode(est))
        total = est.new_zeros(batch, dtype=torch.float32)
        for clean, enhanced in zip(clean_features, est_features, strict=True):
            # (B * chunks, ...) -> (B, everything): one value per example.
            clean = clean.float().reshape(batch, -1)
            enhanced = enhanced.float().reshape(batch, -1)
            scale = clean.abs().mean(dim=1) + self.eps
            total = total + (enhanced - clean).abs().mean(dim=1) / scale
        return total / len(clean_features)
