"""Start-up check that torch and torchaudio are a matching pair.

torchaudio declares no torch requirement, so pip happily installs a mismatched
pair whose import then fails with an obscure ``undefined symbol``.
"""

from __future__ import annotations

from importlib import metadata


def _major_minor(version: str) -> tuple[int, ...]:
    release = version.split("+")[0]
    return tuple(int(p) for p in release.split(".")[:2] if p.isdigit())


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
    if _major_minor(torch_version) != _major_minor(audio_version):
        raise ImportError(
            f"torch {torch_version} and torchaudio {audio_version} are not a matching pair "
            "(their major.minor versions must be equal). "
            "Reinstall with: pip install 'torch==2.11.*' 'torchaudio==2.11.*'"
        )
    return torch_version, audio_version
