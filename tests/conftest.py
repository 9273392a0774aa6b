"""Shared test helpers: isolated caches, file trees, golden files, terminal input for the wizard."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
#: Set DOCKGEN_UPDATE_GOLDEN=1 (or pass --update-goldens) to rewrite expected files on purpose.
UPDATE_ENV = "DOCKGEN_UPDATE_GOLDEN"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from current output")


_UPDATE = pytest.StashKey[bool]()
_REWRITTEN = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    """Rewriting goldens takes an explicit `1` (or --update-goldens), and never happens in CI."""
    value = os.environ.get(UPDATE_ENV)
    if value not in (None, "", "0", "1"):
        raise pytest.UsageError(f"{UPDATE_ENV}={value!r}: use {UPDATE_ENV}=1 to rewrite the golden files")
    asked = config.getoption("--update-goldens") or value == "1"
    if asked and os.environ.get("CI", "").lower() in ("true", "1"):
        raise pytest.UsageError(
            f"CI=true: golden files are compared, never rewritten ({UPDATE_ENV}=1 or --update-goldens)"
        )
    config.stash[_UPDATE] = bool(asked)
    config.stash[_REWRITTEN] = []


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files (`DOCKGEN_UPDATE_GOLDEN=1`), by pytest_configure's rules."""
    return request.config.stash[_UPDATE]


@pytest.fixture(scope="session")
def rewritten_goldens(request: pytest.FixtureRequest) -> list[str]:
    """Golden files this run rewrote (their content changed); listed at the end of the run."""
    return request.config.stash[_REWRITTEN]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rewritten = config.stash.get(_REWRITTEN, [])
    if config.stash.get(_UPDATE, False):
        terminalreporter.section("golden files rewritten")
        for path in rewritten:
            terminalreporter.write_line(f"rewrote {path}")
        terminalreporter.write_line(f"{len(rewritten)} golden file(s) rewritten; review them with git diff")


@pytest.fixture(autouse=True, scope="session")
def _isolated_caches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep dockgen's and copier's caches out of the user's home."""
    cache = tmp_path_factory.mktemp("cache")
    saved = {k: os.environ.get(k) for k in ("DOCKGEN_CACHE_DIR", "XDG_CACHE_HOME")}
    os.environ["DOCKGEN_CACHE_DIR"] = str(cache / "dockgen")
    os.environ["XDG_CACHE_HOME"] = str(cache / "xdg")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def make_tree(root: Path, files: dict[str, Any]) -> Path:
    """Write `files` (relative path → str, bytes, or a dict/list dumped as JSON) under `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, indent=2), encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path):
    """`tree({...})` builds a project in a fresh folder and returns its path."""

    count = iter(range(1000))

    def build(files: dict[str, Any]) -> Path:
        return make_tree(tmp_path / f"project{next(count)}", files)

    return build


def fixture_names() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if (p / "app").is_dir())


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / name / "app", target)
    return target


def hadolint_findings(dockerfile: Path | str) -> list[dict[str, Any]]:
    """hadolint's findings (JSON) with the repository's .hadolint.yaml; any finding counts.

    `dockerfile` is a path, or (a str) the Dockerfile's text, read from standard input.
    """
    binary = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    text = dockerfile if isinstance(dockerfile, str) else None
    source = "-" if text is not None else str(dockerfile)
    result = subprocess.run(
        [binary, "--config", str(ROOT / ".hadolint.yaml"), "--no-fail", "-f", "json", source],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout or "[]")
    return findings


@pytest.fixture
def keys():
    """Feed keystrokes to every questionary prompt created inside the test (real prompts, no TTY).

    The pipe is closed once the keys are sent: a prompt left waiting for more keys ends with
    EOFError instead of hanging the run (a wizard with one question more than the test expects).
    """
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):

        def send(text: str) -> None:
            pipe.send_text(text)
            pipe.close()

        yield send


STANDINS = ROOT / "tests" / "standins" / "build.sh"


#: Set (or CI=true) to make a docker-tier test that cannot reach an engine fail instead of skip.
REQUIRE_ENGINE = "DOCKGEN_REQUIRE_ENGINE"


def engine_required() -> bool:
    """In CI, or when asked, the docker tier must run: no engine is a failure, not a skip."""
    return os.environ.get("CI", "").lower() in ("true", "1") or os.environ.get(REQUIRE_ENGINE) == "1"


@pytest.fixture(scope="session")
def engine():
    """A Docker SDK client for a daemon that answers.

    Without one, a developer's run skips the docker tier (saying why); CI (`CI=true`) or
    `DOCKGEN_REQUIRE_ENGINE=1` fails it: a green run must have built for real.
    """
    import docker

    try:
        client = docker.from_env(timeout=300)
        client.ping()
    except Exception as error:
        why = f"no Docker engine answers ({type(error).__name__}: {error})"
        if engine_required():
            pytest.fail(
                f"{why}; CI=true or {REQUIRE_ENGINE}=1 requires the docker tier to run", pytrace=False
            )
        pytest.skip(f"{why}; start one with tests/standins/engine.sh")
    return client


@pytest.fixture(scope="session")
def standins(engine):
    """`standins(tag, ...)` makes sure the offline stand-ins of those official images exist."""
    import docker.errors

    def ensure(*tags: str) -> None:
        missing = []
        for tag in tags:
            try:
                engine.images.get(tag)
            except docker.errors.ImageNotFound:
                missing.append(tag)
        if missing:
            subprocess.run(["bash", str(STANDINS), *missing], check=True, timeout=1800)

    return ensure
