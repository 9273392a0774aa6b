"""The wheel carries the template: `dockgen init` works from it with no checkout around."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_fixture


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("dockgen_cli-*.whl"))


def test_wheel_contains_every_template_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"dockgen/_bundled/copier.yml", "dockgen/_bundled/.hadolint.yaml"} | {
        "dockgen/_bundled/" + p.relative_to(ROOT).as_posix()
        for p in (ROOT / "template").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected <= names
    assert "dockgen/cli.py" in names and "dockgen/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "dockgen/tests"))]


def test_init_from_the_unpacked_wheel_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    project = copy_fixture("node-express-bcrypt", tmp_path)
    code = (
        f"import sys; sys.path.insert(0, {str(site)!r});"
        "import dockgen._bundle as b; assert b.bundled_root().is_relative_to(sys.path[0]), b.bundled_root();"
        "from dockgen.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, "init", str(project), "-y", "--no-build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    expected = ROOT / "tests" / "fixtures" / "node-express-bcrypt" / "expected" / "Dockerfile"
    assert (project / "Dockerfile").read_text() == expected.read_text()
    shutil.rmtree(site)
