"""The start-up check that torch and torchaudio can be imported together."""

from importlib import metadata

import pytest

from malenhance._compat import check_torch_pair, pair_problem


@pytest.mark.parametrize(("torch_version", "audio_version"), [
    ("2.11.0", "2.11.0"), ("2.11.0+cu130", "2.11.0"), ("2.11.1", "2.11.0"),
])
def test_matching_pairs_pass(torch_version: str, audio_version: str) -> None:
    assert pair_problem(torch_version, audio_version) is None


@pytest.mark.parametrize(("torch_version", "audio_version", "reason"), [
    ("2.10.0", "2.11.0", "major.minor"),
    # Seen on a fresh install: pip took torchaudio 2.11.1, whose import then failed.
    ("2.11.0+cu130", "2.11.1", "later patch release"),
])
def test_mismatched_pairs_named(torch_version: str, audio_version: str, reason: str) -> None:
    assert reason in pair_problem(torch_version, audio_version)


def test_installed_pair_is_accepted() -> None:
    torch_version, audio_version = check_torch_pair()
    assert torch_version == metadata.version("torch")
    assert audio_version == metadata.version("torchaudio")
