"""Start-up check that torch and torchaudio are a matching pair.

torchaudio declares no torch requirement, so pip happily installs a mismatched
pair whose import then fails with an obscure ``undefined symbol``.
"""

from __future__ import annotations

from importlib import metadata


def _release(version: str) -> tuple[int, ...]:
    release = version.split("+")[0]
    return tuple(int(p) for p in release.split(".")[:3] if p.isdigit())


def pair_problem(torch_version: str, audio_version: str) -> str | None:
    """Why the two versions can't work together, or ``None`` when they can.

    The major.minor versions must be equal, and torchaudio must not be a later patch
    release than torch: torchaudio 2.11.1 next to torch 2.11.0 (there is no torch 2.11.1)
    fails to import with ``undefined symbol: torch_exception_get_what_without_backtrace``.
    """
    torch_release, audio_release = _release(torch_version), _release(audio_version)
    if torch_release[:2] != audio_release[:2]:
        return "their major.minor versions must be equal"
    if audio_release[2:] > torch_release[2:]:
        return "torchaudio is a later patch release than torch, built against a newer torch"
    return None


def check_torch_pair() -> tuple[str, str]:
    """Return the installed (torch, torchaudio) versions or raise ``ImportError``."""
    try:
        torch_version = metadata.version("torch")
        audio_version = metadata.version("torchaudio")
    except metadata.PackageNotFoundError as err:
        raise ImportError(
            f"malenhance needs torch and torchaudio installed as a pair: {err.name} is missing. "
            "Install with: pip install 'torch==2.11.*' 'torchaudio==2.11.*'"
        ) from None
    problem = pair_problem(torch_version, audio_version)
    if problem:
        raise ImportError(
            f"torch {torch_version} and torchaudio {audio_version} are not a matching pair "
            f"({problem}). Reinstall with: pip install 'torch==2.11.0' 'torchaudio==2.11.0'"
        )
    return torch_version, audio_version
