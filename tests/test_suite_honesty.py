"""The suite itself: it cannot pass by skipping the real builds, nor rewrite its goldens unnoticed (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: One docker-tier test that needs nothing but the engine fixture to start.
DOCKER_TEST = "tests/test_build_real.py::test_leftover_test_containers_are_reaped"


def pytest_run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CI", "DOCKGEN_REQUIRE_ENGINE", "DOCKGEN_UPDATE_GOLDEN")
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, **env},
        timeout=300,
    )


NO_ENGINE = {"DOCKER_HOST": "unix:///nonexistent/docker.sock"}


@pytest.mark.parametrize("required", [{"CI": "true"}, {"DOCKGEN_REQUIRE_ENGINE": "1"}], ids=["CI", "REQUIRE"])
def test_without_an_engine_the_docker_tier_fails_in_ci(required: dict[str, str]) -> None:
    result = pytest_run(DOCKER_TEST, **NO_ENGINE, **required)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "requires the docker tier to run" in result.stdout
    assert "1 error" in result.stdout or "1 failed" in result.stdout


def test_without_an_engine_a_developer_gets_a_skip_with_the_reason() -> None:
    result = pytest_run(DOCKER_TEST, **NO_ENGINE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout and "start one with tests/standins/engine.sh" in result.stdout


def test_ci_fails_when_the_engine_cannot_be_started() -> None:
    """`.ci/run` stops with an error when engine.sh fails, and runs pytest requiring the engine."""
    script = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in script
    assert "tests/standins/engine.sh || {" in script and "exit 1; }" in script
    assert "no Docker engine could be started" in script
    assert script.index("DOCKGEN_REQUIRE_ENGINE=1") < script.index("python3 -m pytest")


GOLDEN_TEST = "tests/test_fixtures.py::test_detect_json[node-express-bcrypt]"
GOLDEN = ROOT / "tests" / "fixtures" / "node-express-bcrypt" / "expected" / "detect.json"


@pytest.mark.parametrize("value", ["0", ""])
def test_goldens_are_compared_unless_asked_with_1(value: str) -> None:
    original = GOLDEN.read_bytes()
    GOLDEN.write_bytes(original.replace(b'"kind": "node"', b'"kind": "nodejs"'))
    try:
        result = pytest_run(GOLDEN_TEST, DOCKGEN_UPDATE_GOLDEN=value)
        assert result.returncode == 1 and "differs" in result.stdout, result.stdout
        assert b'"nodejs"' in GOLDEN.read_bytes()  # compared, not rewritten
    finally:
        GOLDEN.write_bytes(original)


def test_goldens_rewritten_with_1_are_listed() -> None:
    original = GOLDEN.read_bytes()
    GOLDEN.write_bytes(original.replace(b'"kind": "node"', b'"kind": "nodejs"'))
    try:
        result = pytest_run(GOLDEN_TEST, DOCKGEN_UPDATE_GOLDEN="1")
        assert result.returncode == 0, result.stdout
        assert "rewrote tests/fixtures/node-express-bcrypt/expected/detect.json" in result.stdout
        assert "1 golden file(s) rewritten" in result.stdout
        assert GOLDEN.read_bytes() == original
    finally:
        GOLDEN.write_bytes(original)


@pytest.mark.parametrize(("value", "env"), [("yes", {}), ("true", {}), ("1", {"CI": "true"})])
def test_a_golden_rewrite_is_refused_unless_explicit_and_outside_ci(value: str, env: dict[str, str]) -> None:
    before = GOLDEN.read_bytes()
    result = pytest_run(GOLDEN_TEST, DOCKGEN_UPDATE_GOLDEN=value, **env)
    assert result.returncode == 4, result.stdout + result.stderr  # pytest's usage error
    assert "DOCKGEN_UPDATE_GOLDEN" in result.stderr
    assert GOLDEN.read_bytes() == before
