"""Reading BuildKit's plain progress, and finding a client that can build with BuildKit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockgen.build._buildkit import find_builder, parse_progress

PLAIN = """\
#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 1.02kB done
#1 DONE 0.0s

#5 [base 1/2] FROM docker.io/library/node:22-trixie-slim
#5 DONE 0.0s

#6 [prod-deps 1/2] COPY ["package.json", "package-lock.json", "./"]
#6 CACHED

#7 [prod-deps 2/2] RUN --mount=type=cache,target=/root/.npm     npm ci --omit=dev
#7 0.512 added 80 packages in 1s
#7 DONE 2.1s

#8 [runtime 2/3] COPY . .
#8 DONE 0.1s

#9 exporting to image
#9 exporting layers 0.1s done
#9 DONE 0.2s
"""

FAILED = """\
#7 [prod-deps 2/2] RUN --mount=type=cache,target=/root/.npm     npm ci --omit=dev
#7 0.812 npm error code EUSAGE
#7 0.813 npm error `npm ci` can only install packages when your package.json and package-lock.json are in sync.
#7 ERROR: process "/bin/sh -c npm ci --omit=dev" did not complete successfully: exit code: 1
------
 > [prod-deps 2/2] RUN --mount=type=cache,target=/root/.npm     npm ci --omit=dev:
#7 0.813 npm error `npm ci` can only install packages when your package.json and package-lock.json are in sync.
------
error: failed to solve: process "/bin/sh -c npm ci --omit=dev" did not complete successfully: exit code: 1
"""


def test_steps_cached_done_and_output() -> None:
    log = parse_progress(PLAIN.splitlines())
    steps = {s.number: s for s in log.instruction_steps()}
    assert sorted(steps) == [5, 6, 7, 8]
    assert steps[6].cached and not steps[7].cached
    assert steps[7].seconds == 2.1 and steps[7].output == ["added 80 packages in 1s"]
    assert log.failed() is None


def test_failed_step_and_its_output() -> None:
    log = parse_progress(FAILED.splitlines())
    step = log.failed()
    assert step is not None and step.name.startswith("[prod-deps 2/2] RUN")
    assert "exit code: 1" in (step.error or "")
    assert any("in sync" in line for line in step.output)
    assert log.errors[-1].startswith("error: failed to solve")


def fake_docker(folder: Path, *, buildx: bool, version: str) -> Path:
    """A stand-in docker CLI: answers `buildx version` and `version --format` like the real ones."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "docker"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = buildx ]; then {"echo buildx v0.20.0; exit 0" if buildx else "echo unknown command: docker buildx >&2; exit 1"}; fi\n'
        f'if [ "$1" = version ]; then echo {version}; exit 0; fi\n'
        "exit 1\n"
    )
    script.chmod(0o755)
    return script


@pytest.fixture
def path_only(monkeypatch, tmp_path: Path):
    def use(*folders: Path) -> None:
        monkeypatch.setenv("PATH", os.pathsep.join(str(f) for f in folders))
        monkeypatch.delenv("DOCKGEN_DOCKER", raising=False)

    return use


def test_buildx_is_preferred(tmp_path: Path, path_only) -> None:
    new = fake_docker(tmp_path / "a", buildx=True, version="28.2.2")
    path_only(tmp_path / "a")
    builder = find_builder()
    assert (
        builder is not None
        and builder.command == (str(new), "buildx", "build", "--load")
        and builder.env == {}
    )


def test_old_client_without_buildx_uses_docker_buildkit_1(tmp_path: Path, path_only) -> None:
    fake_docker(tmp_path / "new", buildx=False, version="28.2.2")
    old = fake_docker(tmp_path / "old", buildx=False, version="20.10.24+dfsg1")
    path_only(tmp_path / "new", tmp_path / "old")  # the v28 client comes first and cannot
    builder = find_builder()
    assert builder is not None and builder.command == (str(old), "build")
    assert builder.env == {"DOCKER_BUILDKIT": "1"}


def test_no_capable_client(tmp_path: Path, path_only) -> None:
    fake_docker(tmp_path / "new", buildx=False, version="28.2.2")
    path_only(tmp_path / "new")
    assert find_builder() is None


def test_dockgen_docker_overrides(tmp_path: Path, path_only, monkeypatch) -> None:
    fake_docker(tmp_path / "a", buildx=True, version="28.2.2")
    chosen = fake_docker(tmp_path / "b", buildx=False, version="20.10.5")
    path_only(tmp_path / "a")
    monkeypatch.setenv("DOCKGEN_DOCKER", str(chosen))
    builder = find_builder()
    assert builder is not None and builder.command[0] == str(chosen)
