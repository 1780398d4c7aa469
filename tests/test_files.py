from pathlib import Path

import pytest

from malenhance.errors import MalenhanceError
from malenhance.files import plan_jobs


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_single_file_to_file(tmp_path):
    src = _touch(tmp_path / "a.wav")
    (job,) = plan_jobs([str(src)], tmp_path / "clean.wav")
    assert job.destination == tmp_path / "clean.wav"


def test_folder_mirrors_sub_folders(tmp_path):
    _touch(tmp_path / "in" / "x" / "a.wav")
    _touch(tmp_path / "in" / "b.flac")
    _touch(tmp_path / "in" / "notes.txt")
    jobs = plan_jobs([str(tmp_path / "in")], tmp_path / "out")
    assert sorted(j.destination.relative_to(tmp_path / "out") for j in jobs) == [
        Path("b.flac"),
        Path("x/a.wav"),
    ]


def test_glob_and_default_outputs(tmp_path):
    _touch(tmp_path / "a.wav")
    _touch(tmp_path / "b.wav")
    jobs = plan_jobs([str(tmp_path / "*.wav")], None)
    assert [j.destination.name for j in jobs] == ["a_enhanced.wav", "b_enhanced.wav"]


def test_collisions_and_input_overwrite_are_refused(tmp_path):
    a = _touch(tmp_path / "one" / "a.wav")
    b = _touch(tmp_path / "two" / "a.wav")
    with pytest.raises(MalenhanceError, match="both be written"):
        plan_jobs([str(a), str(b)], tmp_path / "out")
    with pytest.raises(MalenhanceError, match="overwrite an input"):
        plan_jobs([str(a), str(b)], tmp_path / "one")


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(MalenhanceError, match="no audio files"):
        plan_jobs([str(tmp_path / "empty")], tmp_path / "out")


def test_a_glob_matching_one_file_writes_into_an_output_folder(tmp_path):
    """Bug fixed: `enhance "takes/*.wav" -o out/` with one match wrote a file named `out`."""
    _touch(tmp_path / "takes" / "a.wav")
    (job,) = plan_jobs([str(tmp_path / "takes" / "*.wav")], tmp_path / "out")
    assert job.destination == tmp_path / "out" / "a.wav"


def test_a_trailing_slash_or_an_existing_folder_means_a_folder(tmp_path):
    """Issue 26: `-o cleaned/` (not existing) with one input wrote a file named `cleaned`."""
    src = _touch(tmp_path / "a.wav")
    (job,) = plan_jobs([str(src)], str(tmp_path / "cleaned") + "/")
    assert job.destination == tmp_path / "cleaned" / "a.wav"
    (tmp_path / "there.wav").mkdir()  # an existing folder, whatever its name
    (job,) = plan_jobs([str(src)], tmp_path / "there.wav")
    assert job.destination == tmp_path / "there.wav" / "a.wav"


def test_one_input_into_a_name_without_an_audio_extension_is_a_folder_and_said(tmp_path):
    """Issue 26: `-o newdir` with one input wrote an extension-less WAV named `newdir`."""
    src = _touch(tmp_path / "a.wav")
    notes: list[str] = []
    (job,) = plan_jobs([str(src)], tmp_path / "newdir", notes=notes)
    assert job.destination == tmp_path / "newdir" / "a.wav"
    assert len(notes) == 1 and "no audio extension" in notes[0] and "folder" in notes[0]
    (job,) = plan_jobs([str(src)], tmp_path / "clean.flac", notes=notes)  # a file, as before
    assert job.destination == tmp_path / "clean.flac" and len(notes) == 1


@pytest.mark.parametrize("inputs", [["a.wav", "b.wav"], ["in"], ["in/*.wav"]])
def test_several_inputs_into_an_audio_file_name_are_refused(tmp_path, inputs):
    """Issue 26: `-o both.wav` with two inputs created a directory named `both.wav`."""
    _touch(tmp_path / "a.wav")
    _touch(tmp_path / "b.wav")
    _touch(tmp_path / "in" / "c.wav")
    with pytest.raises(MalenhanceError, match="names one audio file") as err:
        plan_jobs([str(tmp_path / i) for i in inputs], tmp_path / "both.wav")
    assert "\n" not in str(err.value) and "-o" in str(err.value)
    assert not (tmp_path / "both.wav").exists()
