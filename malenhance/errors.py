"""Exceptions raised by the library; the CLI turns them into one-line messages."""

from __future__ import annotations


class MalenhanceError(Exception):
    """Base class for every error the library raises on purpose."""


class AudioError(MalenhanceError):
    """An input file cannot be read or an output cannot be written."""


class ModelError(MalenhanceError):
    """A model spec cannot be resolved, downloaded or loaded."""


class DataError(MalenhanceError):
    """A training or scoring data folder is unusable."""
