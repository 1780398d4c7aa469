"""The one place a ``--device`` request (``auto``, ``cpu``, ``cuda``, ``cuda:N``) is resolved."""

from __future__ import annotations

from malenhance.errors import DeviceError

DEVICE_HELP = "auto, cpu, cuda or cuda:N."


def resolve_device(request: str) -> str:
    """``auto`` -> ``cuda`` if available else ``cpu``; check ``cpu`` / ``cuda`` / ``cuda:N``.

    ``cuda`` stays ``cuda`` (no index): under ``torchrun`` each process then takes the GPU
    of its local rank (:func:`malenhance.training.distributed.setup`).

    Raises:
        DeviceError: a malformed request, or a CUDA device this machine does not have.
    """
    import torch

    if request == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if request == "cpu":
        return request
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
