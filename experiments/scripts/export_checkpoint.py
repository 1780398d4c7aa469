"""A training checkpoint's model weights as a model folder (an unfinished run, scored as is).

    python experiments/scripts/export_checkpoint.py runs/r87/fresh87-s1/checkpoints/last.pt \
        runs/r87/fresh87-s1-27500
"""

from __future__ import annotations

import sys
from pathlib import Path

from malenhance.hub import save_model_dir
from malenhance.model import MalNet
from malenhance.training import checkpoint


def main(source: Path, out: Path) -> None:
    saved = checkpoint.load(source)
    model = MalNet(**saved["model_config"])
    model.load_state_dict(saved["model"])
    save_model_dir(model, out, card=f"Weights at step {saved['step']} (stage {saved['stage']}) "
                   f"of an unfinished run, exported from {source.name}.")
    print(f"{out}: step {saved['step']}, stage {saved['stage']}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
