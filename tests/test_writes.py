"""Writing into the user's project (reliability catalogue C3): identical files untouched, --diff
writes nothing, user lines of .dockerignore kept, and any failure leaves every file as it was."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from conftest import copy_fixture
from dockgen.cli import main

FILES = ("Dockerfile", ".dockerignore", ".copier-answers.yml")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()}


def test_c49_c104_second_run_is_a_no_op(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    before = snapshot(project)
    capsys.readouterr()
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert "Up to date" in capsys.readouterr().out
    assert snapshot(project) == before  # same bytes, not even touched


def test_c50_users_own_dockerfile_needs_force(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    (project / "Dockerfile").write_text("FROM node:22\n")
    before = snapshot(project)
    assert main(["init", str(project), "-y", "--no-build"]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "--diff" in err
    assert snapshot(project) == before


def test_c51_diff_shows_changes_and_writes_nothing(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    (project / "Dockerfile").write_text("FROM node:22\n")
    before = snapshot(project)
    capsys.readouterr()
    assert main(["init", str(project), "-y", "--no-build", "--diff"]) == 0
    out = capsys.readouterr().out
    assert "--- a/Dockerfile" in out and "-FROM node:22" in out and "+++ b/.dockerignore" in out
    assert snapshot(project) == before


def test_c53_dockerignore_lines_the_user_wrote_are_kept(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    (project / ".dockerignore").write_text("fixtures/big-data\n!keep.me\n.git\n")
    assert main(["init", str(project), "-y", "--no-build", "--force"]) == 0
    lines = (project / ".dockerignore").read_text().splitlines()
    kept = lines[lines.index("# kept from your .dockerignore") + 1 :]
    assert kept == ["fixtures/big-data", "!keep.me"]  # in order; .git is in dockgen's block already
    before = snapshot(project)
    assert main(["init", str(project), "-y", "--no-build"]) == 0  # idempotent
    assert snapshot(project) == before
    capsys.readouterr()
    assert main(["check", str(project)]) == 0  # the user's additions are not drift


@pytest.mark.parametrize(
    "failure",
    [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt()],
    ids=["c56-io-error", "c58-ctrl-c"],
)
def test_c56_c58_failure_midway_restores_every_file(
    tmp_path: Path, monkeypatch, failure: BaseException
) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build", "--set", "port=8081"]) == 0
    before = snapshot(project)
    real_replace = Path.replace
    calls = []

    def flaky(self: Path, target):
        calls.append(self)
        if len(calls) == 2:
            raise failure
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    assert main(["init", str(project), "-y", "--no-build", "--force", "--set", "port=9090"]) in (2, 130)
    assert {k: v[0] for k, v in snapshot(project).items()} == {k: v[0] for k, v in before.items()}
    assert not list(project.glob(".*.dockgen-tmp")) and not list(project.glob("*.dockgen-tmp"))


def test_c57_disk_full_leaves_the_originals(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    before = snapshot(project)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    capsys.readouterr()
    assert main(["init", str(project), "-y", "--no-build", "--force", "--set", "port=9999"]) == 2
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert "No space left on device" in capsys.readouterr().err
    assert {k: v[0] for k, v in snapshot(project).items()} == {k: v[0] for k, v in before.items()}
    assert not [p for p in project.iterdir() if p.name.endswith(".dockgen-tmp")]


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None, reason="root bypasses permissions")
def test_c55_read_only_project_folder(tmp_path: Path) -> None:
    import subprocess
    import sys

    project = copy_fixture("node-express-bcrypt", tmp_path)
    project.chmod(0o555)
    try:
        command = [sys.executable, "-m", "dockgen", "init", str(project), "-y", "--no-build"]
        if os.geteuid() == 0:  # drop the capability that lets root write anyway
            command = [str(shutil.which("setpriv")), "--inh-caps=-all", "--bounding-set=-all", *command]
        run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    finally:
        project.chmod(0o755)
    assert run.returncode == 2, run.stderr
    assert "cannot write" in run.stderr and "Permission denied" in run.stderr
    assert not (project / "Dockerfile").exists()


def test_c59_project_path_with_spaces_unicode_and_a_leading_dash(tmp_path: Path, monkeypatch) -> None:
    project = copy_fixture("node-fastify-pnpm", tmp_path).rename(tmp_path / "-my app ü")
    monkeypatch.chdir(tmp_path)
    assert main(["init", "./-my app ü", "-y", "--no-build"]) == 0
    assert (project / "Dockerfile").is_file()
    assert main(["check", "./-my app ü"]) == 0


def test_c60_symlink_loop_inside_the_repository(tmp_path: Path) -> None:
    project = copy_fixture("node-fastify-pnpm", tmp_path)
    (project / "loop").symlink_to(project)
    (project / "src").mkdir()
    (project / "src" / "again").symlink_to(project / "src")
    assert main(["init", str(project), "-y", "--no-build"]) == 0
