"""Round 24's extra pairs: the fillets minor voices (neither round 16's `v`/`m` nor the dev
voices) joined into 6-12 s files like round 16's, raw and through DeepFilterNet3.

    python experiments/2026-12-05-round24-cpu/minor_targets.py OUT   # OUT/raw, OUT/teacher
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

from recipes.default import realspeech  # noqa: E402

round16 = load_decide("2026-12-05-round16-cpu", "fillets_targets")


def minor_voices(root: Path) -> list[str]:
    """Speaker codes of the package that are neither training's main voices nor dev voices."""
    sound = root / "usr/share/games/fillets-ng/sound"
    codes = {realspeech.fillets_speaker(p) for p in sound.rglob("*.ogg")}
    return sorted(codes - {""} - set(round16.VOICES) - set(realspeech.FILLETS_DEV))


def main(out: Path) -> None:
    root = Path("data/default/cache/extracted") / realspeech.FILLETS
    round16.write_pairs(root, tuple(minor_voices(root)), out)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
