"""Average the weights of models fine-tuned from one start ("model soup", Wortsman et al. 2022).

Two runs that left the same model along different losses (MAL trades DNSMOS BAK for SIG
against the conventional loss) can be averaged parameter by parameter; the result is an
ordinary model folder (``config.json`` + ``model.safetensors`` + card).

    python experiments/scripts/soup.py OUT MODEL MODEL [MODEL ...] [--weights W W ...]

With ``--weights`` the average is weighted (normalised to sum 1): two models with weights
``0.5 0.5`` from a start and its fine-tune is the WiSE-FT interpolation (Wortsman et al.
2022, "Robust fine-tuning of zero-shot models") halfway between them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from malenhance.hub import load_model_dir, save_model_dir
from malenhance.model import MalNet


def average_models(models: list[MalNet], weights: list[float] | None = None) -> MalNet:
    """A model whose every parameter and buffer is the (weighted) mean of the models'."""
    if len(models) < 2:
        raise ValueError("a soup needs at least two models")
    if weights is not None:
        if len(weights) != len(models):
            raise ValueError(f"{len(weights)} weights for {len(models)} models")
        if any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError("weights must be >= 0 with a positive sum")
        shares = torch.tensor(weights, dtype=torch.float64) / sum(weights)
    config = models[0].config()
    for model in models[1:]:
        if model.config() != config:
            raise ValueError(f"configs differ: {config} and {model.config()}")
    states = [model.state_dict() for model in models]
    soup = MalNet(**config)
    averaged = {}
    for name, value in states[0].items():
        if value.is_floating_point() and weights is None:  # as rounds 65's soups were built
            averaged[name] = torch.stack([s[name] for s in states]).mean(dim=0)
        elif value.is_floating_point():
            stacked = torch.stack([s[name].double() for s in states])
            mixed = (shares.view(-1, *[1] * value.dim()) * stacked).sum(dim=0)
            averaged[name] = mixed.to(value.dtype)
        else:  # integer buffers (counters) cannot be averaged: they must agree
            if any(not torch.equal(s[name], value) for s in states[1:]):
                raise ValueError(f"buffer {name} differs between the models")
            averaged[name] = value
    soup.load_state_dict(averaged)
    return soup.eval()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write the averaged model to")
    ap.add_argument("models", type=Path, nargs="+", help="model folders (the same config)")
    ap.add_argument("--weights", type=float, nargs="+", help="one per model (default: equal)")
    args = ap.parse_args(argv)
    try:
        soup = average_models([load_model_dir(m) for m in args.models], args.weights)
    except ValueError as err:
        print(f"soup.py: {err}", file=sys.stderr)
        return 2
    if args.weights:
        names = ", ".join(f"`{m}` ({w:g})" for m, w in zip(args.models, args.weights, strict=True))
        kind = "weighted mean (weights in brackets)"
    else:
        names = ", ".join(f"`{m}`" for m in args.models)
        kind = "mean"
    card = (f"# Weight average of {len(args.models)} models\n\nThe {kind}, parameter by "
            f"parameter, of {names} (`experiments/scripts/soup.py`).\n")
    save_model_dir(soup, args.out, card=card)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
