"""`python foreign_encoder.py MODEL -m malenhance train ...`: malenhance's CLI with MAL
`frozen`'s loss network loaded from MODEL (same architecture) instead of a copy of the
model's own encoder. Experiment-only (round 53); not a product option.
"""

from __future__ import annotations

import runpy
import sys

from torch import nn

from malenhance.hub import load_model
from malenhance.training import mal

LOSS_MODEL = sys.argv[1]
foreign = load_model(LOSS_MODEL)
original_init = mal.MALLoss.__init__


def init_with_foreign_encoder(self: mal.MALLoss, model, variant="frozen", *args, **kwargs):
    original_init(self, model, variant, *args, **kwargs)
    if self.variant != mal.MalVariant.FROZEN:
        raise SystemExit("round 53 swaps the loss network of MAL `frozen` only")
    self.loss_network.load_state_dict(foreign.state_dict())
    for module in self.loss_network.modules():
        if isinstance(module, nn.RNNBase):
            module.flatten_parameters()
    print(f"MAL loss network loaded from {LOSS_MODEL}", file=sys.stderr)


mal.MALLoss.__init__ = init_with_foreign_encoder
if sys.argv[2] != "-m":
    raise SystemExit("usage: foreign_encoder.py MODEL -m malenhance ARGS...")
sys.argv = [sys.argv[3], *sys.argv[4:]]
runpy.run_module("malenhance", run_name="__main__", alter_sys=True)
