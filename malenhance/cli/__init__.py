"""The ``malenhance`` command line: a thin layer over the library."""

from __future__ import annotations

from malenhance.cli import enhance, export, models, score, train  # noqa: F401  (registers)
from malenhance.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
