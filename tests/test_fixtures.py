"""Golden tests: every fixture app's detection and rendered files, byte for byte, lint-clean.

Rewrite the expected files on purpose with DOCKGEN_UPDATE_GOLDEN=1 (or --update-goldens) and
review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import dockerfile
import pytest

from conftest import FIXTURES, copy_fixture, fixture_names, hadolint_findings
from dockgen._template import template_identity
from dockgen.cli import main

RENDERED = ("Dockerfile", ".dockerignore", ".copier-answers.yml")
#: Command-line arguments a fixture needs (a monorepo names the app to build).
ARGS = {
    "node-monorepo-pnpm": ["--path", "apps/api"],
    "node-monorepo-npm": ["--path", "apps/api"],
    "node-monorepo-yarn": ["--path", "apps/api"],
    "python-uv-workspace": ["--path", "apps/api"],
}
#: Files some apps get: compose.yaml (servers beside the app), and under .dockgen/ (the Go
#: HEALTHCHECK probe, a static site's nginx.conf)
DOCKGEN_FILES = (
    "compose.yaml",
    ".dockgen/healthcheck.go",
    ".dockgen/healthcheck.rs",
    ".dockgen/HealthCheck.java",
    ".dockgen/nginx.conf",
)


def _check(expected: Path, actual: bytes, update: bool, rewritten: list[str]) -> None:
    if update and (not expected.is_file() or expected.read_bytes() != actual):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(actual)
        rewritten.append(str(expected.relative_to(FIXTURES.parent.parent)))
    assert expected.is_file(), f"missing golden file {expected}; run with DOCKGEN_UPDATE_GOLDEN=1"
    assert actual.decode() == expected.read_text(encoding="utf-8"), f"{expected} differs"


def test_every_golden_folder_has_a_fixture() -> None:
    stale = [p.name for p in FIXTURES.iterdir() if p.is_dir() and not (p / "app").is_dir()]
    assert not stale


@pytest.mark.parametrize("name", fixture_names())
def test_detect_json(
    name: str, capsys: pytest.CaptureFixture[str], update_goldens: bool, rewritten_goldens: list[str]
) -> None:
    assert main(["detect", str(FIXTURES / name / "app"), "--json", *ARGS.get(name, [])]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)  # one JSON object, nothing else on stdout
    _check(
        FIXTURES / name / "expected" / "detect.json",
        (json.dumps(data, indent=2) + "\n").encode(),
        update_goldens,
        rewritten_goldens,
    )


@pytest.mark.parametrize("name", fixture_names())
def test_init_writes_expected_files(
    name: str, tmp_path: Path, update_goldens: bool, rewritten_goldens: list[str]
) -> None:
    project = copy_fixture(name, tmp_path)
    before = {p.relative_to(project) for p in project.rglob("*")}
    assert main(["init", str(project), "-y", "--no-build", *ARGS.get(name, [])]) == 0
    after = {p.relative_to(project) for p in project.rglob("*")}
    goldens = [*RENDERED, *(f for f in DOCKGEN_FILES if (FIXTURES / name / "expected" / f).is_file())]
    extra = {Path(".dockgen")} if any(f.startswith(".dockgen/") for f in goldens) else set()
    if update_goldens:
        goldens += [f for f in DOCKGEN_FILES if (project / f).is_file() and f not in goldens]
        extra = {Path(".dockgen")} if (project / ".dockgen").is_dir() else set()
    assert after - before == {Path(f) for f in goldens} | extra, (
        "init writes exactly these files, no temp files"
    )
    for file in goldens:
        actual = (project / file).read_bytes()
        if file == ".copier-answers.yml":
            actual = _template_placeholder(actual)
        _check(FIXTURES / name / "expected" / file, actual, update_goldens, rewritten_goldens)


#: What the answers goldens hold for `_commit`, which names the template release (or build).
TEMPLATE_PLACEHOLDER = b"_commit: <this dockgen's template>\n"


def _template_placeholder(answers: bytes) -> bytes:
    """The answers with `_commit` as the placeholder, once it is checked to be this template's."""
    line = f"_commit: {template_identity()}\n".encode()
    assert line in answers, f"the answers record another template than {template_identity()}"
    return answers.replace(line, TEMPLATE_PLACEHOLDER, 1)


@pytest.mark.parametrize("name", fixture_names())
def test_golden_dockerfile_is_hadolint_clean(name: str) -> None:
    assert hadolint_findings(FIXTURES / name / "expected" / "Dockerfile") == []


@pytest.mark.parametrize("name", fixture_names())
def test_golden_dockerfile_structure(name: str) -> None:
    """The standards of DESIGN.md, read from the parsed Dockerfile (BuildKit's own parser)."""
    commands = dockerfile.parse_file(str(FIXTURES / name / "expected" / "Dockerfile"))
    stages: list[list[dockerfile.Command]] = []
    for command in commands:
        if command.cmd == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(command)
    assert len(stages) >= 2, "multi-stage"
    first_line = (FIXTURES / name / "expected" / "Dockerfile").read_text().splitlines()[0]
    assert first_line.startswith("# Generated by dockgen") and "=" not in first_line, "no parser directive"
    runtime = stages[-1]
    assert runtime[0].value[-2:] == ("AS", "runtime") or runtime[0].value[-1] == "runtime"
    users = [c for c in runtime if c.cmd == "USER"]
    assert users and users[-1].value[0].split(":")[0] not in ("root", "0"), "runs as non-root"
    cmd = [c for c in runtime if c.cmd == "CMD"]
    assert cmd and cmd[-1].json, "exec-form CMD"
    assert cmd[-1].value[0] not in ("npm", "yarn", "pnpm"), "the package manager is not PID 1"
    assert [c for c in runtime if c.cmd == "EXPOSE"]
    # the runtime stage has a HEALTHCHECK: inherited from the base stage, or (a runtime that starts
    # from another image: Debian slim plus the node binary) its own, the same probe
    base_stage = stages[0][0].value[-1]
    inherits = runtime[0].value[0] == base_stage
    assert inherits or runtime[0].value[0].startswith(
        ("node:", "python:", "debian:", "alpine:", "scratch", "nginxinc/", "eclipse-temurin:")
    )
    healthchecks = [c for c in (stages[0] if inherits else runtime) if c.cmd == "HEALTHCHECK"]
    assert len(healthchecks) == 1 and healthchecks[0].value[0] == "CMD"
    assert healthchecks[0].json or healthchecks[0].original.split("CMD", 1)[1].strip().startswith("[")
    # every other HEALTHCHECK is the same probe, or NONE in the init stage (tini), which never runs
    others = {c.original for c in commands if c.cmd == "HEALTHCHECK"} - {healthchecks[0].original}
    assert others <= {"HEALTHCHECK NONE"}
    init = [s for s in stages if s[0].value[-1] == "init"]
    assert bool(others) == bool(init)
    if init:
        assert [c for c in runtime if c.cmd == "ENTRYPOINT"][-1].value == ("/usr/local/bin/tini", "--")
    # no compiler or build tool is installed in the runtime stage
    runtime_words = " ".join(c.original for c in runtime if c.cmd == "RUN").split()
    for tool in ("g++", "gcc", "make", "build-essential"):
        assert tool not in runtime_words, f"{tool} in the runtime stage"
    headers = [w for w in runtime_words if w.endswith(("-dev", "-devel"))]  # libpq-dev, zlib1g-dev...
    assert not headers, f"development packages in the runtime stage: {headers}"

    # dependency manifests are copied and installed before the source
    def installs(c: dockerfile.Command) -> bool:
        return c.cmd == "RUN" and any(w in c.original for w in ("install", " ci", "go mod download"))

    build_like = [s for s in stages if any(installs(c) for c in s)]
    for stage in build_like:
        cmds = [c.cmd + " " + " ".join(c.value) for c in stage]
        install = next(i for i, c in enumerate(stage) if installs(c))
        source = next(
            (i for i, c in enumerate(stage) if c.cmd == "COPY" and c.value[:2] == (".", ".")), len(stage)
        )
        assert install < source, cmds
    assert "# syntax" not in (FIXTURES / name / "expected" / "Dockerfile").read_text()


#: Fixtures the docker tier cannot build on this network, and why (README, "Install and test").
NOT_BUILT_HERE: dict[str, str] = {}


def test_every_fixture_is_built_on_the_engine_or_says_why() -> None:
    import test_build_real as real

    built = (
        {c.fixture for c in real.CASES}
        | {c.fixture for c in real.COMPILED}
        | {real.STATIC_SITE, real.MONOREPO, real.NPM_MONOREPO, real.YARN_MONOREPO, real.UV_WORKSPACE}
        | {real.DJANGO_SQLITE, real.NODE_WRITABLE, real.JAVA}
        | set(real.SERVICES)
    )
    assert set(fixture_names()) - built == set(NOT_BUILT_HERE)
    assert not built & set(NOT_BUILT_HERE)
