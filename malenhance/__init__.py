"""malenhance: speech enhancement trained with Model as Loss (MAL).

Python API::

    import malenhance
    model = malenhance.load_model()            # the bundled default model
    malenhance.enhance_file(model, "noisy.wav", "clean.wav")
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Exports resolve lazily so that `malenhance --help` does not pay for importing torch.
_EXPORTS = {
    "EnhancePipeline": "malenhance.enhance",
    "MalNet": "malenhance.model",
    "Streamer": "malenhance.streaming",
    "enhance_array": "malenhance.enhance",
    "enhance_file": "malenhance.enhance",
    "enhance_tensor": "malenhance.enhance",
    "load_model": "malenhance.hub",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'malenhance' has no attribute {name!r}")
