"""Each stage's optimizer: AdamW with a linear warm-up and a cosine decay."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from torch import nn

from malenhance.training.config import OptimConfig


def warmup_cosine(total: int, warmup: int, floor: float = 0.05) -> Callable[[int], float]:
    """LR factor: linear warm-up over ``warmup`` steps, cosine decay to ``floor``."""
    warmup = min(warmup, max(total // 10, 1))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min((step - warmup) / max(total - warmup, 1), 1.0)
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))

    return factor


def build_optimizer(
    params: Sequence[nn.Parameter], config: OptimConfig, stage: int, steps: int
) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW at ``stage``'s peak learning rate and its schedule over ``steps`` steps."""
    optimizer = torch.optim.AdamW(params, lr=config.stage_lr(stage),
                                  weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, warmup_cosine(steps, config.warmup_steps))
    return optimizer, scheduler
