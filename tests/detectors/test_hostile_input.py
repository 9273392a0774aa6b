"""Hostile or malformed repository inputs (reliability catalogue C1): one clean error or a warning,
never a traceback, a hang or a read outside the repository. Numbers refer to the catalogue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockgen._project import MAX_FILE_BYTES, Project
from dockgen.detectors import detect
from dockgen.errors import DockgenError, InputError


def run(root: Path):
    return detect(Project(root))


def test_c1_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({"main": "a.js"}).encode())
    assert run(tmp_path).start_command == ("node", "a.js")


@pytest.mark.parametrize(
    ("name", "text"),
    [("package.json", "[" * 5000 + "]" * 5000), ("pyproject.toml", "a = " + "[" * 600 + "]" * 600)],
)
def test_c2_c3_deep_nesting(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(InputError, match=rf"{name}: invalid (JSON|TOML): nested too deeply"):
        run(tmp_path)


def test_c4_oversized_file_is_not_read(tmp_path: Path) -> None:
    with (tmp_path / "package.json").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, the size is what counts
    started = time.monotonic()
    with pytest.raises(InputError, match=r"package\.json: file is too large"):
        run(tmp_path)
    assert time.monotonic() - started < 1


def test_c5_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "package.json")
    with pytest.raises(InputError, match=r"package\.json: not a regular file"):
        run(tmp_path)


def test_c6_symlink_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"name": "TOP-SECRET"}')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "package.json").symlink_to(secret)
    with pytest.raises(InputError, match="symlink points outside the repository") as error:
        run(repo)
    assert "TOP-SECRET" not in str(error.value)


def test_c6_symlink_inside_the_repository_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text('{"main": "a.js"}')
    (tmp_path / "package.json").symlink_to(tmp_path / "real.json")
    assert run(tmp_path).start_command == ("node", "a.js")


def test_c7_directory_named_like_a_manifest_is_not_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "package.json").mkdir()
    with pytest.raises(DockgenError, match=r"no Node\.js, Python, Go, Rust or Java app"):
        run(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"name": "a", "name": "b"}', "duplicate key 'name'"),
        ('{"engines": {"node": NaN}}', "invalid JSON constant NaN"),
        ('{"name": "\\ud800"}', "unpaired surrogate"),
    ],
    ids=["c8-duplicate-keys", "c9-nan", "c10-lone-surrogate"],
)
def test_c8_c10_strict_json(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "package.json").write_text(text)
    with pytest.raises(InputError, match=message):
        run(tmp_path)


def test_c11_wrong_types_are_ignored_with_warnings(tmp_path: Path) -> None:
    manifest = {"scripts": "start", "engines": [], "main": 5, "workspaces": True, "dependencies": ["x"]}
    (tmp_path / "package.json").write_text(json.dumps(manifest))
    result = run(tmp_path)
    for field in ("scripts", "engines", "main", "workspaces", "dependencies"):
        assert any(w.startswith(f"package.json: {field} should be") for w in result.warnings), field
    assert result.start_command == ("node", "index.js")


def test_c11_wrong_types_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = 5\nrequires-python = 3.12\ndependencies = "flask"\n'
    )
    result = run(tmp_path)
    assert any("project.requires-python should be a string" in w for w in result.warnings)
    assert any("project.dependencies should be a list" in w for w in result.warnings)


def test_c12_latin1_manifest(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(InputError, match=r"package\.json: not valid UTF-8 \(byte 13\)"):
        run(tmp_path)


def test_c13_requirements_include_cycle(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-r a.txt\nflask==3.1.0\n")
    (tmp_path / "a.txt").write_text("-r requirements.txt\ngunicorn==23.0.0\n")
    result = run(tmp_path)
    assert result.dependency_files == ("requirements.txt", "a.txt")
    assert any("include cycle" in w for w in result.warnings)


def test_c14_credentials_in_requirements_are_reported_without_the_secret(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "--extra-index-url https://user:S3CRET-CANARY@pkgs.example/simple\nflask==3.1.0\n"
    )
    result = run(tmp_path)
    warning = next(w for w in result.warnings if "credentials" in w)
    assert "S3CRET-CANARY" not in json.dumps(result.to_json())
    assert "requirements.txt" in warning and "netrc" in warning


def test_c19_yaml_alias_bomb_in_pnpm_lock(tmp_path: Path) -> None:
    bomb = "lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        bomb += f"{level}: &{level} [" + ", ".join([f"*{chr(ord(level) - 1)}"] * 9) + "]\n"
    bomb += "packages:\n  bomb@1.0.0: *h\n"
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "pnpm-lock.yaml").write_text(bomb)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"pnpm-lock\.yaml: invalid YAML: aliases expand to more than"):
        run(tmp_path)
    assert time.monotonic() - started < 2


def test_c20_invalid_toml_names_the_place(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    with pytest.raises(InputError, match=r"pyproject\.toml: invalid TOML: .*line 1"):
        run(tmp_path)


def test_c24_garbage_engines_fall_back_to_lts_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"engines": {"node": "banana"}}))
    result = run(tmp_path)
    assert result.runtime_version.isdigit()
    assert any("banana" in w for w in result.warnings)


# Issue 18, class 9: one large source file must not break a whole repository.
@pytest.mark.parametrize(
    ("tree", "big", "kind"),
    [
        (
            {"package.json": '{"main": "server.js"}', "server.js": "require('http')"},
            "public/js/vendor.min.js",
            "node",
        ),
        (
            {"requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            "generated.py",
            "python",
        ),
        (
            {"go.mod": "module example.com/a\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"},
            "bindata.go",
            "go",
        ),
    ],
)
def test_a_large_source_file_is_skipped_not_fatal(
    tmp_path: Path, tree: dict[str, str], big: str, kind: str
) -> None:
    for name, text in tree.items():
        (tmp_path / name).write_text(text)
    target = tmp_path / big
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("// generated\n" + "x" * (1200 * 1024))
    assert run(tmp_path).kind == kind


def test_a_large_source_file_is_noted_with_debug(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"main": "server.js"}')
    (tmp_path / "server.js").write_text("x" * (1200 * 1024))
    result = subprocess.run(
        [sys.executable, "-m", "dockgen", "--debug", "detect", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "server.js: skipped by the source scan (file is too large to read" in result.stderr


# Issue 18, class 3: a symlinked folder on the way to a file is resolved before any read.
def test_a_requirements_include_through_a_folder_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "conf").symlink_to("/etc", target_is_directory=True)
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\n-r conf/passwd\n")
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    with pytest.raises(InputError, match=r"conf/passwd: symlink points outside the repository") as error:
        run(tmp_path)
    assert "root:" not in str(error.value)


def test_a_start_script_through_a_folder_symlink_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "lib").symlink_to("/proc", target_is_directory=True)
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"start": "node lib/kmsg"}}))
    # in a child process with a timeout: before the fix, reading /proc/kmsg never ended
    result = subprocess.run(
        [sys.executable, "-m", "dockgen", "detect", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "lib/kmsg: symlink points outside the repository" in result.stderr


def test_a_folder_symlink_inside_the_repository_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "server.js").write_text("require('http').createServer().listen(3000)\n")
    (tmp_path / "src").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "package.json").write_text(json.dumps({"main": "src/server.js"}))
    assert run(tmp_path).start_command == ("node", "src/server.js")
