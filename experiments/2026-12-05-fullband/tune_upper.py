"""Tune the upper band's noise tracker on the first half of devfull's clips (bench order).

    PYTHONPATH=. python experiments/2026-12-05-fullband/tune_upper.py NAME=VALUE ...

(``DEVFULL=path`` for another location of ``data/default/devfull``.)

Each argument is a setting of malenhance.upper_band (e.g. OVERSUBTRACT=2.0); prints the
mean band scores of malenhance (full band) over the clips, as bench_fullband.py scores them.
The settings tried here (SUB_BAND_EDGES_HZ, RISE_FAST_DB_S, LINK) left the module after
this round: run it on commit 6e72f35 (``git worktree add /tmp/ub 6e72f35``) to repeat them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import malenhance.upper_band as upper_band  # noqa: E402
from benchmarks.bench_fullband import band_scores, clip_names  # noqa: E402
from malenhance.enhance import enhance_signal  # noqa: E402
from malenhance.light import load_engine  # noqa: E402

DEV = Path(os.environ.get("DEVFULL", "data/default/devfull"))
HALF = 20


def main(argv: list[str]) -> None:
    for arg in argv:
        name, value = arg.split("=")
        old = getattr(upper_band, name)
        setattr(upper_band, name, type(old)(eval(value)) if not isinstance(old, tuple)
                else tuple(float(v) for v in value.split(",") if v))
    engine = load_engine("default", threads=1)
    rows, passes = [], []
    for name in clip_names(DEV, HALF):
        clean, rate = sf.read(DEV / "clean" / name, dtype="float32")
        noisy, _ = sf.read(DEV / "noisy" / name, dtype="float32")
        rows.append(band_scores(clean, enhance_signal(engine, noisy, rate), rate))
        passes.append(band_scores(clean, enhance_signal(engine, clean, rate), rate)["upper_level"])
    mean = {k: round(float(np.mean([r[k] for r in rows])), 2) for k in rows[0]}
    mean["clean_pass"] = round(float(np.mean(passes)), 2)
    print(json.dumps({"settings": argv, **mean}))


if __name__ == "__main__":
    main(sys.argv[1:])
