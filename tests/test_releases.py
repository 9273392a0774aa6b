"""Releases and the upgrade path a user follows (issue 13): the template's identity, updates that
reach the newest release from the recorded source or a mirror, a drift check that is fast and
honest about what it could not look up, private copier caches, and `init` on a changed project."""

from __future__ import annotations

import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

from conftest import ROOT, copy_fixture
from dockgen import _release
from dockgen._bundle import template_digest
from dockgen._template import (
    DISTRIBUTION,
    REPOSITORY_URL,
    TEMPLATE_URL,
    package_version,
    template_identity,
)
from dockgen.cli import main
from test_update_and_check import V1_PROBE, V2_PROBE, commit_all, git, make_template_repo

NEWER = "v99.0.0"


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """A mirror of the template: this dockgen's own version, and a newer release."""
    return make_template_repo(tmp_path, template_identity(), NEWER)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A committed project rendered by the bundled template (it records the canonical URL)."""
    project = copy_fixture("python-fastapi-pip", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "dockerize")
    return project


@pytest.fixture
def canonical_is(monkeypatch) -> Iterator[callable]:
    """Serve the canonical URL from elsewhere, as the network would (git's own URL rewriting)."""

    def point(target: str) -> None:
        monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
        monkeypatch.setenv("GIT_CONFIG_KEY_0", f"url.{target}.insteadOf")
        monkeypatch.setenv("GIT_CONFIG_VALUE_0", TEMPLATE_URL)

    yield point


# ---- release identity ------------------------------------------------------------------------------
def test_a_release_is_recorded_by_its_tag_and_any_other_build_is_not(monkeypatch) -> None:
    version, digest = package_version(), template_digest()
    monkeypatch.setattr(_release, "RELEASE", (version, digest[:16]))
    assert template_identity() == f"v{version}"
    monkeypatch.setattr(_release, "RELEASE", (version, "0" * 16))  # the template changed since
    assert template_identity() == f"v{version}+t{digest[:12]}"
    monkeypatch.setattr(_release, "RELEASE", ("0.0.1", digest[:16]))  # another version
    assert template_identity().startswith(f"v{version}+t")


def test_the_stamped_release_is_this_template_or_the_version_moved_on() -> None:
    """RELEASING.md: a release stamps its version and template; later changes bump the version."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    released, stamp = _release.RELEASE
    if pyproject["version"] == released:
        assert template_digest(ROOT)[:16] == stamp, (
            f"the template changed after release {released}: set the version to the next .dev0 "
            "(or stamp a new release with RELEASING.md)"
        )
    else:
        assert Version(pyproject["version"]) > Version(released)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## {re.escape(released)} \(\d{{4}}-\d\d-\d\d\)$", changelog, re.M)


def test_the_distribution_is_ours_and_names_its_repository() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert pyproject["name"] == DISTRIBUTION == "dockgen-cli"  # `dockgen` on the index is not ours
    assert pyproject["scripts"] == {"dockgen": "dockgen.cli:main"}
    assert pyproject["urls"]["Repository"] == f"{REPOSITORY_URL}.git" == TEMPLATE_URL
    readme = (ROOT / "README.md").read_text()
    assert REPOSITORY_URL in readme
    assert not re.search(r"pip install dockgen\b(?!-)", readme)


def test_the_readme_ci_job_installs_what_it_names(tmp_path: Path) -> None:
    """The README's GitHub Actions steps, run as written in a clean venv, against a local tagged
    clone standing in for the repository URL."""
    readme = (ROOT / "README.md").read_text()
    job = readme.split("GitHub Actions job:", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    runs = [
        line.split("- run:", 1)[1].split("#", 1)[0].strip() for line in job.splitlines() if "- run:" in line
    ]
    install, check = runs
    tag = re.search(r"@(v\d+\.\d+\.\d+)", install)[1]
    assert tag == f"v{_release.RELEASE[0]}" and check == "dockgen check"
    clone = tmp_path / "dockgen.git"
    git(tmp_path, "clone", "-q", "--bare", str(ROOT), str(clone))
    tagged = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "-q", "--verify", f"refs/tags/{tag}"],
        capture_output=True,
        check=False,
    )
    if tagged.returncode != 0:
        git(clone, "tag", tag, "HEAD")  # a clone without the tag (CI's): tag what it holds
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # setup-python brings a current pip; the one ensurepip bundles refuses a URL without a host
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True
    )
    command = install.replace(f"git+{REPOSITORY_URL}", f"git+file://{clone}")
    assert command != install
    # the installed dockgen keeps its template cache apart from this suite's
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "DOCKGEN_CACHE_DIR": str(tmp_path / "cache"),
    }
    pip = subprocess.run(
        ["sh", "-c", command], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    dockgen = venv / "bin" / "dockgen"
    app = copy_fixture("python-fastapi-pip", tmp_path)
    subprocess.run(
        [str(dockgen), "init", str(app), "-y", "--no-build"], check=True, capture_output=True, env=env
    )
    run = subprocess.run(
        [str(dockgen), *check.split()[1:], str(app)], capture_output=True, text=True, check=False, env=env
    )
    assert run.returncode == 0 and "dockgen check: clean" in run.stdout, run.stdout + run.stderr


# ---- updates that reach the newest release ----------------------------------------------------------
def test_update_reaches_the_newest_release_of_the_recorded_source(
    project: Path, mirror: Path, canonical_is, capsys
) -> None:
    """Recorded version = installed version: the update still fetches the source's releases."""
    canonical_is(str(mirror))
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("EXPOSE 8000", "LABEL mine=yes\nEXPOSE 8000"))
    commit_all(project, "my label")
    assert main(["update", str(project)]) == 0
    text = dockerfile.read_text()
    assert V2_PROBE in text and V1_PROBE not in text and "LABEL mine=yes" in text
    assert answers(project)["_commit"] == NEWER and answers(project)["_src_path"] == TEMPLATE_URL
    commit_all(project, "update")
    capsys.readouterr()
    assert main(["update", str(project)]) == 0  # and then it is the newest
    assert capsys.readouterr().out.startswith(f"Already at {NEWER}: no newer release")


@pytest.mark.parametrize("how", [["--template", "MIRROR"], []])
def test_update_vcs_ref_reaches_a_release_the_bundled_copy_lacks(
    project: Path, mirror: Path, canonical_is, how: list[str]
) -> None:
    canonical_is(str(mirror))
    args = [str(mirror) if a == "MIRROR" else a for a in how]
    assert main(["update", str(project), *args, "--vcs-ref", NEWER]) == 0
    assert answers(project)["_commit"] == NEWER


def test_plain_copier_update_defaults_reaches_the_newest_release(
    project: Path, mirror: Path, canonical_is, tmp_path: Path
) -> None:
    canonical_is(str(mirror))
    run = subprocess.run(
        [sys.executable, "-m", "copier", "update", "--defaults", str(project)],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "COPIER_CACHE_DIR": str(tmp_path / "copier-cache")},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert answers(project)["_commit"] == NEWER and V2_PROBE in (project / "Dockerfile").read_text()


def test_update_says_when_answers_changed_but_not_the_version(project: Path, mirror: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["update", str(project), "--template", str(mirror), "--vcs-ref", template_identity(),
                 "--set", "port=9000"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith(f"Answers changed, template still {template_identity()}")
    assert "EXPOSE 9000" in (project / "Dockerfile").read_text()


# ---- the drift check: fast, honest, isolated ----------------------------------------------------------
def test_check_with_a_mirror_sees_its_newer_release(project: Path, mirror: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["check", str(project), "--template", str(mirror)]) == 0
    assert f"template: {NEWER} is out" in capsys.readouterr().out
    assert main(["check", str(project), "--template", str(mirror), "--strict"]) == 1


class _Unauthorized(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def unauthorized() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/private.git"
    server.shutdown()


@pytest.fixture
def silent() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/silent.git"
    listener.close()


@pytest.mark.parametrize("source", ["unauthorized", "silent"])
def test_an_unreachable_source_is_skipped_quickly_and_said(
    project: Path, canonical_is, source: str, request, capsys
) -> None:
    canonical_is(request.getfixturevalue(source))
    capsys.readouterr()
    started = time.monotonic()
    assert main(["check", str(project)]) == 0
    assert time.monotonic() - started < 10  # the promise itself: a bounded lookup, never a prompt
    out = capsys.readouterr().out
    assert "template: the check for a newer release was skipped:" in out and "dockgen check: clean" in out
    assert main(["check", str(project), "--strict"]) == 3
    assert "(--strict, exit 3)" in capsys.readouterr().out


def test_two_checks_at_once_keep_to_their_own_template(tmp_path: Path, mirror: Path) -> None:
    """copier caches templates by URL; two sources behind one URL must not share that cache."""
    bundled = copy_fixture("python-fastapi-pip", tmp_path / "a")
    assert main(["init", str(bundled), "-y", "--no-build"]) == 0
    at_newer = copy_fixture("node-express-bcrypt", tmp_path / "b")
    assert (
        main(["init", str(at_newer), "-y", "--no-build", "--template", str(mirror), "--vcs-ref", NEWER]) == 0
    )
    (at_newer / ".copier-answers.yml").write_text(
        (at_newer / ".copier-answers.yml")
        .read_text()
        .replace(f"_src_path: {mirror}", f"_src_path: {TEMPLATE_URL}")
    )
    env = {**os.environ, "COPIER_CACHE_DIR": str(tmp_path / "shared-copier-cache")}
    for _ in range(3):
        runs = [
            subprocess.Popen([sys.executable, "-m", "dockgen", "check", str(bundled)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
            subprocess.Popen([sys.executable, "-m", "dockgen", "check", str(at_newer), "--template", str(mirror)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        ]  # fmt: skip
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 0 and "dockgen check: clean" in out, out + err


# ---- init on a project that changed, or that a newer template rendered --------------------------------
def test_init_on_a_changed_project_names_the_command_that_applies_it(project: Path, capsys) -> None:
    (project / ".python-version").write_text("3.11\n")
    capsys.readouterr()
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    out = capsys.readouterr().out
    assert "runtime_version" in out and "dockgen update --set 'runtime_version=3.11'" in out
    assert "Up to date with the recorded answers, not with the project" in out


def test_init_refuses_to_render_an_older_template_over_a_newer_one(project: Path, capsys) -> None:
    path = project / ".copier-answers.yml"
    path.write_text(re.sub(r"^_commit: .*$", f"_commit: {NEWER}", path.read_text(), flags=re.M))
    before = {p: p.read_bytes() for p in project.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(["init", str(project), "-y", "--no-build", "--force"]) == 2
    err = capsys.readouterr().err
    assert f"records template {NEWER}, newer than this dockgen's {template_identity()}" in err
    assert {p: p.read_bytes() for p in project.iterdir() if p.is_file()} == before


# ---- smaller failures --------------------------------------------------------------------------------
def test_a_git_file_template_writes_answers_that_check_accepts(tmp_path: Path, mirror: Path) -> None:
    app = copy_fixture("python-fastapi-pip", tmp_path)
    assert (
        main(["init", str(app), "-y", "--no-build", "--template", f"git+file://{mirror}", "--vcs-ref", NEWER])
        == 0
    )
    assert main(["check", str(app)]) == 0


def test_a_misspelt_check_ignore_entry_is_an_error(project: Path, capsys) -> None:
    path = project / ".copier-answers.yml"
    path.write_text(path.read_text().replace("check_ignore: []", "check_ignore:\n- Dockerfiel"))
    capsys.readouterr()
    assert main(["check", str(project)]) == 2
    err = capsys.readouterr().err
    assert ".copier-answers.yml" in err and "'Dockerfiel'" in err and err.count("\n") == 1
    assert main(["init", str(project), "-y", "--no-build", "--set", "check_ignore=[Dockerfiel]"]) == 2


def test_init_set_check_ignore_accepts_a_hand_edit(project: Path, capsys) -> None:
    """The README's way to keep a customised Dockerfile: exit 0, the edit kept, check clean."""
    dockerfile = project / "Dockerfile"
    edited = dockerfile.read_text() + "LABEL mine=yes\n"
    dockerfile.write_text(edited)
    assert main(["init", str(project), "-y", "--no-build", "--set", "check_ignore=[Dockerfile]"]) == 0
    assert dockerfile.read_text() == edited and answers(project)["check_ignore"] == ["Dockerfile"]
    capsys.readouterr()
    assert main(["check", str(project)]) == 0
