"""Round 111: the sample-wise mean of two systems' outputs, written as a third system's folder.

    python experiments/2026-12-07-round111-cpu/average.py EVAL A B NAME

For each part (noisy, clean) of EVAL (eval/devreal54, eval/confirm78): EVAL/part/NAME/<file>
is the mean of EVAL/part/A/<file> and EVAL/part/B/<file>, in A's format.
"""

from __future__ import annotations

import sys
from pathlib import Path

import soundfile as sf


def main() -> None:
    evaluation, first, second, name = Path(sys.argv[1]), *sys.argv[2:5]
    for part in ("noisy", "clean"):
        out = evaluation / part / name
        out.mkdir(parents=True, exist_ok=False)
        files = sorted((evaluation / part / first).glob("*.wav"))
        for path in files:
            a, rate = sf.read(path, dtype="float32")
            b, rate_b = sf.read(evaluation / part / second / path.name, dtype="float32")
            if rate != rate_b or a.shape != b.shape:
                raise SystemExit(f"{path.name}: {a.shape}@{rate} against {b.shape}@{rate_b}")
            sf.write(out / path.name, (a + b) / 2, rate, subtype=sf.info(path).subtype)
        print(f"{out}: {len(files)} files")


if __name__ == "__main__":
    main()
