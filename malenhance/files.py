"""Which files to enhance and where each output goes."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from malenhance.audio import AUDIO_EXTENSIONS, CONVERT_HINT, find_audio, ignored_files, is_audio
from malenhance.errors import MalenhanceError


@dataclass(frozen=True)
class Job:
    """One input file and its output path."""

    source: Path
    destination: Path
    refused: str | None = None  # why this job must not run (reported as its failure)


def _expand(spec: str) -> list[tuple[Path, Path | None]]:
    """(file, root) pairs for one command-line input; root is set for folder inputs."""
    path = Path(spec)
    if path.is_dir():
        files = find_audio(path)
        if not files:
            raise MalenhanceError(
                f"{spec}: folder holds no audio files ({', '.join(sorted(AUDIO_EXTENSIONS))})"
            )
        return [(p, path) for p in files]
    if path.exists() or not glob.has_magic(spec):
        return [(path, None)]  # missing files are reported per file later
    matches = sorted(Path(m) for m in glob.glob(spec, recursive=True))
    files = [m for m in matches if m.is_file() and is_audio(m)]
    if not files:
        raise MalenhanceError(f"{spec}: pattern matches no audio files")
    return [(p, None) for p in files]


def has_audio_extension(path: str | os.PathLike) -> bool:
    """A name that asks for an audio file: a known extension, or a container soundfile writes."""
    import soundfile as sf

    ext = Path(path).suffix.lower()
    containers = {f".{name.lower()}" for name in sf.available_formats()}
    return ext in AUDIO_EXTENSIONS or ext in containers


def output_is_folder(output: str | os.PathLike, single_file: bool) -> bool:
    """Whether ``-o output`` names a folder (see :func:`plan_jobs`)."""
    text = os.fspath(output)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        return True
    return not single_file or not has_audio_extension(text)


def plan_jobs(
    inputs: list[str],
    output: str | os.PathLike | None,
    suffix: str = "_enhanced",
    notes: list[str] | None = None,
) -> list[Job]:
    """Map inputs (files, folders, globs) to output paths.

    ``output`` is a folder when it ends with a slash or is an existing folder. Otherwise,
    for one input file it is the output file if its name has an audio extension, and a
    folder if not (a note saying so is appended to ``notes``); for several files (several
    inputs, a folder or a glob) it is a folder, and a name with an audio extension is
    refused. In a folder, files from a folder input keep their sub-folders, loose files
    keep their names. Without ``output``, files go next to their input with ``suffix`` and
    folders into ``<folder><suffix>``.

    Raises:
        MalenhanceError: no inputs, several inputs into one audio file name, two inputs
            mapped to one output, or an output equal to an input.
    """
    pairs = [pair for spec in inputs for pair in _expand(spec)]
    if not pairs:
        raise MalenhanceError("no input files given")
    # A glob is "several files" even when it matches one: -o names a folder for it.
    is_glob = glob.has_magic(inputs[0]) and not Path(inputs[0]).exists()
    single_file = len(inputs) == 1 and pairs[0][1] is None and len(pairs) == 1 and not is_glob
    to_folder = output is not None and output_is_folder(output, single_file)
    if output is not None:
        text, output = os.fspath(output), Path(output)
        if to_folder and not output.is_dir() and has_audio_extension(text):
            if not text.endswith(("/", os.sep)):
                several = f"{len(pairs)} files" if len(pairs) > 1 else "a folder or a pattern"
                raise MalenhanceError(
                    f"-o {text}: names one audio file, but the inputs are {several}; "
                    f"give a folder instead (-o {output.with_suffix('')}/)"
                )
        if to_folder and single_file and not text.endswith(("/", os.sep)) \
                and not output.is_dir() and notes is not None:
            notes.append(
                f"-o {text}: no audio extension, so it is a folder: writing "
                f"{output / pairs[0][0].name} (name a file with an extension, e.g. "
                f"{text}{pairs[0][0].suffix or '.wav'})"
            )
    jobs = []
    for source, root in pairs:
        folder = None  # the output folder this job's output must stay inside
        if output is not None and not to_folder:
            destination = output
        elif output is None:
            if root is None:
                destination = source.with_name(f"{source.stem}{suffix}{source.suffix}")
            else:
                base = root.resolve()
                folder = base.with_name(base.name + suffix)
                destination = folder / source.relative_to(root)
        else:
            folder = output
            destination = output / (source.relative_to(root) if root else Path(source.name))
        jobs.append(Job(source, destination, _escapes(destination, folder)))
    _check_collisions(jobs)
    return jobs


def _escapes(destination: Path, folder: Path | None) -> str | None:
    """A reason to refuse ``destination`` if a symbolic link inside ``folder`` leads out of it."""
    if folder is None:
        return None
    inside = folder.resolve()
    target = destination.parent.resolve() / destination.name
    if target == inside or inside not in target.parents:
        return (
            f"{destination}: refused, a symbolic link in the output folder leads outside it "
            f"(to {target})"
        )
    return None


def _check_collisions(jobs: list[Job]) -> None:
    inputs = {j.source.resolve() for j in jobs if j.source.exists()}
    seen: dict[Path, Path] = {}
    for job in jobs:
        key = job.destination.resolve()
        if key in inputs:
            raise MalenhanceError(f"{job.destination}: output would overwrite an input file")
        if key in seen:
            raise MalenhanceError(
                f"{seen[key]} and {job.source} would both be written to {job.destination}"
            )
        seen[key] = job.source


def ignored_report(inputs: list[str]) -> list[str]:
    """One line per folder input that holds files a run leaves out, saying why.

    E.g. ``ignored 3 files in rec: 2 .m4a: not read by libsndfile; convert with ffmpeg
    first (ffmpeg -i a.m4a a.flac); 1 not audio (.txt)``.
    """
    lines = []
    for spec in inputs:
        if not Path(spec).is_dir():
            continue
        found = ignored_files(spec)
        total = sum(map(len, found.values()))
        if not total:
            continue
        parts = []
        if found["unread"]:
            counts = _by_extension(found["unread"])
            example = found["unread"][0]
            parts.append(f"{', '.join(f'{n} {ext}' for ext, n in counts)}: {CONVERT_HINT} "
                         f"(ffmpeg -i {example.name} {example.with_suffix('.flac').name})")
        if found["hidden"]:
            parts.append(f"{len(found['hidden'])} hidden (names starting with a dot)")
        if found["other"]:
            kinds = ", ".join(ext for ext, _ in _by_extension(found["other"]))
            parts.append(f"{len(found['other'])} not audio ({kinds})")
        lines.append(f"ignored {total} file{'' if total == 1 else 's'} in {spec}: "
                     + "; ".join(parts))
    return lines


def _by_extension(paths: list[Path]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for path in paths:
        ext = path.suffix.lower() or "no extension"
        counts[ext] = counts.get(ext, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
