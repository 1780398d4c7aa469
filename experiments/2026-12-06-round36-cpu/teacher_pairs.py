"""Round 36's data: round 22's pairs6 with every real 16 kHz voice made a teacher pair.

    python experiments/2026-12-06-round36-cpu/teacher_pairs.py data/r22/pairs6 data/r36/teach

OUT is SRC hard-linked; each ``clean/real16k`` file that has no ``original/`` twin yet (the
G.722 and klettres voices; the fillets voices are pairs already) moves to ``original/`` and
its place in ``clean/`` takes DeepFilterNet3's output (benchmarks.peers, as round 16's
fillets_targets.py). SRC is never written: a target is unlinked before it is replaced.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import soundfile as sf

from benchmarks.peers import enhance_with_peer


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-rl", str(src), str(out)], check=True)
    targets = sorted(p for p in (out / "clean" / "real16k").rglob("*") if p.is_file())
    done = 0
    for target in targets:
        rel = target.relative_to(out / "clean")
        original = out / "original" / rel
        if original.exists():
            continue  # already a pair (fillets), or made in an earlier call
        audio, rate = sf.read(target, dtype="float32")
        cleaned = enhance_with_peer("deepfilternet3", audio, rate, 2)
        original.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.stem + ".part" + target.suffix)
        sf.write(partial, cleaned, rate)
        target.rename(original)  # the raw recording (a hard link to SRC's file) moves over
        partial.rename(target)
        done += 1
        if done % 50 == 0:
            print(f"{done} pairs made", flush=True)
    print(f"{done} pairs made; {len(targets)} real 16 kHz targets in all")


if __name__ == "__main__":
    main()
