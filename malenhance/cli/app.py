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
    """:func:`malenhance.device.resolve_device`, a bad request ending the run (exit 2)."""
    from malenhance.device import resolve_device as resolve
    from malenhance.errors import DeviceError

    try:
        return resolve(device)
    except DeviceError as err:
        fail(str(err))
