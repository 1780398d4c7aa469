"""An earlier round's decide.py as a module, for a later round's report to build on.

The round folders' names start with a date, so they cannot be imported by name.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

EXPERIMENTS = Path(__file__).parents[1]


def load_decide(folder: str) -> ModuleType:
    """``experiments/FOLDER/decide.py``, loaded under the name ``FOLDER``."""
    spec = importlib.util.spec_from_file_location(folder, EXPERIMENTS / folder / "decide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
