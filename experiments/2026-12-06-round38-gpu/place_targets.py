"""Round 38's data on the device: a pairs folder with some targets replaced (RULE.md).

    python experiments/2026-12-06-round38-gpu/place_targets.py data/r23/pairs6 \
        data/r38/teacher-targets data/r38/teach

OUT is SRC hard-linked; for each file TARGETS/REL (REL = real16k/SPEAKER/FILE), OUT/clean/REL
moves to OUT/original/REL (the raw recording goes into the mixture) and TARGETS/REL takes its
place as the target, as round 36's teacher_pairs.py left them on the CPU machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main() -> None:
    src, targets, out = (Path(a) for a in sys.argv[1:4])
    if out.exists():
        raise SystemExit(f"{out} exists")
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-rl", str(src), str(out)], check=True)
    files = sorted(p for p in targets.rglob("*") if p.is_file())
    for target in files:
        rel = target.relative_to(targets)
        original = out / "original" / rel
        original.parent.mkdir(parents=True, exist_ok=True)
        os.rename(out / "clean" / rel, original)
        os.link(target, out / "clean" / rel)
    print(f"{out}: {len(files)} targets placed")


if __name__ == "__main__":
    main()
