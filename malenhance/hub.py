"""Model specs: bundled names, local directories and Hugging Face Hub repos.

Every model, wherever it lives, is the same directory layout: ``config.json`` (the
model's init arguments) and ``model.safetensors`` (weights; never a pickle), plus an
optional ``README.md`` model card. Hub repos are downloaded into the standard Hugging
Face cache, so ``HF_HOME``, ``HF_ENDPOINT`` and ``HF_HUB_OFFLINE`` apply as usual.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from malenhance.ensemble import ENSEMBLE_NAME, ensemble_members
from malenhance.errors import ModelError

if TYPE_CHECKING:
    import torch

    from malenhance.model import MalNet

# torch, the model and huggingface_hub are imported where needed: resolving a bundled or
# local model (malenhance.light) must not pay for them.

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
CARD_NAME = "README.md"
DEFAULT_MODEL = "default"
_REPO_SPEC = re.compile(r"^(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+)(?:@(?P<revision>[\w./-]+))?$")


@dataclass(frozen=True)
class ModelEntry:
    """A model ``malenhance models`` can list."""

    name: str
    source: str  # "bundled" or "cache"
    path: Path


def bundled_models() -> dict[str, Path]:
    """Names and directories of the models shipped inside the package."""
    root = Path(str(resources.files("malenhance") / "weights"))
    if not root.is_dir():
        return {}
    return {d.name: d for d in sorted(root.iterdir())
            if (d / CONFIG_NAME).is_file() or (d / ENSEMBLE_NAME).is_file()}


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def parse_repo_spec(spec: str) -> tuple[str, str | None] | None:
    """``"org/name@rev"`` -> ``("org/name", "rev")``; ``None`` if not repo-shaped."""
    match = _REPO_SPEC.match(spec)
    if not match:
        return None
    parts = match["repo"].split("/") + (match["revision"] or "").split("/")
    if any(part in (".", "..") for part in parts):
        return None  # a cache path is built from these names: no traversal
    return match["repo"], match["revision"]


# What the Hub may send as an ETag or commit. huggingface_hub (2.4) joins both into cache
# paths unchecked: a served ETag of "../../x" writes a blob outside the cache.
_SAFE_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_SAFE_ETAG = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")


def _refuse_unsafe_metadata(repo_id: str, filename: str, revision: str | None, where: str) -> None:
    """Check the names the server sends before huggingface_hub turns them into paths."""
    from huggingface_hub import constants, get_hf_file_metadata, hf_hub_url

    if constants.HF_HUB_OFFLINE:
        return
    try:
        meta = get_hf_file_metadata(hf_hub_url(repo_id, filename, revision=revision))
    except Exception:  # noqa: BLE001  (hf_hub_download below reports these errors clearly)
        return
    for what, value, pattern in (
        ("commit", meta.commit_hash, _SAFE_COMMIT),
        ("ETag", meta.etag, _SAFE_ETAG),
    ):
        if value is not None and not pattern.match(value):
            raise ModelError(
                f"{where}: refused {filename}: the server sent an unsafe {what} {value!r} "
                "(it would name a path outside the model cache)"
            )


def _unreachable(url: str, timeout: float = 5.0) -> str | None:
    """Why the Hub cannot be reached, from one quick request without retries; None if it can.

    huggingface_hub retries a refused connection five times with back-off (~25 s of
    "Retrying in 8s" lines) before it falls back to the cache or gives up. Any HTTP answer,
    even an error status, means the server is reachable.
    """
    from huggingface_hub.utils import get_session

    try:
        get_session().head(url, timeout=timeout, follow_redirects=False)
    except Exception as err:  # noqa: BLE001  (connection refused, DNS, timeout, proxy, TLS)
        return _first_line(err)
    return None


def _cached_snapshot(
    repo_id: str, revision: str | None, cache_dir: str | Path | None
) -> Path | None:
    """The cached snapshot holding both model files for ``revision``, if there is one."""
    from huggingface_hub import try_to_load_from_cache

    found = [
        try_to_load_from_cache(repo_id, name, cache_dir=cache_dir, revision=revision)
        for name in (CONFIG_NAME, WEIGHTS_NAME)
    ]
    if all(isinstance(path, str) for path in found):
        return Path(found[0]).parent
    return None


def download_model(
    repo_id: str, revision: str | None = None, cache_dir: str | Path | None = None
) -> Path:
    """Fetch a model repo's files into the HF cache and return the snapshot directory.

    When the Hub cannot be reached, a cached copy is used at once, and without one the
    error comes at once too (no retries).
    """
    from huggingface_hub import constants, hf_hub_download, hf_hub_url
    from huggingface_hub import errors as hf_errors

    where = f"{repo_id}" + (f"@{revision}" if revision else "")
    if not constants.HF_HUB_OFFLINE:
        why = _unreachable(hf_hub_url(repo_id, CONFIG_NAME, revision=revision))
        if why is not None:
            cached = _cached_snapshot(repo_id, revision, cache_dir)
            if cached is not None:
                return cached
            raise ModelError(
                f"{where}: the Hub ({constants.ENDPOINT}) cannot be reached ({why}) and the "
                "model is not in the local cache; download it once while online, or pass a "
                "local model directory (HF_HUB_OFFLINE=1 uses cached models without trying "
                "the network)"
            )
    paths = []
    for filename in (CONFIG_NAME, WEIGHTS_NAME):  # only these two names, never code
        _refuse_unsafe_metadata(repo_id, filename, revision, where)
        try:
            paths.append(
                hf_hub_download(
                    repo_id,
                    filename,
                    revision=revision,
                    cache_dir=cache_dir,
                    library_name="malenhance",
                )
            )
        except hf_errors.RepositoryNotFoundError:
            raise ModelError(f"{where}: no such model repo on the Hub (or it is private)") from None
        except hf_errors.RevisionNotFoundError:
            raise ModelError(f"{where}: the repo has no revision {revision!r}") from None
        except (hf_errors.LocalEntryNotFoundError, hf_errors.OfflineModeIsEnabled):
            offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}
            why = "offline mode (HF_HUB_OFFLINE) is on" if offline else "the Hub is unreachable"
            raise ModelError(
                f"{where}: {filename} is not in the local cache and {why}; "
                "download it once while online, or pass a local model directory"
            ) from None
        except hf_errors.EntryNotFoundError:  # its subclass LocalEntry... is caught above
            raise ModelError(
                f"{where}: the repo has no {filename} (not a malenhance model)"
            ) from None
        except hf_errors.HfHubHTTPError as err:
            raise ModelError(f"{where}: download failed ({_first_line(err)})") from None
        except ValueError as err:  # e.g. huggingface_hub's "Invalid pointer path"
            raise ModelError(f"{where}: refused {filename} ({_first_line(err)})") from None
    return Path(paths[0]).parent


def resolve_model_dir(spec: str = DEFAULT_MODEL, cache_dir: str | Path | None = None) -> Path:
    """Turn a model spec into a local directory holding config.json and model.safetensors.

    Args:
        spec: a bundled name (``"default"``), a local directory, or ``org/name[@revision]``
            on the Hugging Face Hub. An existing directory wins over a repo-shaped name.
        cache_dir: override of the HF cache location for Hub downloads.
    """
    bundled = bundled_models()
    if spec in bundled:
        return bundled[spec]
    path = Path(spec).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise ModelError(f"{spec}: is a file; a model is a directory with {CONFIG_NAME}")
    repo = parse_repo_spec(spec)
    if repo is None:
        names = ", ".join(bundled) or "none"
        raise ModelError(
            f"{spec}: not a bundled model ({names}), an existing directory, or org/name[@revision]"
        )
    return download_model(*repo, cache_dir=cache_dir)


def _read_config(directory: Path) -> dict:
    config_path = directory / CONFIG_NAME
    if not config_path.is_file():
        raise ModelError(f"{directory}: missing {CONFIG_NAME}")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ModelError(f"{config_path}: not valid JSON ({err})") from None
    if not isinstance(config, dict):
        raise ModelError(f"{config_path}: expected a JSON object")
    from malenhance.model import MalNet

    allowed = set(inspect.signature(MalNet.__init__).parameters) - {"self"}
    unknown = sorted(set(config) - allowed)
    if unknown:
        raise ModelError(f"{config_path}: unknown keys {', '.join(unknown)}")
    return config


def load_model_dir(directory: str | Path, device: str | torch.device = "cpu") -> MalNet:
    """Build a :class:`MalNet` from a model directory with strict key checking."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from malenhance.model import MalNet

    directory = Path(directory)
    members = ensemble_members(directory)
    if members is not None:
        raise ModelError(
            f"{directory}: an ensemble of {', '.join(members)}, not one network: run it with "
            "malenhance enhance (or malenhance.light.load_for_inference), or load its members"
        )
    config = _read_config(directory)
    try:
        model = MalNet(**config)
    except (TypeError, ValueError) as err:
        raise ModelError(f"{directory / CONFIG_NAME}: invalid model config ({err})") from None
    weights = directory / WEIGHTS_NAME
    if not weights.is_file():
        raise ModelError(f"{directory}: missing {WEIGHTS_NAME}")
    try:
        state = load_file(str(weights))
    except (SafetensorError, OSError, ValueError) as err:
        raise ModelError(f"{weights}: corrupt or unreadable weights ({err})") from None
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as err:
        first = str(err).strip().splitlines()[0:3]
        raise ModelError(
            f"{weights}: weights do not match {CONFIG_NAME} ({' '.join(first)})"
        ) from None
    return model.to(device).eval()


def load_model(
    spec: str = DEFAULT_MODEL,
    device: str | torch.device = "cpu",
    cache_dir: str | Path | None = None,
) -> MalNet:
    """Load a model by spec (see :func:`resolve_model_dir`) in eval mode on ``device``."""
    return load_model_dir(resolve_model_dir(spec, cache_dir), device)


def save_model_dir(model: MalNet, directory: str | Path, card: str | None = None) -> Path:
    """Write ``config.json`` + ``model.safetensors`` + ``README.md`` to ``directory``.

    The one writer of model folders (training exports, scripts): the files are written
    into ``directory/.export-tmp`` and moved into place one by one with ``config.json``
    last, so a folder with a ``config.json`` is complete even after a crash. ``card`` is
    appended to the model card that huggingface_hub generates.
    """
    model = getattr(model, "module", model)  # unwrap DDP
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    staging = directory / ".export-tmp"
    staging.mkdir(exist_ok=True)
    for stale in staging.iterdir():
        stale.unlink()
    model.save_pretrained(staging, config=model.config())
    if card is not None:
        readme = staging / CARD_NAME
        text = readme.read_text(encoding="utf-8") if readme.exists() else ""
        readme.write_text(text.rstrip() + "\n\n" + card, encoding="utf-8")
    for item in sorted(staging.iterdir(), key=lambda p: p.name == CONFIG_NAME):
        os.replace(item, directory / item.name)
    staging.rmdir()
    return directory


def cached_models(cache_dir: str | Path | None = None) -> list[ModelEntry]:
    """Hub model repos in the local cache that look like malenhance models."""
    from huggingface_hub import errors as hf_errors
    from huggingface_hub import scan_cache_dir

    try:
        info = scan_cache_dir(cache_dir)
    except (hf_errors.CacheNotFound, OSError):
        return []
    entries = []
    for repo in sorted(info.repos, key=lambda r: r.repo_id):
        if repo.repo_type != "model":
            continue
        for revision in repo.revisions:
            names = {f.file_name for f in revision.files}
            if {CONFIG_NAME, WEIGHTS_NAME} <= names:
                label = f"{repo.repo_id}@{revision.commit_hash[:12]}"
                entries.append(ModelEntry(label, "cache", Path(revision.snapshot_path)))
    return entries


def list_models(cache_dir: str | Path | None = None) -> list[ModelEntry]:
    """Bundled models first, then cached Hub models."""
    bundled = [ModelEntry(n, "bundled", p) for n, p in bundled_models().items()]
    return bundled + cached_models(cache_dir)


def push_model(
    directory: str | Path,
    repo_id: str,
    *,
    private: bool = False,
    revision: str | None = None,
    token: str | None = None,
    message: str = "Upload malenhance model",
) -> str:
    """Upload a model directory to the Hub after checking that it loads. Returns the URL."""
    from huggingface_hub import HfApi
    from huggingface_hub import errors as hf_errors

    directory = Path(directory)
    load_model_dir(directory)  # refuse to publish something that does not load
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, private=private, exist_ok=True)
        if revision:
            api.create_branch(repo_id, branch=revision, exist_ok=True)
        commit = api.upload_folder(
            folder_path=str(directory),
            repo_id=repo_id,
            revision=revision,
            commit_message=message,
            allow_patterns=[CONFIG_NAME, WEIGHTS_NAME, CARD_NAME],
        )
    except hf_errors.HfHubHTTPError as err:
        raise ModelError(f"{repo_id}: upload failed ({_first_line(err)})") from None
    return str(getattr(commit, "commit_url", commit))
