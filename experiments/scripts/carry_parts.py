"""Bin folders into parts small enough for one device call each (hard links, no copies).

    python experiments/scripts/carry_parts.py OUT LIMIT_MIB SRC=DEST [SRC=DEST ...]

Every file under SRC goes, as a hard link, to OUT/pN/DEST/<its path under SRC>; parts are
filled first-fit by decreasing size, each at most LIMIT_MIB. On the device, merging the
parts back (`cp -rl .carry/pN/. ./` for each N, as `gpu_round.sh unpack N` does) rebuilds
every DEST under the repository root. The device tool carries 64 MiB per call including the
tracked tree, so LIMIT_MIB is 64 minus the tree's size, minus some slack.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def plan(files: list[tuple[Path, Path, int]], limit: int) -> list[list[tuple[Path, Path]]]:
    """First-fit decreasing: a list of parts, each a list of (source, destination)."""
    parts: list[list[tuple[Path, Path]]] = []
    room: list[int] = []
    for src, dest, size in sorted(files, key=lambda f: -f[2]):
        if size > limit:
            raise SystemExit(f"{src} ({size / 2**20:.1f} MiB) is larger than one part")
        for k, free in enumerate(room):
            if size <= free:
                parts[k].append((src, dest))
                room[k] -= size
                break
        else:
            parts.append([(src, dest)])
            room.append(limit - size)
    return parts


def main() -> None:
    out, limit = Path(sys.argv[1]), int(float(sys.argv[2]) * 2**20)
    files = []
    for spec in sys.argv[3:]:
        src, dest = spec.split("=", 1)
        for path in sorted(Path(src).rglob("*")):
            if path.is_file():
                files.append((path, Path(dest) / path.relative_to(src), path.stat().st_size))
    parts = plan(files, limit)
    for k, part in enumerate(parts, start=1):
        for src, dest in part:
            target = out / f"p{k}" / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(src, target)
        size = sum(src.stat().st_size for src, _ in part)
        print(f"p{k}: {len(part)} files, {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
