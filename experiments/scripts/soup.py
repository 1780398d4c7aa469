"""Average the weights of models fine-tuned from one start ("model soup", Wortsman et al. 2022).

Two runs that left the same model along different losses (MAL trades DNSMOS BAK for SIG
against the conventional loss) can be averaged parameter by parameter; the result is an
ordinary model folder (``config.json`` + ``model.safetensors`` + card).

    python experiments/scripts/soup.py OUT MODEL MODEL [MODEL ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from malenhance.hub import load_model_dir, save_model_dir
from malenhance.model import MalNet


def average_models(models: list[MalNet]) -> MalNet:
    """A model whose every parameter and buffer is the mean of the models' (same config)."""
    if len(models) < 2:
        raise ValueError("a soup needs at least two models")
    config = models[0].config()
    for model in models[1:]:
        if model.config() != config:
            raise ValueError(f"configs differ: {config} and {model.config()}")
    states = [model.state_dict() for model in models]
    soup = MalNet(**config)
    averaged = {}
    for name, value in states[0].items():
        if value.is_floating_point():
            averaged[name] = torch.stack([s[name] for s in states]).mean(dim=0)
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
    args = ap.parse_args(argv)
    try:
        soup = average_models([load_model_dir(m) for m in args.models])
    except ValueError as err:
        print(f"soup.py: {err}", file=sys.stderr)
        return 2
    names = ", ".join(f"`{m}`" for m in args.models)
    card = (f"# Weight average of {len(args.models)} models\n\nThe mean, parameter by "
            f"parameter, of {names} (`experiments/scripts/soup.py`).\n")
    save_model_dir(soup, args.out, card=card)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
