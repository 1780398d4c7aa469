"""Pairing: which enhanced file is scored against which reference and noisy file.

Files of each system (a folder of enhanced outputs, or one file) are paired with the clean
reference and the noisy input by their path relative to the folder, without the extension
(``a/b.wav`` pairs with ``a/b.flac``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from malenhance.audio import AUDIO_EXTENSIONS, find_audio
from malenhance.errors import DataError

NOISY_SYSTEM = "noisy-input"


@dataclass(frozen=True)
class System:
    """One set of files to score: a folder of enhanced outputs, or a single file."""

    name: str
    root: Path
    files: dict[str, Path]  # pairing key -> file


@dataclass
class Pairing:
    """What will be scored against what, and the files that have no counterpart."""

    systems: list[System]
    reference: dict[str, Path] | None
    noisy: dict[str, Path] | None
    keys: list[str]
    unpaired: dict[str, list[str]] = field(default_factory=dict)


def pairing_key(path: Path, root: Path) -> str:
    """Relative POSIX path without the extension: ``root/a/b.wav`` -> ``a/b``."""
    return path.relative_to(root).with_suffix("").as_posix()


def audio_files(root: Path) -> dict[str, Path]:
    """Audio files under ``root`` (recursive) by pairing key; ``root`` may be one file.

    Hidden files are left out (``enhance`` writes partial outputs as ``.name.part``).

    Raises:
        DataError: ``root`` does not exist, holds no audio file, or two files share a key.
    """
    if not root.exists():
        raise DataError(f"{root}: no such file or folder")
    if root.is_file():
        return {root.stem: root}
    files: dict[str, Path] = {}
    for path in find_audio(root):
        key = pairing_key(path, root)
        if key in files:
            raise DataError(
                f"{files[key]} and {path} would both pair as '{key}': keep one of them"
            )
        files[key] = path
    if not files:
        extensions = ", ".join(sorted(AUDIO_EXTENSIONS))
        raise DataError(f"{root}: folder holds no audio files ({extensions})")
    return files


def system_names(roots: Sequence[Path]) -> list[str]:
    """Short unique display names: the folder names, or longer paths where they clash."""
    names = [root.name or str(root) for root in roots]
    if len(set(names)) == len(names) and NOISY_SYSTEM not in names:
        return names
    return [str(root) for root in roots]


def _single_file_pair(system: Path, other: Path | None) -> dict[str, Path] | None:
    """A file given for a file: pair them whatever their names."""
    if other is None:
        return None
    if other.is_dir():
        return audio_files(other)
    audio_files(other)  # checks that it exists
    return {system.stem: other}


def pair_files(
    systems: Sequence[Path], reference: Path | None = None, noisy: Path | None = None
) -> Pairing:
    """Pair every system's files with the reference and noisy files.

    Args:
        systems: folders (or single files) of enhanced audio, one per system.
        reference: folder (or file) of clean references, or None for non-intrusive scoring.
        noisy: folder (or file) of the unprocessed inputs, or None.

    Returns:
        The pairing; ``keys`` are the items to score: those of the reference when given,
        else those of any system.

    Raises:
        DataError: a path is missing or empty, or no system file has a reference.
    """
    if not systems:
        raise DataError("no enhanced folder given")
    single = len(systems) == 1 and systems[0].is_file()
    found = [audio_files(root) for root in systems]
    if single:
        ref_files = _single_file_pair(systems[0], reference)
        noisy_files = _single_file_pair(systems[0], noisy)
    else:
        ref_files = audio_files(reference) if reference is not None else None
        noisy_files = audio_files(noisy) if noisy is not None else None
    listed = [System(name, root, files)
              for name, root, files in zip(system_names(systems), systems, found, strict=True)]
    everything = set().union(*(s.files for s in listed))
    keys = sorted(everything & set(ref_files)) if ref_files is not None else sorted(everything)
    if not keys:
        raise DataError(
            f"no enhanced file has a reference in {reference} (files pair by their path "
            "relative to each folder, without the extension)"
        )
    return Pairing(listed, ref_files, noisy_files, keys, _unpaired(listed, ref_files, noisy_files))


def _unpaired(
    systems: list[System], reference: dict[str, Path] | None, noisy: dict[str, Path] | None
) -> dict[str, list[str]]:
    unpaired: dict[str, list[str]] = {}
    for system in systems:
        if reference is not None:
            extra = sorted(set(system.files) - set(reference))
            if extra:
                unpaired[f"{system.name}: no reference"] = extra
            missing = sorted(set(reference) - set(system.files))
            if missing:
                unpaired[f"{system.name}: reference without output"] = missing
        if noisy is not None:
            no_input = sorted(set(system.files) - set(noisy))
            if no_input:
                unpaired[f"{system.name}: no noisy input"] = no_input
    return unpaired

