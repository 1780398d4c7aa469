"""A teacher for distillation: a trained model, or an ensemble of them, whose output on each
noisy training input is a second target beside the clean one (``--teacher``).

Round 111 found that the bundled `default` and `real-noise` averaged beat both on real
recordings, at twice the compute: a student trained towards their mean output can learn what
the pair does at one network's cost.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from malenhance.ensemble import ensemble_members
from malenhance.hub import load_model, resolve_model_dir


class Teacher(nn.Module):
    """Frozen models whose mean output is the distillation target."""

    def __init__(self, models: list[nn.Module]) -> None:
        super().__init__()
        self.models = nn.ModuleList(models)
        self.requires_grad_(False)
        self.eval()

    @classmethod
    def load(cls, spec: str, device: torch.device | str = "cpu") -> Teacher:
        """The model ``spec`` names (an ensemble: each of its members)."""
        members = ensemble_members(resolve_model_dir(spec)) or [spec]
        return cls([load_model(member, device=device) for member in members])

    def train(self, mode: bool = True) -> Teacher:
        return super().train(False)  # a teacher never trains, whatever its student does

    @torch.no_grad()
    def forward(self, noisy: Tensor) -> Tensor:
        outputs = [model(noisy) for model in self.models]
        return torch.stack(outputs).mean(0)
