"""Round 124: the raw weights and their moving average from one checkpoint, as two models.

    python experiments/2026-12-08-round124-cpu/split.py RUN RAW_DIR EMA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from malenhance.hub import save_model_dir
from malenhance.model import MalNet
from malenhance.training.checkpoint import load


def main() -> None:
    run, raw_dir, ema_dir = map(Path, sys.argv[1:4])
    state = load(run / "checkpoints" / "last.pt")
    if state.get("ema") is None:
        raise SystemExit(f"{run}: the checkpoint holds no moving average")
    prefix = "module."
    averaged = {k[len(prefix):]: v for k, v in state["ema"].items() if k.startswith(prefix)}
    for folder, weights, what in ((raw_dir, state["model"], "raw weights"),
                                  (ema_dir, averaged, "moving average of the weights")):
        model = MalNet(**state["model_config"])
        model.load_state_dict(weights)
        save_model_dir(model, folder, f"Round 124: the {what} of `{run.name}` at step "
                                      f"{state['step']}.\n")
        print(f"wrote {folder} ({what}, step {state['step']})")


if __name__ == "__main__":
    main()
