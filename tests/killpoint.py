"""``python -m tests.killpoint WHERE N ARGS...``: run ``malenhance ARGS`` and SIGKILL it
at an exact point, for the fault tests (a kill at a random time rarely lands there).

WHERE is one of:

- ``checkpoint``: the N-th checkpoint write dies after writing half of its bytes;
- ``export``: the N-th model-folder export dies after moving its first file into place;
- ``log``: the N-th training-log record dies after writing half of its line;
- ``write``: the N-th block an enhanced output gets dies after it is written (a hidden
  partial file stays; in a batched run, other files in flight leave theirs too).
"""

from __future__ import annotations

import io
import os
import signal
import sys
from pathlib import Path

import torch

from malenhance import audio, hub
from malenhance.cli import main
from malenhance.training import checkpoint
from malenhance.training.log import JsonlLog


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _countdown(n: int):
    calls = {"n": 0}

    def reached() -> bool:
        calls["n"] += 1
        return calls["n"] == n

    return reached


def install(where: str, n: int) -> None:
    reached = _countdown(n)
    if where == "checkpoint":
        save = torch.save

        def half_save(obj, handle) -> None:  # noqa: ANN001
            if not reached():
                save(obj, handle)
                return
            buffer = io.BytesIO()
            save(obj, buffer)
            handle.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
            handle.flush()
            _die()

        checkpoint.torch.save = half_save  # only save_atomic's torch.save is used here
    elif where == "export":
        replace = os.replace

        def replace_then_die(src, dst) -> None:  # noqa: ANN001
            replace(src, dst)
            if Path(src).parent.name == ".export-tmp" and reached():
                _die()

        hub.os.replace = replace_then_die  # os.replace itself: save_model_dir's moves
    elif where == "log":
        write = JsonlLog.write

        def half_write(self, record) -> None:  # noqa: ANN001
            if not reached():
                write(self, record)
                return
            import json

            line = json.dumps(record) + "\n"
            with open(self.path, "a") as handle:
                handle.write(line[: len(line) // 2])
            _die()

        JsonlLog.write = half_write
    elif where == "write":
        write_block = audio.AtomicAudioWriter.write

        def write_then_die(self, block) -> None:  # noqa: ANN001
            write_block(self, block)
            self._file.flush()
            if reached():
                _die()

        audio.AtomicAudioWriter.write = write_then_die
    else:
        raise SystemExit(f"unknown kill point {where!r}")


if __name__ == "__main__":
    install(sys.argv[1], int(sys.argv[2]))
    sys.argv = ["malenhance", *sys.argv[3:]]
    main()
