"""A check after round 11: does raising the default filter's gain after the fact raise DNSMOS SIG?

    python experiments/2026-12-03-round11-gpu/gain_expansion_check.py

The first 40 clips of the fresh development draw; the bundled model's bounded mask as it is,
its magnitude raised to the power 0.8, scaled by 1.25 (at most 1), and scaled by 1.3 (at
most 1) only where it is above 0.5. Prints the mean PESQ-wb, ESTOI, SI-SDR and DNSMOS of each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from malenhance import load_model
from malenhance.model import bounded_mask
from malenhance.scoring.metrics import dnsmos_scores, intrusive_scores

METRICS = ("pesq_wb", "estoi", "si_sdr", "dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl")


def variants(mask: torch.Tensor) -> dict[str, torch.Tensor]:
    magnitude = mask.abs().clamp_min(1e-8)
    phase = mask / magnitude
    return {
        "mask": mask,
        "power 0.8": phase * magnitude**0.8,
        "x1.25": phase * torch.clamp(magnitude * 1.25, max=1.0),
        "x1.3 above 0.5": phase * torch.where(
            magnitude > 0.5, torch.clamp(magnitude * 1.3, max=1.0), magnitude),
    }


def main() -> None:
    model = load_model("default").eval()
    root = Path("data/devfresh/dev")
    results: dict[str, list[dict[str, float]]] = {}
    with torch.no_grad():
        for path in sorted((root / "noisy").glob("*.wav"))[:40]:
            clean, rate = sf.read(root / "clean" / path.name, dtype="float32")
            noisy, _ = sf.read(path, dtype="float32")
            n = min(len(clean), len(noisy))
            clean, noisy = clean[:n], noisy[:n]
            spec = model.frames(torch.from_numpy(noisy)[None])
            logits, _ = model.mask_logits(model.features(spec), model.initial_state(1))
            mask = torch.complex(*bounded_mask(logits[:, 0], logits[:, 1]))
            for name, filt in variants(mask).items():
                out = model.overlap_add(filt * spec, n)[0].numpy()
                scores = {**dnsmos_scores(out, rate).values,
                          **intrusive_scores(clean, out, rate).values}
                results.setdefault(name, []).append(scores)
    for name, rows in results.items():
        means = (f"{m} {np.nanmean([r[m] for r in rows]):.3f}" for m in METRICS)
        print(f"{name:16s}", " ".join(means))


if __name__ == "__main__":
    main()
