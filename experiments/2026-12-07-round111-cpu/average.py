"""Round 111: the sample-wise mean of systems' outputs, written as another system's folder.

    python experiments/2026-12-07-round111-cpu/average.py EVAL A B [C ...] NAME

For each part (noisy, clean) of EVAL (eval/devreal54, eval/confirm78): EVAL/part/NAME/<file>
is the mean of EVAL/part/A/<file>, EVAL/part/B/<file>, ..., in A's format (round 116: three).
"""

from __future__ import annotations

import sys
from pathlib import Path

import soundfile as sf


def main() -> None:
    evaluation, *members, name = Path(sys.argv[1]), *sys.argv[2:]
    if len(members) < 2:
        raise SystemExit("usage: average.py EVAL A B [C ...] NAME")
    for part in ("noisy", "clean"):
        out = evaluation / part / name
        out.mkdir(parents=True, exist_ok=False)
        files = sorted((evaluation / part / members[0]).glob("*.wav"))
        for path in files:
            total, rate = sf.read(path, dtype="float32")
            for other in members[1:]:
                b, rate_b = sf.read(evaluation / part / other / path.name, dtype="float32")
                if rate != rate_b or total.shape != b.shape:
                    raise SystemExit(f"{path.name}: {total.shape}@{rate} against {other}'s "
                                     f"{b.shape}@{rate_b}")
                total = total + b
            sf.write(out / path.name, total / len(members), rate, subtype=sf.info(path).subtype)
        print(f"{out}: {len(files)} files")


if __name__ == "__main__":
    main()
