"""copier's security model as dockgen uses it (reliability catalogue C4): never `--trust`, never an
unsafe template, and a copier with the known security fixes."""

from __future__ import annotations

import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import copier
import pytest
from packaging.version import Version

from conftest import ROOT, copy_fixture
from dockgen.cli import main


def unsafe_template(where: Path, feature: str) -> Path:
    repo = where / "tpl"
    repo.mkdir()
    shutil.copytree(ROOT / "template", repo / "template", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "copier.yml").write_text((ROOT / "copier.yml").read_text() + feature)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "x"], ["tag", "v1.0.0"]):
        subprocess.run(
            ["git", *args],
            cwd=repo,
            check=True,
            capture_output=True,
            env={
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@t",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@t",
                "PATH": "/usr/bin:/bin",
            },
        )
    return repo


@pytest.mark.parametrize(
    "feature",
    [
        "_tasks:\n  - touch {pwned}\n",
        "_jinja_extensions:\n  - jinja2.ext.do\n",
    ],
    ids=["tasks", "jinja_extensions"],
)
def test_c63_c64_unsafe_templates_are_refused(tmp_path: Path, capsys, feature: str) -> None:
    pwned = tmp_path / "pwned"
    repo = unsafe_template(tmp_path, feature.format(pwned=pwned))
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build", "--template", str(repo)]) == 2
    err = capsys.readouterr().err
    assert "unsafe" in err.lower() and err.count("\n") == 1
    assert not pwned.exists()
    assert not (project / "Dockerfile").exists()


def test_c64_an_update_to_a_release_with_migrations_is_refused(tmp_path: Path, capsys) -> None:
    pwned = tmp_path / "pwned"
    repo = unsafe_template(tmp_path, "")
    with (repo / "copier.yml").open("a") as spec:
        spec.write(f"_migrations:\n  - version: v2.0.0\n    command: touch {pwned}\n")
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["commit", "-q", "-am", "migrate"], ["tag", "v2.0.0"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert (
        main(["init", str(project), "-y", "--no-build", "--template", str(repo), "--vcs-ref", "v1.0.0"]) == 0
    )
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env=env)
    capsys.readouterr()
    assert main(["update", str(project), "--vcs-ref", "v2.0.0"]) == 2
    assert "unsafe" in capsys.readouterr().err.lower()
    assert not pwned.exists()


def test_copier_is_never_trusted(tmp_path: Path, monkeypatch) -> None:
    calls = []
    real_copy = copier.run_copy

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_copy(*args, **kwargs)

    monkeypatch.setattr(copier, "run_copy", spy)
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert calls and all(call.get("unsafe") is False for call in calls)


def test_c72_copier_has_the_security_fixes() -> None:
    # 9.17.2 has the security fixes; 9.19.0 brings `ask: false` (copier.yml's advanced questions)
    assert Version(version("copier")) >= Version("9.19.0")
