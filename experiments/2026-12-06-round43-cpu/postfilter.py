"""Round 43's outputs (RULE.md): the default with a PercepNet-style post-filter on its gain.

    python experiments/2026-12-06-round43-cpu/postfilter.py eval/devreal18 data/default/devreal
    RUNS=runs/r43 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh pf0 pf02 pf05
    python experiments/2026-12-06-round43-cpu/probe.py eval/devreal18 data/default/devreal

Writes EVAL/{noisy,clean}/pf0, pf02, pf05 (score.sh then skips enhancing them).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import soundfile as sf
import torch

from malenhance.enhance import enhance_tensor
from malenhance.hub import load_model
from malenhance.model import MalNet

BETAS = {"pf0": 0.0, "pf02": 0.02, "pf05": 0.05}
original_forward_frames = MalNet.forward_frames


def post_filtered(beta: float):
    """``MalNet.forward_frames`` with the post-filter on each bin's gain |out| / |in|."""

    def forward_frames(self, spec, state, rnn=None):
        out, new_state = original_forward_frames(self, spec, state, rnn)
        if not beta:
            return out, new_state
        gain = (out.abs() / (spec.abs() + 1e-8)).clamp(0.0, 1.0)
        sin2 = torch.sin(math.pi / 2 * gain).square().clamp_min(1e-12)
        filtered = (1 + beta) * gain / (1 + beta / sin2)
        return out * (filtered / (gain + 1e-8)).clamp(max=1.0), new_state

    return forward_frames


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    torch.set_num_threads(1)
    for name, beta in BETAS.items():
        MalNet.forward_frames = post_filtered(beta)
        model = load_model("default").eval()
        for part in ("noisy", "clean"):
            out = folder / part / name
            if out.exists():
                continue
            tmp = out.with_name(name + ".partial")
            tmp.mkdir(parents=True, exist_ok=True)
            with torch.inference_mode():
                for path in sorted((dev / part).glob("*.wav")):
                    audio, rate = sf.read(path, dtype="float32")
                    enhanced = enhance_tensor(model, torch.from_numpy(audio), rate).numpy()
                    sf.write(tmp / path.name, enhanced, rate, subtype="FLOAT")
            tmp.rename(out)
            print(f"{name} {part}: written", flush=True)


if __name__ == "__main__":
    main()
