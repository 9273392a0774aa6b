"""Writing into the user's project: all or nothing, never a stray temp file, nothing owned overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen._render import output_files, write_files
from dockgen.errors import ExistingFileError


def test_output_files_come_from_the_template() -> None:
    assert set(output_files()) == {"Dockerfile", ".dockerignore", ".copier-answers.yml"}


def test_write_is_refused_when_any_target_exists(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("mine\n")
    with pytest.raises(ExistingFileError, match=r"\.dockerignore already exists"):
        write_files(tmp_path, {"Dockerfile": b"new", ".dockerignore": b"new"}, force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dockerignore"]
    assert (tmp_path / ".dockerignore").read_text() == "mine\n"


def test_failure_midway_leaves_no_file_and_no_temp(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()  # a folder where a file should go
    with pytest.raises(ExistingFileError, match="not a regular file"):
        write_files(tmp_path, {".dockerignore": b"x", "Dockerfile": b"y"}, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]


def test_symlinked_target_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    project = tmp_path / "p"
    project.mkdir()
    (project / "Dockerfile").symlink_to(outside)
    with pytest.raises(ExistingFileError):
        write_files(project, {"Dockerfile": b"y"}, force=True)
    assert outside.read_text() == "keep"


def test_force_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text("old")
    target.chmod(0o600)
    write_files(tmp_path, {"Dockerfile": b"new"}, force=True)
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]
