"""The training log, ``train_log.jsonl``: one JSON record per line, written by rank 0."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class JsonlLog:
    """Append-only JSON-lines log, written by rank 0 only."""

    def __init__(self, path: Path, enabled: bool) -> None:
        self.path, self.enabled = path, enabled

    def truncate_after(self, step: int) -> None:
        """Drop records of steps later than ``step`` (they are about to be redone).

        A line cut by a crash (no newline at its end) is dropped too; ``step < 0`` starts
        the log over. The log is replaced atomically, so a second crash loses nothing.
        """
        if not (self.enabled and self.path.exists()):
            return
        text = self.path.read_text()
        complete = text[: text.rfind("\n") + 1].splitlines()
        kept = [line for line in complete
                if line.strip() and json.loads(line).get("step", 0) <= step]
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text("".join(line + "\n" for line in kept))
        os.replace(tmp, self.path)

    def write(self, record: dict[str, Any]) -> None:
        if self.enabled:
            with open(self.path, "a") as handle:
                handle.write(json.dumps(record) + "\n")
