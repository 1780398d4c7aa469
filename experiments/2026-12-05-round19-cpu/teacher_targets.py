"""Round 19's voice-acting targets from another teacher (RULE.md).

    python experiments/2026-12-05-round19-cpu/teacher_targets.py PEER OUT

Runs benchmarks.peers' PEER on every recording round 16 joined
(data/r16fillets/raw/clean/real16k/cs_fillets_{v,m}/*.flac, made by
experiments/2026-12-05-round16-cpu/fillets_targets.py) and writes its output under the same
relative name in OUT/clean/real16k/, the recordings themselves in OUT/original/real16k/
(hard links): a `DIR/original` pairs layout for `malenhance train`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from benchmarks.peers import enhance_with_peer

RAW = Path("data/r16fillets/raw/clean/real16k")
RATE = 16000


def main(peer: str, out: Path) -> None:
    files = sorted(RAW.rglob("*.flac"))
    for path in files:
        rel = path.relative_to(RAW)
        audio, rate = sf.read(path, dtype="float32")
        assert rate == RATE, path
        target = out / "clean/real16k" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(target), np.clip(enhance_with_peer(peer, audio, RATE, 2), -1, 1), RATE)
        original = out / "original/real16k" / rel
        original.parent.mkdir(parents=True, exist_ok=True)
        if not original.exists():
            os.link(path, original)
    print(peer, len(files), "files")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
