"""The one place a ``--device`` request (``auto``, ``cpu``, ``cuda``, ``cuda:N``) is resolved."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from malenhance.errors import DeviceError

DEVICE_HELP = "auto, cpu, cuda or cuda:N."


def cuda_possible() -> bool:
    """False when this machine surely has no usable CUDA device, found without torch.

    ``auto`` then means the CPU at once; otherwise torch is asked (and imported). On Linux an
    NVIDIA driver shows in /proc/driver/nvidia or /dev/nvidia*; macOS builds of torch have no
    CUDA; ``CUDA_VISIBLE_DEVICES`` set to nothing (or -1) hides every device.
    """
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None and visible.strip() in ("", "-1"):
        return False
    if sys.platform == "darwin":
        return False
    if sys.platform.startswith("linux"):
        return (Path("/proc/driver/nvidia/version").exists() or Path("/dev/nvidiactl").exists()
                or Path("/dev/nvidia0").exists())
    return True  # elsewhere (Windows): ask torch


def resolve_device(request: str) -> str:
    """``auto`` -> ``cuda`` if available else ``cpu``; check ``cpu`` / ``cuda`` / ``cuda:N``.

    ``cuda`` stays ``cuda`` (no index): under ``torchrun`` each process then takes the GPU
    of its local rank (:func:`malenhance.training.distributed.setup`).

    Raises:
        DeviceError: a malformed request, or a CUDA device this machine does not have.
    """
    if request == "cpu" or (request == "auto" and not cuda_possible()):
        return "cpu"
    import torch

    if request == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if request == "cuda" or (request.startswith("cuda:") and request[5:].isdigit()):
        if not torch.cuda.is_available():
            raise DeviceError(f"--device {request}: CUDA is not available on this machine "
                              "(use cpu or auto)")
        index = int(request[5:]) if ":" in request else 0
        if index >= torch.cuda.device_count():
            raise DeviceError(f"--device {request}: only {torch.cuda.device_count()} CUDA "
                              "device(s) present")
        return request
    raise DeviceError(f"--device {request}: expected auto, cpu, cuda or cuda:N")
