"""`dockgen build` failure modes that need no engine: each is one line and its exit code."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_fixture
from dockgen.cli import main
from test_buildkit import fake_docker


def test_no_dockerfile_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["build", str(tmp_path)]) == 2
    assert "no Dockerfile" in capsys.readouterr().err


def test_no_buildkit_client_says_what_to_install(tmp_path: Path, capsys, monkeypatch) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    fake_docker(tmp_path / "bin", buildx=False, version="28.2.2")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("DOCKGEN_DOCKER", raising=False)
    assert main(["build", str(project)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "buildx" in err and "DOCKGEN_DOCKER" in err


def test_unreachable_engine_exits_3_and_says_how_to_fix_it(tmp_path: Path, capsys, monkeypatch) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    fake_docker(tmp_path / "bin", buildx=True, version="28.2.2")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    assert main(["init", str(project), "-y"]) == 3  # the files are written, the test build cannot run
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "cannot reach a Docker engine at tcp://127.0.0.1:9" in err and "DOCKER_HOST" in err
    assert (project / "Dockerfile").is_file()


def test_permission_denied_on_the_socket_exits_3(tmp_path: Path) -> None:
    """A real socket this process may not open: mode 000 and no capability to override it."""
    import shutil
    import socket
    import subprocess
    import sys

    import pytest

    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("needs setpriv (util-linux) to drop capabilities")
    path = tmp_path / "docker.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen()
    path.chmod(0)
    project = copy_fixture("python-fastapi-pip", tmp_path)
    (project / "Dockerfile").write_text("FROM scratch\n")
    fake_docker(tmp_path / "bin", buildx=True, version="28.2.2")
    run = subprocess.run(
        [
            setpriv,
            "--inh-caps=-all",
            "--bounding-set=-all",
            sys.executable,
            "-m",
            "dockgen",
            "build",
            str(project),
        ],
        env={"PATH": str(tmp_path / "bin"), "DOCKER_HOST": f"unix://{path}", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    server.close()
    assert run.returncode == 3, run.stderr
    assert "permission denied" in run.stderr and "docker group" in run.stderr
    assert "chmod" not in run.stderr  # never advise opening the socket to everyone
