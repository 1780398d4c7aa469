"""An earlier round's decide.py as a module, for a later round's report to build on.

The round folders' names start with a date, so they cannot be imported by name.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

EXPERIMENTS = Path(__file__).parents[1]


def load_decide(folder: str, script: str = "decide") -> ModuleType:
    """``experiments/FOLDER/SCRIPT.py``, loaded under the name ``FOLDER.SCRIPT``."""
    path = EXPERIMENTS / folder / f"{script}.py"
    spec = importlib.util.spec_from_file_location(f"{folder}.{script}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
