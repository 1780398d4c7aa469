"""Round 78's confirmation set (RULE.md): the recipe's devreal builder with seed 78 and
every prompt of devreal left out, into OUT/devreal (the recipe's cache is reused; no network).

    python experiments/2026-12-07-round78-confirm/build.py data/default data/confirm78
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2]))
from recipes.default.build_data import Builder, Config  # noqa: E402

SEED = 78


class ConfirmBuilder(Builder):
    """devreal's builder, its held-out voices minus the recordings devreal already uses."""

    def __init__(self, out: Path, cfg: Config, cache: Path, used: set[tuple[str, str]]) -> None:
        super().__init__(out, cfg)
        self.cache = cache
        self.used = used

    def _real_dev_sources(self):
        groups = []
        for group, speakers, pause in super()._real_dev_sources():
            kept = [[r for r in recs if (r.speaker, Path(r.path).name) not in self.used]
                    for recs in speakers]
            groups.append((group, [recs for recs in kept if recs], pause))
        return groups


def main() -> None:
    base, out = Path(sys.argv[1]), Path(sys.argv[2])
    clips = json.loads((base / "devreal/manifest.json").read_text())["clips"]
    used = {(c["speaker"], p) for c in clips for p in c["prompts"]}
    builder = ConfirmBuilder(out, replace(Config(seed=SEED), offline=True), base / "cache", used)
    new = builder.build_devreal(out / "devreal")
    # round 54's clean screen reads the held-out recordings through OUT/cache
    if not (out / "cache").exists():
        (out / "cache").symlink_to((base / "cache").resolve())
    overlap = {(c["speaker"], p) for c in new for p in c["prompts"]} & used
    print(json.dumps({"clips": len(new), "left_out": len(used), "overlap": len(overlap),
                      "by_group": {g: sum(c["group"] == g for c in new)
                                   for g in ("g722", "klettres", "fillets")}}))
    if overlap:
        raise SystemExit(f"{len(overlap)} recordings in both sets")


if __name__ == "__main__":
    main()
