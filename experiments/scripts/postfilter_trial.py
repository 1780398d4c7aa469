"""Trial of a PercepNet-style post-filter on the default model's mask (not adopted).

The post-filter deepens the attenuation of bins the model already attenuates:
``g' = (1 + beta) g / (1 + beta / sin^2(pi g / 2))`` on the mask magnitude ``g``
(Valin et al., PercepNet, 2020; DeepFilterNet's ``--pf`` uses beta 0.02). It writes the
first 100 development clips enhanced at each beta to ``eval/pf/beta<B>/`` for
``malenhance score``; experiments/LOG.md ("The third round") has the result.

    python experiments/scripts/postfilter_trial.py 0,0.02,0.05,0.1 [MODEL]
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


def with_post_filter(beta: float):
    """``MalNet.forward_frames`` with the post-filter applied to the bounded mask."""

    def forward_frames(self, spec, state):
        x, new_state = self.mask_logits(self.features(spec), state)
        mask = torch.complex(x[:, 0].float(), x[:, 1].float())
        magnitude = mask.abs()
        gain = torch.tanh(magnitude)
        if beta:
            sin2 = torch.sin(math.pi / 2 * gain).square().clamp_min(1e-12)
            gain = (1 + beta) * gain / (1 + beta / sin2)
        return spec * (mask * (gain / (magnitude + 1e-8))), new_state

    return forward_frames


def main() -> None:
    betas = [float(b) for b in sys.argv[1].split(",")]
    spec = sys.argv[2] if len(sys.argv) > 2 else "default"
    files = sorted(Path("data/default/dev/noisy").glob("*.wav"))[:100]
    torch.set_num_threads(1)
    for beta in betas:
        MalNet.forward_frames = with_post_filter(beta)
        model = load_model(spec).eval()
        out = Path(f"eval/pf/beta{beta:g}")
        out.mkdir(parents=True, exist_ok=True)
        with torch.inference_mode():
            for path in files:
                audio, rate = sf.read(path, dtype="float32")
                enhanced = enhance_tensor(model, torch.from_numpy(audio), rate).numpy()
                sf.write(out / path.name, enhanced, rate, subtype="FLOAT")
        print(f"beta {beta:g}: {len(files)} files in {out}", flush=True)


if __name__ == "__main__":
    main()
