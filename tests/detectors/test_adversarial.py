"""Hang guard: detection ends on adversarial inputs (issue 18, classes 7 and 8).

Not a speed target. Each detection runs `dockgen detect` in its own process, stopped after
HANG_GUARD_SECONDS, where the fixed code needs well under a second; before the fixes these inputs
kept it busy for minutes or for ever (catastrophic backtracking, scans quadratic in a whitespace
run, a pure-Python YAML parse of a large lockfile). How fast detection is, and that it stays
linear, is the benchmark's job: `python -m bench.adversarial`, whose inputs (bench/hostile.py)
the last test reuses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.hostile import CASES, write_case
from conftest import make_tree
from dockgen._project import MAX_SOURCE_BYTES

#: A hang guard, not a speed target: generous, so a slow machine never fails a correct build.
HANG_GUARD_SECONDS = 60


def detect_in_a_process(root: Path) -> dict[str, Any]:
    """`dockgen detect --json` on `root`, failing the test when it runs past the hang guard."""
    command = [sys.executable, "-m", "dockgen", "detect", str(root), "--json"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"dockgen detect still ran after {HANG_GUARD_SECONDS}s (hang guard)")
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def whitespace(size: int) -> str:
    """A run of spaces, tabs and blank lines, as editors and generators leave them."""
    unit = "  \n\t \n"
    return (unit * (size // len(unit) + 1))[:size]


POM = "<project><modelVersion>4.0.0</modelVersion><artifactId>orders</artifactId></project>\n"
# The example: 21 lines of Spring Boot configuration whose `server:` block has no `port:`.
SPRING_WITHOUT_PORT = """\
spring:
  application:
    name: orders
  jackson:
    default-property-inclusion: non_null
server:
  servlet:
    context-path: /api
    session:
      timeout: 30m
      cookie:
        http-only: true
        secure: true
  compression:
    enabled: true
    mime-types: application/json,text/html
  error:
    include-message: always
  shutdown: graceful
  forward-headers-strategy: framework
  max-http-request-header-size: 16KB
"""


def test_spring_config_whose_server_block_has_no_port(tmp_path: Path) -> None:
    make_tree(tmp_path, {"pom.xml": POM, "src/main/resources/application.yml": SPRING_WITHOUT_PORT})
    result = detect_in_a_process(tmp_path)
    assert (result["kind"], result["port"]) == ("java", 8080)


def test_node_whitespace_run_after_process_env_port(tmp_path: Path) -> None:
    server = (
        "const express = require('express');\nconst app = express();\n"
        f"const port = process.env.PORT{whitespace(256 * 1024)};\n"
        "app.get('/healthz', (req, res) => res.send('ok'));\napp.listen(port);\n"
    )
    make_tree(
        tmp_path,
        {"package.json": {"main": "server.js", "dependencies": {"express": "4"}}, "server.js": server},
    )
    result = detect_in_a_process(tmp_path)
    assert (result["port"], result["health_path"]) == (3000, "/healthz")
    assert result["answers"]["port"]["reason"] == "the app reads PORT; the image sets PORT=3000"


def test_go_import_followed_by_whitespace_runs_and_no_cgo(tmp_path: Path) -> None:
    main = (
        f'package main\n\nimport{whitespace(256 * 1024)}"fmt"\n\nfunc main() {{\n\tfmt.Println("hello")\n}}\n'
    )
    make_tree(tmp_path, {"go.mod": "module example.com/hello\n\ngo 1.22\n", "main.go": main})
    result = detect_in_a_process(tmp_path)
    assert (result["kind"], result["native_deps"]) == ("go", [])


def test_fastapi_module_with_long_assignment_like_runs(tmp_path: Path) -> None:
    # aligned assignments before the app's own: a name, a long run of spaces (or lines), then `=`
    module = (
        "from fastapi import FastAPI\n\n"
        f"TIMEOUT{' ' * 128 * 1024}= 30\n"
        f"RETRIES: int{whitespace(128 * 1024)}= 3\n"
        "app = FastAPI()\n"
    )
    make_tree(tmp_path, {"requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\n", "main.py": module})
    result = detect_in_a_process(tmp_path)
    assert result["start_command"][:2] == ["uvicorn", "main:app"]


def test_a_27_mb_pnpm_lockfile(tmp_path: Path) -> None:
    # the example (class 8): a YAML parser took 104 s and 1.85 GB over it
    write_case("pnpm-lock-v9", tmp_path, 27 * 1024 * 1024)
    result = detect_in_a_process(tmp_path)
    assert (result["package_manager"], result["package_manager_version"]) == ("pnpm", "9.15.9")


# One interpreter detects every case in turn, printing each kind as it goes.
_DETECT_EACH = """
import sys
import dockgen
for root in sys.argv[1:]:
    print(dockgen.detect(root).kind, flush=True)
"""


def test_every_detector_ends_on_the_benchmark_inputs(tmp_path: Path) -> None:
    roots = []
    for name, case in CASES.items():
        root = tmp_path / name
        root.mkdir()
        # scanned sources at their cap; manifests and lockfiles, read whole, at a moderate size
        case.write(root, min(case.cap, MAX_SOURCE_BYTES))
        roots.append(root)
    command = [sys.executable, "-c", _DETECT_EACH, *map(str, roots)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, check=False)
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout or b""  # bytes, even with text=True
        done = len((out.decode() if isinstance(out, bytes) else out).split())
        pytest.fail(f"{list(CASES)[done]}: detection still ran after {HANG_GUARD_SECONDS}s (hang guard)")
    assert run.returncode == 0, run.stderr
    assert dict(zip(CASES, run.stdout.split(), strict=True)) == {n: c.detector for n, c in CASES.items()}


def test_go_file_of_calls_that_read_files_with_unclosed_arguments(tmp_path: Path) -> None:
    """Class 7 (issue 12): each `Static(` opens an argument list that never closes; the walk over
    each is bounded, and so is the number of calls read."""
    unit = 'r.Static("/s", "' + "(" * 200 + "\n\t"
    main = "package main\n\nfunc main() {\n" + unit * (MAX_SOURCE_BYTES // len(unit) - 1) + "}\n"
    make_tree(tmp_path, {"go.mod": "module example.com/hello\n\ngo 1.24\n", "main.go": main})
    assert detect_in_a_process(tmp_path)["kind"] == "go"


def test_rust_file_of_serve_dir_calls_and_long_strings(tmp_path: Path) -> None:
    unit = 'ServeDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "' + "a/" * 150 + '")) '
    main = "fn main() {\n" + unit * (MAX_SOURCE_BYTES // len(unit) - 1) + "}\n"
    cargo = '[package]\nname = "a"\nversion = "0.1.0"\n'
    make_tree(tmp_path, {"Cargo.toml": cargo, "src/main.rs": main})
    assert detect_in_a_process(tmp_path)["kind"] == "rust"
