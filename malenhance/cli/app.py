"""The Typer application and the helpers every command shares."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from typer.core import TyperArgument, TyperOption

app = typer.Typer(
    name="malenhance",
    no_args_is_help=True,
    add_completion=False,
    help="Speech enhancement (denoising) trained with Model as Loss.",
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)



def _flag_type(self: TyperOption, ctx: object) -> str | None:
    """No type beside a flag: `--quiet` takes no value, so `<bool>` would mislead."""
    if self.is_flag and not self.count:
        return None
    return _option_type(self, ctx)


def _usage_name(self: TyperArgument) -> str:
    """`IN...` in usage lines, as Unix tools write it (typer 0.29 writes `{IN...}...`)."""
    name = self.display_name_raw
    if self.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if self.required else f"[{name}]"


# Typer's help, made to read like the rest of the Unix tools (tested in test_cli.py). These
# hooks exist in typer 0.29; older typers (pyproject allows >= 0.15) keep their own help.
_option_type = getattr(TyperOption, "display_type_rich", None)
if _option_type is not None:
    TyperOption.display_type_rich = _flag_type
if hasattr(TyperArgument, "_usage_display_name"):
    TyperArgument._usage_display_name = _usage_name

# Progress and messages go to stderr so that stdout can carry audio or data.
err_console = Console(stderr=True, soft_wrap=True)


def duration_text(seconds: float) -> str:
    """3.0 s, 2.5 min, 1.2 h: seconds for short audio."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min" if seconds < 3600 else f"{seconds / 3600:.1f} h"


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
