"""Rewrite the targets of a folder of voice-acting pairs (``clean/`` and ``original/``, the
same relative paths): each new target made from (target, original, rate), written with the
original's format, the original hard-linked beside it. Rounds 81 on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

MakeTarget = Callable[[np.ndarray, np.ndarray, int], np.ndarray]


def rewrite_targets(source: Path, out: Path, make: MakeTarget) -> None:
    """OUT built whole (through OUT.part) from SOURCE's pairs; nothing done if OUT exists."""
    if out.exists():
        return
    part = out.with_name(out.name + ".part")
    for original in sorted((source / "original").rglob("*.flac")):
        rel = original.relative_to(source / "original")
        x, rate = sf.read(original, dtype="float64")
        y, rate_y = sf.read(source / "clean" / rel, dtype="float64")
        if rate != rate_y or len(x) != len(y):
            raise SystemExit(f"{rel}: the target is not the original's length and rate")
        info = sf.info(original)
        for side in ("clean", "original"):
            (part / side / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(original, part / "original" / rel)
        sf.write(part / "clean" / rel, make(y, x, rate), rate,
                 subtype=info.subtype, format=info.format)
    part.rename(out)
