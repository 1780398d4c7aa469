"""`malenhance models` and `malenhance push`: list and publish models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from malenhance.cli.app import app, err_console, fail


@app.command()
def models(
    cache_dir: Annotated[
        Path | None, typer.Option(help="HF cache to look in (default: the standard one).")
    ] = None,
) -> None:
    """List bundled models and malenhance models in the Hugging Face cache."""
    from rich.console import Console

    from malenhance.hub import list_models

    table = Table("name", "source", "path")
    for entry in list_models(cache_dir):
        table.add_row(entry.name, entry.source, str(entry.path))
    Console().print(table)


@app.command()
def push(
    directory: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="Model directory to upload.")
    ],
    repo_id: Annotated[str, typer.Argument(help="Hub repo, org/name.")],
    private: Annotated[bool, typer.Option(help="Create the repo as private.")] = False,
    revision: Annotated[
        str | None, typer.Option(help="Branch to upload to (created if missing).")
    ] = None,
) -> None:
    """Upload a model directory (config.json + model.safetensors + README.md) to the Hub.

    The token comes from `hf auth login` or the HF_TOKEN variable; HF_ENDPOINT selects
    another Hub server.
    """
    from malenhance.errors import MalenhanceError
    from malenhance.hub import parse_repo_spec, push_model

    if parse_repo_spec(repo_id) is None or "@" in repo_id:
        fail(f"{repo_id}: expected a repo id of the form org/name")
    try:
        url = push_model(directory, repo_id, private=private, revision=revision)
    except MalenhanceError as err:
        fail(str(err))
    err_console.print(f"uploaded {directory} to {url}", highlight=False)
