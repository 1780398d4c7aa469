"""The Typer application and the helpers every command shares."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

app = typer.Typer(
    name="malenhance",
    no_args_is_help=True,
    add_completion=False,
    help="Speech enhancement (denoising) trained with Model as Loss.",
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

# Progress and messages go to stderr so that stdout can carry audio or data.
err_console = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear error line and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _version_callback(value: bool) -> None:
    if not value:
        return
    from malenhance import __version__
    from malenhance._compat import check_torch_pair

    torch_version, audio_version = check_torch_pair()
    print(f"malenhance {__version__} (torch {torch_version}, torchaudio {audio_version})")
    raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version_callback,
        is_eager=True,
        help="Print the version and the torch/torchaudio pair, then exit.",
    ),
) -> None:
    """Speech enhancement (denoising) trained with Model as Loss.

    Run `malenhance COMMAND --help` for the options of each command.
    """


def resolve_device(device: str) -> str:
    """``auto`` -> ``cuda`` if available else ``cpu``; validate ``cpu`` / ``cuda[:N]``."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        return device
    if device == "cuda" or (device.startswith("cuda:") and device[5:].isdigit()):
        if not torch.cuda.is_available():
            fail(f"--device {device}: CUDA is not available on this machine (use cpu or auto)")
        index = int(device[5:]) if ":" in device else 0
        if index >= torch.cuda.device_count():
            fail(f"--device {device}: only {torch.cuda.device_count()} CUDA device(s) present")
        return device
    fail(f"--device {device}: expected auto, cpu, cuda or cuda:N")
