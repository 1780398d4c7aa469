"""`malenhance models` and `malenhance push`: list and publish models."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from malenhance.cli.app import app, err_console, fail


@app.command()
def models(
    cache_dir: Annotated[
        Path | None, typer.Option(help="HF cache to look in (default: the standard one).")
    ] = None,
) -> None:
    """List bundled models and malenhance models in the Hugging Face cache.

    Each with its sample rate, algorithmic latency, size (parameters and weights file) and
    the scores its model card reports for it (the first row of the card's evaluation table
    that names "this model").
    """
    from rich.console import Console

    from malenhance.hub import list_models

    # The name is what -m takes and the path where the files are: never cut, however narrow
    # the terminal (or the 80 columns of a pipe); the other columns wrap instead.
    table = Table(Column("name", no_wrap=True), "source", "rate", "latency", "size",
                  "quality (model card)", Column("path", overflow="fold"))
    for entry in list_models(cache_dir):
        table.add_row(entry.name, entry.source, *_describe(entry.path), str(entry.path))
    Console().print(table)


def _describe(directory: Path) -> tuple[str, str, str, str]:
    """Rate, latency, size and quality of a model folder, from its files alone (no torch)."""
    import json

    from malenhance.ensemble import ensemble_members
    from malenhance.errors import ModelError
    from malenhance.hub import CARD_NAME, CONFIG_NAME, WEIGHTS_NAME, resolve_model_dir

    try:
        members = ensemble_members(directory)
    except ModelError:
        members = None
    if members:  # rate and latency of its first member; the size says what it runs
        try:
            rate_text, latency, _, _ = _describe(resolve_model_dir(members[0]))
        except ModelError:
            rate_text = latency = "?"
        names = ", ".join(Path(m).name for m in members)
        return rate_text, latency, f"ensemble of {names}", _quality(directory / CARD_NAME)
    try:
        config = json.loads((directory / CONFIG_NAME).read_text("utf-8"))
        # MalNet's defaults where a config leaves them out (exports write every key).
        rate, n_fft = int(config.get("sample_rate", 16000)), int(config.get("n_fft", 320))
        rate_text = f"{rate / 1000:g} kHz"
        latency = f"{1000 * n_fft / rate:g} ms"
    except (OSError, ValueError, TypeError, KeyError):
        rate_text = latency = "?"
    return rate_text, latency, _size(directory / WEIGHTS_NAME), _quality(directory / CARD_NAME)


def _size(weights: Path) -> str:
    """Parameters (from the safetensors header alone: nothing is loaded) and file size."""
    import json
    import struct

    try:
        with open(weights, "rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            header = json.loads(handle.read(min(length, 1 << 24)))
        count = sum(math.prod(entry["shape"]) for key, entry in header.items()
                    if key != "__metadata__")
        return f"{count / 1e6:.2f} M params, {weights.stat().st_size / 2**20:.1f} MB"
    except (OSError, ValueError, TypeError, KeyError, struct.error):
        return "?"


def _quality(card: Path) -> str:
    """The card's scores for "this model": `PESQ-wb 1.73, ESTOI 0.763, ...` (first table)."""
    try:
        lines = card.read_text("utf-8").splitlines()
    except OSError:
        return "no model card"
    header: list[str] = []
    for line in lines:
        cells = [c.strip().strip("*").strip() for c in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|"):
            header = []
        elif not header:
            header = cells
        elif "this model" in cells[0].lower() and len(cells) == len(header):
            scores = [f"{name} {value}" for name, value in zip(header[1:], cells[1:], strict=True)
                      if value and not set(value) <= set("-: ")]
            return ", ".join(scores[:4]) if scores else "no scores in the model card"
    return "no scores in the model card"


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
