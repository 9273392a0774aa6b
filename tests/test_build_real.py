"""Real builds on a Docker engine (the `docker` tier): every fixture app that can be built offline
is built, run and health-checked, and checked from the engine, not from the Dockerfile text."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docker.errors
import pytest
import yaml

from conftest import FIXTURES, copy_fixture, make_tree
from dockgen.build import BuildReport, build
from dockgen.build._security import REQUIRED
from dockgen.cli import main
from dockgen.errors import UnhealthyError

pytestmark = pytest.mark.docker


@dataclass(frozen=True)
class Case:
    fixture: str
    base: str
    absent: str  # a path the runtime image must not hold: a devDependency, a build-only package, pip
    max_added_mb: float  # bytes the Dockerfile adds on top of its base image, recorded from real builds
    edit: str  # a source file the cache test changes
    #: the final stage's image when it is not `base`: alpine:3 or Debian slim (+ node), scratch (distroless)
    runtime: str | None = None
    sets: tuple[str, ...] = ()  # answers given with --set, for a shape detection does not choose


CASES = [
    # Debian slim plus the node binary (ADR 8): what a glibc app gets with run-time system packages
    # or writable paths; here asked for, since the fixtures that took it are distroless now
    Case(
        "node-express-bcrypt",
        "node:22-trixie-slim",
        "node_modules/nodemon",
        136,
        "src/server.js",
        runtime="debian:trixie-slim",
        sets=("base=slim",),
    ),
    # distroless (glibc apps that need nothing else at run time): scratch plus Debian's glibc,
    # libgcc, libstdc++, CA bundle and zoneinfo (8 MB) and the node binary (126 MB); no shell
    Case(
        "node-express-bcrypt",
        "node:22-trixie-slim",
        "node_modules/nodemon",
        146,
        "src/server.js",
        runtime="scratch",
    ),
    # alpine:3 plus the node binary of the musllinux wheel (141 MB on the stand-in) and its
    # libstdc++ and libgcc_s: the rest is what the app adds
    Case(
        "node-fastify-pnpm", "node:26-alpine", "node_modules/prettier", 161, "server.js", runtime="alpine:3"
    ),
    # .npmrc's legacy-peer-deps=true reaches `npm ci` as npm_config_legacy_peer_deps (the lockfile
    # holds react-dom 17 beside react 18: without the setting, npm ci stops at ERESOLVE); the file
    # itself never enters the image
    Case("node-legacy-peer-deps", "node:26-alpine", ".npmrc", 160, "server.js", runtime="alpine:3"),
    Case(
        "node-nest-ts",
        "node:22-alpine",
        "node_modules/typescript",
        166,
        "src/greeting.service.ts",
        runtime="alpine:3",
    ),
    # no SIGTERM handler (tini stops it), install scripts that call husky and a project file
    Case(
        "node-express-lifecycle",
        "node:26-alpine",
        "node_modules/husky",
        166,
        "src/server.ts",
        runtime="alpine:3",
    ),
    # Astro's standalone server (HOST=0.0.0.0), its health route from src/pages/api/health.ts
    # (sharp's glibc binaries make it glibc: distroless). 282 MB measured: node (126 MB) and
    # astro's production dependencies, which carry its whole toolchain (vite, rollup, esbuild, shiki)
    Case(
        "node-astro-node",
        "node:22-trixie-slim",
        "/usr/local/bin/npm",
        295,
        "src/pages/index.astro",
        runtime="scratch",
    ),
    # React Router 7 framework mode: react-router-serve runs build/server, /healthz a resource route
    Case("node-react-router", "node:26-alpine", "node_modules/@react-router/dev", 30, "app/routes/home.tsx"),
    # pm2-runtime in the foreground under tini, HOME-less pm2 state in the writable /tmp
    Case("node-express-pm2", "node:22-alpine", "node_modules/nodemon", 60, "server.js"),
    # an integrated Nx repository: `nx run api:build` at the root, the root's production dependencies
    Case(
        "node-nx-express",
        "node:26-alpine",
        "node_modules/nx",
        176,
        "apps/api/src/main.ts",
        runtime="alpine:3",
    ),
    Case(
        "node-next-standalone",
        "node:22-trixie-slim",
        "node_modules/@next/swc-linux-x64-gnu",
        195,
        "app/page.js",
        runtime="scratch",
    ),
    Case(
        "node-sveltekit-node",
        "node:22-alpine",
        "node_modules/vite",
        156,
        "src/routes/+page.server.js",
        runtime="alpine:3",
    ),
    # next start runs node_modules/.bin/next: the runtime stays on the node image
    Case(
        "node-next-config-comment",
        "node:22-trixie-slim",
        "node_modules/@next/swc-linux-x64-gnu",
        260,
        "app/page.js",
    ),
    # Nitro's .output runs alone: no node_modules at all
    Case(
        "node-nuxt", "node:22-alpine", "/app/node_modules", 156, "server/api/time.get.js", runtime="alpine:3"
    ),
    Case("python-fastapi-pip", "python:3.13-slim-trixie", "/opt/venv/bin/pip", 25, "app/main.py"),
    Case("python-flask-psycopg2", "python:3.11-slim-trixie", "/opt/venv/bin/pip", 20, "app.py"),
    # no Python pinned; psycopg2-binary 2.9.10 has wheels up to 3.13: on the newest Python pip would
    # build it from source and fail (pg_config)
    Case("python-flask-wheels-pin", "python:3.13-slim-trixie", "/opt/venv/bin/pip", 25, "app.py"),
    # uvicorn comes with fastapi[standard] alone; no Python pinned: the newest (a forky stand-in)
    Case("python-fastapi-standard", "python:3.15-slim-trixie", "/opt/venv/bin/pip", 95, "app/main.py"),
    Case(
        "python-django-poetry",
        "python:3.13-slim-trixie",
        "/opt/venv/lib/python3.13/site-packages/pytest_django",
        40,
        "core/views.py",
    ),
]
#: Every check the gate requires, pinned here (not read from `_security.REQUIRED`): a check that
#: disappears from dockgen fails this list.
GATE = (
    "hadolint clean",
    "non-root user",
    "health check",
    "no secrets in ENV",
    "stops on SIGTERM",
    "answers outside the container",
    "no compiler",
    "no package cache",
    "no secret files",
    "no setuid added",
)


def assert_gate_passed(report: BuildReport) -> None:
    """Every required check ran and passed."""
    assert set(GATE) == set(REQUIRED)
    gate = {check.name: check for check in report.security}
    assert not report.failed_checks(), report.failed_checks()
    for name in GATE:
        assert gate[name].ok is True and gate[name].required, gate.get(name)


def shell(engine, image: str, script: str) -> str:
    """Output of a throwaway container of `image` running `script` (as root, so nothing hides)."""
    output = engine.containers.run(image, entrypoint=["/bin/sh", "-c", script], user="0", remove=True)
    return output.decode().strip()


def app_added_mb(report: BuildReport) -> float:
    """What the image adds to its base besides the runtime the node-binary stage copies (ADR 13)."""
    runtime = sum(layer.size_bytes for layer in report.layers if layer.created_by.startswith("COPY /out/ /"))
    return (report.size_bytes - (report.base_size_bytes or 0) - runtime) / 1e6


def quiet_build(project: Path, **options) -> tuple[BuildReport, str]:
    out = io.StringIO()
    options.setdefault("timeout", 240)
    return build(project, out=out, live=False, **options), out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.fixture + "".join(f"[{a}]" for a in c.sets) for c in CASES])
def test_fixture_builds_runs_and_is_healthy(case: Case, engine, standins, tmp_path: Path) -> None:
    # distroless (scratch) is assembled from Debian slim, as tini's init stage is
    runtime = {None: [], "scratch": ["debian:trixie-slim"]}.get(case.runtime, [case.runtime])
    standins(case.base, *runtime, *server_images(case.fixture))
    project = copy_fixture(case.fixture, tmp_path)
    sets = [arg for answer in case.sets for arg in ("--set", answer)]
    assert main(["init", str(project), "-y", "--no-build", *sets]) == 0
    out = io.StringIO()
    report = build(project, out=out, live=False, timeout=240)  # a failed build fails the test
    try:
        assert "[prod-deps" in out.getvalue() or "[build" in out.getvalue(), "progress shows the steps"
        assert report.health == "healthy" and report.seconds_to_healthy is not None
        assert report.base_image == (case.runtime or case.base)
        assert no_test_containers(engine)  # removed after a healthy run too
        assert_gate_passed(report)
        image = engine.images.get(report.image)  # the image is kept
        config = image.attrs["Config"]
        assert config.get("User") not in (None, "", "root", "0", "0:0")
        assert config["Healthcheck"]["Test"][0] == "CMD"
        # read from the exported filesystem: a distroless image has no shell to ask
        files = image_files(engine, report.image)
        workdir = (config.get("WorkingDir") or "/").strip("/")
        assert not [f for f in files if re.search(r"(^|/)s?bin/(gcc|g\+\+|cc|make)$", f)]
        absent = case.absent.lstrip("/") if case.absent.startswith("/") else f"{workdir}/{case.absent}"
        assert absent not in files
        if case.runtime:  # only the node binary: no npm, corepack or C headers
            tools = {f"usr/local/bin/{t}" for t in ("npm", "npx", "corepack", "yarn")}
            assert not tools & files and not [f for f in files if f.startswith("usr/local/include/")]
        if case.runtime == "scratch":  # distroless: no shell, no package manager
            assert not {"bin/sh", "usr/bin/sh", "bin/bash", "usr/bin/apt-get", "usr/bin/dpkg"} & files
            assert {"usr/local/bin/node", "etc/ssl/certs/ca-certificates.crt", "etc/passwd"} <= files
        base_bytes = 0 if report.base_image == "scratch" else report.base_size_bytes  # scratch: no base
        assert base_bytes is not None
        added_mb = (report.size_bytes - base_bytes) / 1e6
        assert added_mb <= case.max_added_mb, f"{added_mb:.1f} MB added"
        # a source-only change re-runs no dependency install
        source = project / case.edit
        source.write_text(
            source.read_text() + "\n// changed\n"
            if case.edit.endswith((".js", ".ts", ".tsx", ".jsx", ".mjs", ".cjs"))
            else source.read_text() + "\n# changed\n"
        )
        again, _ = quiet_build(project)
        assert again.deps_cached is True
        assert again.health == "healthy"
    finally:
        engine.images.remove(report.image, force=True)


def image_files(engine, image: str) -> set[str]:
    """Every path in `image`'s filesystem, read from an exported (never started) container."""
    import tarfile

    container = engine.containers.create(image)
    try:
        stream = io.BytesIO(b"".join(container.export()))
    finally:
        container.remove(force=True)
    with tarfile.open(fileobj=stream) as archive:
        return {member.name.rstrip("/") for member in archive.getmembers()}


@dataclass(frozen=True)
class Compiled:
    fixture: str
    builder: str  # the stand-in the build stages start from
    runtime: str  # the final stage's image
    binary: str  # the program in /usr/local/bin
    edit: str  # a source file the cache test changes
    max_mb: float  # the image in all (scratch) or what it adds to Debian slim, from real builds
    #: files the program reads at run time, which the image must hold (under /app), and what an HTTP
    #: GET of a path answers with (a part of the body), through a port published on 127.0.0.1
    assets: tuple[str, ...] = ()
    pages: tuple[tuple[str, str], ...] = ()


COMPILED = [
    Compiled("go-api", "golang:1.24-trixie", "scratch", "api", "cmd/api/main.go", 12),
    Compiled("go-cgo", "golang:1.24-trixie", "debian:trixie-slim", "go-cgo", "main.go", 12),
    Compiled("rust-api", "rust:1.85-slim-trixie", "debian:trixie-slim", "rust-api", "src/greeting.rs", 4),
    # gin and its modules from the Go module proxy; templates/, static/ and config/ read at run time
    Compiled(
        "go-runtime-assets",
        "golang:1.25-trixie",
        "scratch",
        "web",
        "cmd/web/main.go",
        25,
        assets=("app/templates/index.html", "app/static/site.css", "app/config/site.json"),
        pages=(("/", "<h1>Runtime assets</h1>"), ("/static/site.css", "font-family")),
    ),
    # axum, tokio and tower-http from crates.io; templates/ read at start, static/ served
    Compiled(
        "rust-runtime-assets",
        "rust:1.85-slim-trixie",
        "debian:trixie-slim",
        "rust-runtime-assets",
        "src/page.rs",
        6,
        assets=("app/templates/index.html", "app/static/site.css"),
        pages=(("/", "<h1>Runtime assets</h1>"), ("/static/site.css", "font-family")),
    ),
]


def get_pages(engine, image: str, port: int, pages: tuple[tuple[str, str], ...]) -> None:
    """Run `image` with `port` published on 127.0.0.1 and check what each page answers."""
    import urllib.request

    container = engine.containers.run(
        image, detach=True, labels={"dockgen.test": "1"}, ports={f"{port}/tcp": ("127.0.0.1", None)}
    )
    try:
        container.reload()
        host_port = container.attrs["NetworkSettings"]["Ports"][f"{port}/tcp"][0]["HostPort"]
        for path, expected in pages:
            body = ""
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{host_port}{path}", timeout=2) as answer:
                        body = answer.read().decode()
                    break
                except OSError:
                    time.sleep(0.2)
            assert expected in body, (path, body[:300], container.logs()[-500:])
    finally:
        container.remove(force=True)


@pytest.mark.parametrize("case", COMPILED, ids=[c.fixture for c in COMPILED])
def test_compiled_fixture_builds_runs_and_is_healthy(
    case: Compiled, engine, standins, tmp_path: Path
) -> None:
    standins(case.builder, *([case.runtime] if case.runtime != "scratch" else []))
    project = copy_fixture(case.fixture, tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    report, output = quiet_build(project)
    try:
        assert "[build" in output and "[probe" in output
        assert report.health == "healthy", output
        assert report.base_image == case.runtime
        assert_gate_passed(report)
        config = engine.images.get(report.image).attrs["Config"]
        assert config["User"] == "10001:10001"
        assert config["Healthcheck"]["Test"][:2] == ["CMD", "/usr/local/bin/healthcheck"]
        files = image_files(engine, report.image)
        assert {f"usr/local/bin/{case.binary}", "usr/local/bin/healthcheck"} <= files
        toolchain = ("usr/local/go", "go/", "src/", "usr/local/cargo", "usr/local/rustup", "app/target")
        assert not {f for f in files if f.startswith(toolchain)}, "no toolchain or source"
        # the files read at run time are there, and nothing else of the repository
        assert set(case.assets) <= files
        assert not {f for f in files if f.startswith("app/") and f.endswith((".go", ".rs", ".mod", ".toml"))}
        if case.pages:
            env = dict(item.split("=", 1) for item in config["Env"])
            get_pages(
                engine,
                report.image,
                int(env["PORT"]),
                case.pages,
            )
        if case.runtime == "scratch":  # the binary, the probe, CA certificates, passwd/group and /tmp
            assert "etc/ssl/certs/ca-certificates.crt" in files
            assert not {f for f in files if f.startswith(("bin", "lib", "usr/bin", "usr/lib", "var"))}
            assert report.size_bytes / 1e6 <= case.max_mb, f"{report.size_bytes / 1e6:.1f} MB"
        else:
            assert report.base_size_bytes is not None
            assert (report.size_bytes - report.base_size_bytes) / 1e6 <= case.max_mb
        # a source-only change rebuilds the app alone: the module download (Go) stays cached
        source = project / case.edit
        source.write_text(source.read_text() + "\n// changed\n")
        again, _ = quiet_build(project)
        assert again.deps_cached is (True if case.builder.startswith("golang") else None)
        assert again.health == "healthy"
    finally:
        engine.images.remove(report.image, force=True)


JAVA = "java-spring-maven"


def test_spring_boot_with_maven_builds_for_real(engine, standins, tmp_path: Path) -> None:
    """Maven resolves Spring Boot from the Maven repository in the build; the JRE runs its layers."""
    standins("maven:3-eclipse-temurin-21-noble", "eclipse-temurin:21-jre-noble")
    project = copy_fixture(JAVA, tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    report, output = quiet_build(project)
    try:
        assert report.health == "healthy", output
        assert report.base_image == "eclipse-temurin:21-jre-noble"
        assert_gate_passed(report)
        config = engine.images.get(report.image).attrs["Config"]
        assert config["User"] == "10001:10001"
        assert config["Cmd"] == ["java", "org.springframework.boot.loader.launch.JarLauncher"]
        files = image_files(engine, report.image)
        # Spring Boot's layers: the dependencies' jars, the loader and the application's classes
        assert [f for f in files if f.startswith("app/BOOT-INF/lib/spring-boot-")]
        assert [f for f in files if f.startswith("app/BOOT-INF/classes/") and f.endswith(".class")]
        assert not [f for f in files if f.endswith(("/mvn", "/javac")) or "/.m2/" in f], "no JDK or Maven"
        assert not [f for f in files if f.startswith("app/src/")], "no source"
        # a source-only change keeps the dependency download
        source = next(project.glob("src/main/java/**/*.java"))
        source.write_text(source.read_text() + "\n// changed\n")
        again, _ = quiet_build(project)
        assert again.deps_cached is True and again.health == "healthy"
    finally:
        engine.images.remove(report.image, force=True)


STATIC_SITE = "static-vite-react"


def test_static_site_is_served_by_nginx(engine, standins, tmp_path: Path) -> None:
    standins("node:22-alpine", "nginxinc/nginx-unprivileged:stable-alpine-slim")
    project = copy_fixture(STATIC_SITE, tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    report, output = quiet_build(project)
    try:
        assert report.health == "healthy", output
        assert report.base_image == "nginxinc/nginx-unprivileged:stable-alpine-slim"
        assert_gate_passed(report)
        assert report.user == "101:101"
        files = image_files(engine, report.image)
        assert "usr/share/nginx/html/index.html" in files and "usr/share/nginx/html/favicon.svg" in files
        assert [f for f in files if f.startswith("usr/share/nginx/html/assets/") and f.endswith(".js")]
        assert not [f for f in files if f.endswith("/node") or "node_modules" in f], "no Node.js in the image"
        assert report.size_bytes - (report.base_size_bytes or 0) < 2_000_000, "only the built files are added"
        container = engine.containers.run(report.image, detach=True, read_only=True, tmpfs={"/tmp": ""})
        try:
            for _ in range(50):
                code, _out = container.exec_run(
                    ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
                )
                if code == 0:
                    break
                time.sleep(0.2)
            # a client-side route gets the app's index.html (single-page app fallback)
            code, page = container.exec_run(["wget", "-q", "-O-", "http://127.0.0.1:8080/about"])
            assert code == 0 and b'<div id="root">' in page
            # scripts are served gzip-compressed, and cached as immutable
            script = next(f for f in files if f.startswith("usr/share/nginx/html/assets/"))
            url = "http://127.0.0.1:8080/" + script.removeprefix("usr/share/nginx/html/")
            code, headers = container.exec_run(
                ["wget", "-q", "-S", "-O", "/dev/null", "--header=Accept-Encoding: gzip", url]
            )
            assert code == 0 and b"Content-Encoding: gzip" in headers and b"immutable" in headers
        finally:
            container.remove(force=True)
        # a source-only change keeps the dependency install
        source = project / "src" / "App.jsx"
        source.write_text(source.read_text() + "\n// changed\n")
        again, _ = quiet_build(project)
        assert again.deps_cached is True and again.health == "healthy"
    finally:
        engine.images.remove(report.image, force=True)


MONOREPO = "node-monorepo-pnpm"
NPM_MONOREPO = "node-monorepo-npm"
YARN_MONOREPO = "node-monorepo-yarn"
UV_WORKSPACE = "python-uv-workspace"
DJANGO_SQLITE = "python-django-sqlite"


@contextlib.contextmanager
def state_in_a_volume(engine, tmp_path: Path, fixture: str) -> Iterator[tuple[Path, BuildReport]]:
    """`dockgen init -y` and a build of an app that writes beside its code: healthy and gate-clean
    on a read-only root, because what it writes lives in /data, the image's only volume.

    Yields the project and the report; the image is removed afterwards.
    """
    project = copy_fixture(fixture, tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    report, output = quiet_build(project)
    try:
        # each fixture's health route writes to every place it keeps state: healthy means writable
        assert report.health == "healthy", output
        assert_gate_passed(report)
        read_only = next(c for c in report.security if c.name == "read-only root filesystem")
        assert read_only.ok is True, read_only  # the volume, not a writable root, made it work
        assert list(engine.images.get(report.image).attrs["Config"]["Volumes"]) == ["/data"]
        yield project, report
    finally:
        engine.images.remove(report.image, force=True)


def test_django_sqlite_and_uploads_live_in_a_volume(engine, standins, tmp_path: Path) -> None:
    """SQLite in BASE_DIR and MEDIA_ROOT: the app writes them as its own user, on a read-only root."""
    standins("python:3.13-slim-trixie")
    with state_in_a_volume(engine, tmp_path, DJANGO_SQLITE) as (project, report):
        links = "readlink /app/db.sqlite3 /app/media; stat -c '%u %n' /data /data/media/welcome.txt"
        assert shell(engine, report.image, links).split("\n") == [
            "/data/db.sqlite3",
            "/data/media",
            "10001 /data",
            "10001 /data/media/welcome.txt",  # what the repository ships in media/ is kept
        ]
        # the local database stays out of the image (.dockerignore); the app's code stays root's
        assert shell(engine, report.image, "test -e /data/db.sqlite3 && echo present; stat -c %u /app") == "0"
        source_change_keeps_the_install(project, "guestbook/views.py")


NODE_WRITABLE = "node-express-writable"


def test_node_data_uploads_and_logs_live_in_a_volume(engine, standins, tmp_path: Path) -> None:
    """mkdirSync("./data"), multer's uploads/ and a log in logs/: written as `node`, on a read-only root."""
    standins("node:22-alpine", "alpine:3")
    with state_in_a_volume(engine, tmp_path, NODE_WRITABLE) as (_, report):
        links = (
            # (busybox's readlink takes one path at a time)
            "for p in data logs uploads; do readlink /app/$p; done; "
            "stat -c '%u %n' /data/uploads/welcome.txt /app/src"
        )
        assert shell(engine, report.image, links).split("\n") == [
            "/data/data",
            "/data/logs",
            "/data/uploads",
            "1000 /data/uploads/welcome.txt",  # what the repository ships in uploads/ is kept
            "0 /app/src",  # the app's code stays root's
        ]


@contextlib.contextmanager
def workspace_app(engine, tmp_path: Path, fixture: str) -> Iterator[tuple[Path, BuildReport, set[str]]]:
    """`dockgen init --path apps/api` on a monorepo fixture, built: healthy and through the gate.

    Yields the project, the report and the image's files; the image is removed afterwards.
    """
    project = copy_fixture(fixture, tmp_path)
    # husky at the root, as most monorepos have it (not even installed here): every workspace
    # install runs the root's prepare, and the image must not
    node = (project / "package.json").is_file()
    if node:
        manifest = json.loads((project / "package.json").read_text())
        manifest["scripts"] = {**manifest.get("scripts", {}), "prepare": "husky"}
        (project / "package.json").write_text(json.dumps(manifest, indent=2))
    assert main(["init", str(project), "-y", "--no-build", "--path", "apps/api"]) == 0
    answers = (project / ".copier-answers.yml").read_text()
    assert not node or "skip_scripts:\n- prepare\n" in answers, answers
    report, output = quiet_build(project)
    try:
        assert report.health == "healthy", output
        assert_gate_passed(report)
        yield project, report, image_files(engine, report.image)
    finally:
        engine.images.remove(report.image, force=True)


def source_change_keeps_the_install(project: Path, source: str) -> None:
    """After a one-line change to `source`, the rebuild takes the dependency install from the cache."""
    path = project / source
    path.write_text(path.read_text() + ("\n# changed\n" if path.suffix == ".py" else "\n// changed\n"))
    again, _ = quiet_build(project)
    assert again.deps_cached is True and again.health == "healthy"


def test_one_app_of_a_pnpm_workspace(engine, standins, tmp_path: Path) -> None:
    """`--path apps/api`: the root is the build context; the image holds that app alone."""
    standins("node:22-alpine", "alpine:3")
    with workspace_app(engine, tmp_path, MONOREPO) as (project, report, files):
        # pnpm's layout: node_modules/<name> links into node_modules/.pnpm, all inside /app
        assert "app/src/server.js" in files and "app/node_modules/fastify" in files
        assert [f for f in files if f.startswith("app/node_modules/.pnpm/fastify@")]
        # the workspace package it uses is copied in, and nothing else of the repository is there
        assert [f for f in files if f.startswith("app/node_modules/") and f.endswith("greeting/index.js")]
        assert not [f for f in files if f.startswith(("app/apps/", "app/packages/")) or "/prettier@" in f]
        assert app_added_mb(report) < 15
        source_change_keeps_the_install(project, "apps/api/src/server.js")


def test_one_app_of_an_npm_workspace(engine, standins, tmp_path: Path) -> None:
    """npm has no deploy: the app's production tree, the packages it uses (built) and the app."""
    standins("node:22-alpine", "alpine:3")
    with workspace_app(engine, tmp_path, NPM_MONOREPO) as (project, report, files):
        # the TypeScript package was compiled by the root's typescript, which stays out of the image
        assert "app/packages/greeting/dist/index.js" in files and "app/apps/api/src/server.js" in files
        assert "app/node_modules/express/package.json" in files
        assert not [f for f in files if f.startswith("app/node_modules/typescript/")]
        # the other app, its dependencies and the unused package are not there
        assert not [
            f for f in files if f.startswith(("app/apps/admin/index.js", "app/packages/unused/index"))
        ]
        assert not [f for f in files if f.startswith(("app/node_modules/koa/", "app/node_modules/left-pad/"))]
        assert app_added_mb(report) < 15
        container = engine.containers.run(report.image, detach=True, labels={"dockgen.test": "1"})
        try:
            for _ in range(50):
                code, body = container.exec_run(["wget", "-qO-", "http://127.0.0.1:3000/hello/ada"])
                if code == 0:
                    break
                time.sleep(0.2)
            assert code == 0 and b"Hello, ada!" in body  # the compiled workspace package answers
        finally:
            container.remove(force=True)
        source_change_keeps_the_install(project, "apps/api/src/server.js")


def test_one_app_of_a_yarn_workspace(engine, standins, tmp_path: Path) -> None:
    """Yarn 4: `workspaces focus --production` in the app's folder; greeting is built (dist/ is in
    .gitignore) and uses format, so both are copied; the other app's code is not."""
    standins("node:22-alpine", "alpine:3")
    with workspace_app(engine, tmp_path, YARN_MONOREPO) as (_project, report, files):
        assert "app/packages/greeting/dist/index.js" in files and "app/packages/format/index.js" in files
        assert "app/apps/api/src/server.js" in files and "app/apps/jobs/index.js" not in files
        greet = "cd /app/apps/api && node -p \"require('@shop/greeting').greet('ada')\""
        assert shell(engine, report.image, greet) == "Hello, ada!"


def test_one_member_of_a_uv_workspace(engine, standins, tmp_path: Path) -> None:
    """`--path apps/api`: the venv holds the workspace package it uses (built, not editable), and
    the image holds that member's code alone."""
    standins("python:3.13-slim-trixie")
    with workspace_app(engine, tmp_path, UV_WORKSPACE) as (project, report, files):
        assert (
            "app/main.py" in files and "opt/venv/lib/python3.13/site-packages/greeting/__init__.py" in files
        )
        assert not [f for f in files if f.startswith(("app/apps/", "app/packages/", "app/worker"))]
        script = "cd /tmp && python -c \"import greeting; print(greeting.greet('ada'), greeting.__file__)\""
        assert shell(engine, report.image, f"PATH=/opt/venv/bin:$PATH {script}") == (
            "Hello, ada! /opt/venv/lib/python3.13/site-packages/greeting/__init__.py"
        )
        source_change_keeps_the_install(project, "apps/api/main.py")


# ---- failure modes -------------------------------------------------------------------------------
def tiny_app(root: Path, server: str) -> Path:
    """A dependency-free Node.js app; `server` is its server.js (it declares /health)."""
    return make_tree(
        root,
        {
            "package.json": {"name": "tiny", "version": "1.0.0", "scripts": {"start": "node server.js"}},
            "server.js": server,
        },
    )


HEALTHY = (
    "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000); // '/health'\n"
)


def test_build_failure_names_the_step_and_shows_its_output(engine, standins, tmp_path: Path, capsys) -> None:
    standins("node:22-trixie-slim")
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    manifest = json.loads((project / "package.json").read_text())
    manifest["dependencies"]["left-pad"] = "^1.3.0"  # not in the lockfile: `npm ci` refuses
    (project / "package.json").write_text(json.dumps(manifest))
    capsys.readouterr()
    assert main(["build", str(project)]) == 1
    err = capsys.readouterr().err
    assert "dockgen: error: build failed at [prod-deps 2/2] RUN" in err and "(exit code 1)" in err
    assert "npm error" in err  # the failing step's own output


def test_npmrc_install_settings_reach_a_build_without_the_file(engine, standins, tmp_path: Path) -> None:
    """legacy-peer-deps=true comes from the Dockerfile, not from .npmrc: `dockgen build` mounts a
    project's .npmrc as the npmrc secret, but a plain `docker build` in CI has none."""
    standins("node:26-alpine", "alpine:3")
    project = copy_fixture("node-legacy-peer-deps", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert "ENV npm_config_legacy_peer_deps=true" in (project / "Dockerfile").read_text()
    (project / ".npmrc").unlink()  # react-dom 17 beside react 18: ERESOLVE without the setting
    report = build(project)
    assert report.health == "healthy"


def interruptible() -> None:
    """In the child: Ctrl-C as in a terminal. A shell that starts the suite in the background
    (`cmd &` without job control) makes SIGINT ignored, and children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def no_test_containers(engine) -> bool:
    return not engine.containers.list(all=True, filters={"label": "dockgen.test"})


def server_images(fixture: str) -> list[str]:
    """The images of the servers a fixture's golden compose.yaml runs beside the app."""
    golden = FIXTURES / fixture / "expected" / "compose.yaml"
    if not golden.is_file():
        return []
    services = yaml.safe_load(golden.read_text())["services"]
    return [s["image"] for name, s in services.items() if name != "app"]


def test_builds_leave_nothing_behind(engine) -> None:
    """No container, network or volume of an earlier test build is left (in file order, after most)."""
    assert engine.containers.list(all=True, filters={"label": "dockgen.test"}) == []
    assert engine.networks.list(filters={"label": "dockgen.test"}) == []
    assert engine.volumes.list(filters={"label": "dockgen.test"}) == []


#: Apps that cannot start without their servers: `dockgen init -y && dockgen build` runs them
#: beside the app from compose.yaml, and the app becomes healthy against them.
SERVICES = {
    # exits at start without DATABASE_URL or JWT_SECRET (a secret with no safe value: throwaway)
    "node-express-pg": ("node:22-alpine", ["postgres"]),
    # dj-database-url; `/` writes and reads a table
    "python-django-postgres": ("python:3.13-slim-trixie", ["postgres"]),
    # reads REDIS_URL at import; `/` pings Redis and counts in it
    "python-flask-rq": ("python:3.13-slim-trixie", ["redis"]),
}


def _engine_objects(engine) -> tuple[set[str], set[str], set[str]]:
    return (
        {c.id for c in engine.containers.list(all=True)},
        {n.id for n in engine.networks.list()},
        {v.name for v in engine.volumes.list()},
    )


@pytest.mark.parametrize("fixture", list(SERVICES))
def test_app_is_healthy_beside_its_servers(fixture: str, engine, standins, tmp_path: Path) -> None:
    base, servers = SERVICES[fixture]
    standins(base, *server_images(fixture))
    project = copy_fixture(fixture, tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    assert sorted(compose["services"]) == sorted(["app", *servers])
    before = _engine_objects(engine)
    report, output = quiet_build(project)
    try:
        assert report.health == "healthy", output
        assert [(s.name, s.health) for s in report.servers] == [(s, "healthy") for s in servers], output
        assert_gate_passed(report)
        assert report.to_json()["services"][0]["name"] == servers[0]
        # every container, network and volume the run made is gone
        assert _engine_objects(engine) == before, output
    finally:
        engine.images.remove(report.image, force=True)


def test_app_alone_names_its_server(engine, standins, tmp_path: Path) -> None:
    """--no-services: the app exits without its database, and the message says which server it needs."""
    standins("node:22-alpine", "alpine:3")
    project = copy_fixture("node-express-pg", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    with pytest.raises(UnhealthyError, match="exited with code 1"):
        quiet_build(project, alone=True, remove_image=True)


def test_a_server_that_never_gets_healthy_fails_the_build_and_is_removed(
    engine, standins, tmp_path: Path
) -> None:
    """A broken server is reported by name, with its log, before the app starts; nothing is left."""
    standins("node:22-alpine", "postgres:17")
    project = copy_fixture("node-express-pg", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    compose = project / "compose.yaml"
    # the official image's contract: without POSTGRES_PASSWORD the server refuses to start
    compose.write_text(compose.read_text().replace("      POSTGRES_PASSWORD:", "      UNUSED_PASSWORD:"))
    before = _engine_objects(engine)
    out = io.StringIO()
    with pytest.raises(UnhealthyError, match=r"postgres \(postgres:17\), which the app needs, is exited"):
        build(project, out=out, live=False, timeout=60, remove_image=True)
    assert "postgres's log" in out.getvalue()
    assert _engine_objects(engine) == before


@pytest.fixture(autouse=True)
def _no_stray_test_containers(request):
    """A test that failed midway must not leave its container to the next one's assertions."""
    yield
    if "engine" in request.fixturenames:
        engine = request.getfixturevalue("engine")
        for container in engine.containers.list(all=True, filters={"label": "dockgen.test"}):
            container.remove(force=True)


@pytest.mark.parametrize(
    ("server", "args", "message"),
    [
        (
            "require('http').createServer((q, s) => { s.statusCode = 500; s.end(); }).listen(process.env.PORT); // '/health'",
            [],
            "unhealthy",
        ),
        (
            "setInterval(() => {}, 1000); // '/health' never served",
            ["--timeout", "5"],
            "not healthy after 5s",
        ),
        ("console.log('bye'); process.exit(3); // '/health'", [], "exited with code 3"),
    ],
    ids=["unhealthy", "timeout", "exited"],
)
def test_unhealthy_container_fails_with_logs_and_is_removed(
    engine, standins, tmp_path: Path, capsys, server: str, args: list[str], message: str
) -> None:
    standins("node:26-alpine")
    project = tiny_app(tmp_path / "tiny", server)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    capsys.readouterr()
    assert main(["build", str(project), "--rm-image", *args]) == 1
    err = capsys.readouterr().err
    assert message in err.strip().splitlines()[-1]
    assert "last 40 lines of the container's log" in err
    assert no_test_containers(engine)
    with pytest.raises(docker.errors.ImageNotFound):
        engine.images.get("dockgen/tiny:test")


def test_json_report_and_keep(engine, standins, tmp_path: Path, capsys) -> None:
    standins("node:26-alpine", "alpine:3")
    # it stops on SIGTERM: with --keep the gate checks that on a second container, not skipping it
    project = tiny_app(tmp_path / "tiny", "process.on('SIGTERM', () => process.exit(0)); " + HEALTHY)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    capsys.readouterr()
    assert main(["build", str(project), "--json", "--keep"]) == 0
    report = json.loads(capsys.readouterr().out)  # one object; the progress went to stderr
    for key in (
        "image",
        "size_bytes",
        "build_seconds",
        "health",
        "seconds_to_healthy",
        "user",
        "base_image",
        "layers",
        "deps_cached",
    ):
        assert key in report
    assert (
        report["health"] == "healthy"
        and report["user"] == "1000:1000"
        and report["base_image"] == "alpine:3"  # the node binary on Alpine (ADR 13)
    )
    assert all(set(layer) == {"created_by", "size_bytes"} for layer in report["layers"])
    kept = engine.containers.list(filters={"label": "dockgen.test"})
    assert len(kept) == 1  # --keep leaves the healthy container running
    ports = kept[0].attrs["NetworkSettings"]["Ports"]["3000/tcp"]
    assert ports and all(p["HostIp"] == "127.0.0.1" for p in ports)  # published on loopback only
    kept[0].remove(force=True)
    engine.images.remove(report["image"], force=True)


def test_classic_builder_fallback_for_a_dockerfile_without_buildkit_syntax(
    engine, standins, tmp_path: Path, monkeypatch
) -> None:
    from test_buildkit import fake_docker

    standins("node:26-alpine")
    project = tiny_app(tmp_path / "plain", HEALTHY)
    (project / "Dockerfile").write_text(
        "FROM node:26-alpine\nWORKDIR /app\nCOPY server.js ./\nENV PORT=3000\nEXPOSE 3000\nUSER 1000:1000\n"
        'HEALTHCHECK CMD ["node", "-e", "fetch(\'http://127.0.0.1:3000/\').then(() => process.exit(0), () => process.exit(1))"]\n'
        'CMD ["node", "server.js"]\n'
    )
    fake_docker(tmp_path / "bin", buildx=False, version="28.2.2")  # a client without BuildKit
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    report, out = quiet_build(project, remove_image=True)
    assert "classic builder" in out and report.builder == "classic"
    assert "[classic 3/8] COPY server.js ./" in out  # its steps are shown too
    assert report.health == "healthy"


def test_ctrl_c_removes_the_test_container(engine, standins, tmp_path: Path) -> None:
    standins("node:26-alpine")
    project = tiny_app(tmp_path / "tiny", "setInterval(() => {}, 1000); // '/health'\n")
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "dockgen", "build", str(project), "--timeout", "300"], preexec_fn=interruptible
    )
    deadline = time.monotonic() + 240
    while no_test_containers(engine):
        assert process.poll() is None and time.monotonic() < deadline, "no test container appeared"
        time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert no_test_containers(engine)
    engine.images.remove("dockgen/tiny:test", force=True)


# ---- security gate and hardened test run ---------------------------------------------------------
CANARY = "CANARY-5d1f0e-not-a-real-token"


def test_secrets_never_reach_the_image(engine, standins, tmp_path: Path) -> None:
    """.env and a token .npmrc in the repository; the token is needed at install time (a secret)."""
    standins("node:22-trixie-slim")
    project = copy_fixture("node-express-bcrypt", tmp_path)
    (project / ".env").write_text(f"API_KEY={CANARY}\n")
    (project / ".npmrc").write_text(f"//registry.example/:_authToken={CANARY}\n")
    (project / "config").mkdir()
    (project / "config" / "server.key").write_text(f"-----BEGIN PRIVATE KEY-----\n{CANARY}\n")
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    for generated in ("Dockerfile", ".dockerignore", ".copier-answers.yml"):
        assert CANARY not in (project / generated).read_text()
    report, log = quiet_build(project)  # the project's .npmrc is passed as the npmrc secret
    try:
        assert CANARY not in log
        assert_gate_passed(report)
        archive = b"".join(engine.images.get(report.image).save(named=False))
        assert CANARY.encode() not in archive  # in no layer, no config, no history
        assert CANARY not in json.dumps(engine.api.history(report.image))
    finally:
        engine.images.remove(report.image, force=True)


def test_corporate_ca_is_a_build_secret(engine, standins, tmp_path: Path) -> None:
    standins("node:22-trixie-slim")
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build", "--set", "corporate_ca=true"]) == 0
    bundle = "/etc/ssl/certs/ca-certificates.crt"
    report, _ = quiet_build(project, secrets=[f"id=ca,src={bundle}"])
    try:
        assert report.health == "healthy"
        env = engine.images.get(report.image).attrs["Config"]["Env"]
        assert not any("/run/secrets" in variable for variable in env)  # build stages only
    finally:
        engine.images.remove(report.image, force=True)


def test_the_gate_fails_an_image_that_runs_as_root_or_ignores_sigterm(
    engine, standins, tmp_path: Path, capsys
) -> None:
    standins("node:26-alpine")
    project = tiny_app(tmp_path / "rooty", "process.on('SIGTERM', () => {}); " + HEALTHY)
    (project / "Dockerfile").write_text(
        "FROM node:26-alpine\nWORKDIR /app\nCOPY server.js ./\nENV PORT=3000\nEXPOSE 3000\n"
        'HEALTHCHECK CMD ["node", "-e", "fetch(\'http://127.0.0.1:3000/\').then(() => process.exit(0), () => process.exit(1))"]\n'
        'CMD ["node", "server.js"]\n'
    )
    capsys.readouterr()
    assert main(["build", str(project), "--rm-image"]) == 1
    captured = capsys.readouterr()
    assert "FAIL  non-root user: runs as root (no USER)" in captured.out
    assert "FAIL  stops on SIGTERM" in captured.out
    assert "security gate" in captured.err.strip().splitlines()[-1]
    assert no_test_containers(engine)


def test_the_gate_fails_an_app_that_listens_on_localhost_only(
    engine, standins, tmp_path: Path, capsys
) -> None:
    """Its health check passes inside the container, but nothing outside can reach it (issue 12)."""
    standins("node:26-alpine")
    server = "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT, '127.0.0.1');\n"
    project = tiny_app(tmp_path / "loopback", server + "// '/health'\n")
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    capsys.readouterr()
    assert main(["build", str(project), "--rm-image"]) == 1
    captured = capsys.readouterr()
    assert "FAIL  answers outside the container" in captured.out
    assert "make it listen on 0.0.0.0" in captured.out
    assert "ok    stops on SIGTERM" in captured.out  # tini: the app has no handler
    assert no_test_containers(engine)


def test_the_test_container_is_hardened(engine, standins, tmp_path: Path) -> None:
    standins("node:26-alpine")
    project = tiny_app(tmp_path / "tiny", HEALTHY)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    report, _ = quiet_build(project, keep=True)
    [container] = engine.containers.list(filters={"label": "dockgen.test"})
    host = container.attrs["HostConfig"]
    try:
        assert host["CapDrop"] == ["ALL"] and "no-new-privileges" in host["SecurityOpt"]
        assert host["ReadonlyRootfs"] is True and "/tmp" in host["Tmpfs"]
        assert host["PidsLimit"] == 512
        assert not any("docker.sock" in str(m.get("Source")) for m in container.attrs["Mounts"])
        assert all(b["HostIp"] == "127.0.0.1" for b in host["PortBindings"]["3000/tcp"])
    finally:
        container.remove(force=True)
        engine.images.remove(report.image, force=True)


def test_leftover_test_containers_are_reaped(engine, standins, tmp_path: Path) -> None:
    standins("node:26-alpine")
    stale = engine.containers.create("node:26-alpine", ["true"], labels={"dockgen.test": "1"})
    # a concurrent run's container (its owner, this test's process, is alive) is left alone
    busy = engine.containers.create(
        "node:26-alpine",
        ["true"],
        labels={"dockgen.test": "1", "dockgen.test.owner": f"{socket.gethostname()}:{os.getpid()}"},
    )
    try:
        project = tiny_app(tmp_path / "tiny", HEALTHY)
        assert main(["init", str(project), "-y", "--no-build"]) == 0
        _, log = quiet_build(project, remove_image=True)
        assert f"Removed a leftover test container ({stale.name})" in log
        with pytest.raises(docker.errors.NotFound):
            engine.containers.get(stale.id)
        assert engine.containers.get(busy.id).status == "created"
    finally:
        with contextlib.suppress(docker.errors.NotFound):
            busy.remove(force=True)


def test_ctrl_c_during_the_build(engine, standins, tmp_path: Path) -> None:
    standins("node:26-alpine")
    project = tiny_app(tmp_path / "slow", HEALTHY)
    with contextlib.suppress(docker.errors.ImageNotFound):  # an earlier run's image would hide a leak
        engine.images.remove("dockgen/slow:test", force=True)
    token = uuid.uuid4().hex  # a step no earlier build cached
    (project / "Dockerfile").write_text(
        f"FROM node:26-alpine\nRUN --mount=type=cache,target=/x : {token} && sleep 120\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "dockgen", "build", str(project)],
        preexec_fn=interruptible,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # wait until the slow step runs
        if "sleep 120" in line:
            break
    time.sleep(1)  # the step runs silently now: a client left running would never hit a closed pipe
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130 and time.monotonic() - started < 30
    assert no_test_containers(engine)
    # the docker client dockgen ran was stopped too, not left to finish the build and tag the image
    assert not processes_naming(str(project))
    with pytest.raises(docker.errors.ImageNotFound):
        engine.images.get("dockgen/slow:test")


def processes_naming(text: str) -> list[int]:
    """The pids of running processes whose command line contains `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


def test_the_gate_catches_a_bad_image(engine, standins, tmp_path: Path) -> None:
    """A real image with one of each thing the gate looks for; every required check fails on it."""
    from dockgen.build._run import _stop_check
    from dockgen.build._security import config_checks, failures, layer_checks, lint_check

    standins("debian:trixie-slim")
    project = make_tree(
        tmp_path / "bad",
        {
            ".env": "API_KEY=not-a-real-key\n",
            "Dockerfile": (
                "FROM debian:trixie-slim\n"
                "RUN mkdir -p /root/.npm/_cacache /app && echo x > /root/.npm/_cacache/index-v5 \\\n"
                "  && cp /bin/true /usr/bin/gcc && cp /bin/true /usr/local/bin/helper \\\n"
                "  && chmod 4755 /usr/local/bin/helper\n"
                "COPY .env /app/.env\n"
                "ENV API_TOKEN=not-a-real-token\n"
                "WORKDIR /app\n"
                'CMD ["sleep", "infinity"]\n'
            ),
        },
    )
    tag = f"dockgen-test/bad-{uuid.uuid4().hex[:8]}:test"
    image, _ = engine.images.build(path=str(project), tag=tag, rm=True)
    base_layers = len(engine.images.get("debian:trixie-slim").attrs["RootFS"]["Layers"])
    container = engine.containers.run(image.id, detach=True, labels={"dockgen.test": "1"})
    try:
        found = [
            lint_check(project / "Dockerfile"),
            *config_checks(image.attrs),
            *layer_checks(image, base_layers),
            _stop_check(container),  # sleep as PID 1 ignores SIGTERM
        ]
    finally:
        container.remove(force=True)
        engine.images.remove(tag, force=True)
    by_name = {c.name: c for c in found}
    assert {c.name for c in failures(found)} == set(GATE), found
    assert "DL3057" in by_name["hadolint clean"].detail  # no HEALTHCHECK
    assert "root" in by_name["non-root user"].detail
    assert "API_TOKEN" in by_name["no secrets in ENV"].detail
    assert "usr/bin/gcc" in by_name["no compiler"].detail
    assert "/root/.npm/_cacache" in by_name["no package cache"].detail
    assert "app/.env" in by_name["no secret files"].detail
    assert "usr/local/bin/helper" in by_name["no setuid added"].detail
    assert "kill" in by_name["stops on SIGTERM"].detail


def test_keep_still_checks_sigterm_on_a_second_container(engine, standins, tmp_path: Path, capsys) -> None:
    """--keep leaves the healthy container up; the gate must not pass an app that ignores SIGTERM."""
    standins("node:26-alpine")
    # tini passes SIGTERM on; a handler that does nothing with it keeps the app up until the kill
    project = tiny_app(tmp_path / "tiny", "process.on('SIGTERM', () => {});\n" + HEALTHY)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    capsys.readouterr()
    try:
        assert main(["build", str(project), "--keep"]) == 1
        captured = capsys.readouterr()
        assert "FAIL  stops on SIGTERM: docker stop had to kill it" in captured.out
        assert len(engine.containers.list(filters={"label": "dockgen.test"})) == 1  # only the kept one
    finally:
        for container in engine.containers.list(all=True, filters={"label": "dockgen.test"}):
            container.remove(force=True)


def test_init_exits_1_when_the_test_build_is_not_healthy(engine, standins, tmp_path: Path, capsys) -> None:
    standins("node:26-alpine")
    project = tiny_app(tmp_path / "crashy", "console.error('boom: no DATABASE_URL'); process.exit(3);\n")
    assert main(["init", str(project), "-y", "--rm-image"]) == 1
    captured = capsys.readouterr()
    assert (project / "Dockerfile").is_file()  # written before the test build, and kept
    assert "exited with code 3" in captured.err.strip().splitlines()[-1]
    assert "boom: no DATABASE_URL" in captured.err
    assert no_test_containers(engine)


def test_init_exits_1_when_the_build_fails(engine, standins, tmp_path: Path, capsys) -> None:
    standins("node:26-alpine")
    project = tiny_app(tmp_path / "broken", HEALTHY)
    manifest = json.loads((project / "package.json").read_text())
    manifest["scripts"]["build"] = 'node -e "process.exit(7)"'
    (project / "package.json").write_text(json.dumps(manifest))
    assert main(["init", str(project), "-y"]) == 1
    assert "build failed at" in capsys.readouterr().err.strip().splitlines()[-1]


def test_an_app_that_writes_outside_tmp_is_retried_with_a_writable_filesystem(
    engine, standins, tmp_path: Path, capsys
) -> None:
    """Read-only first; an app that must write elsewhere gets a second, writable run and a note."""
    standins("node:26-alpine")
    server = (
        "require('fs').writeFileSync('/data/started', 'yes');\n"  # EROFS on a read-only root
        "process.on('SIGTERM', () => process.exit(0));\n" + HEALTHY
    )
    project = tiny_app(tmp_path / "writer", server)
    (project / "Dockerfile").write_text(
        "FROM node:26-alpine\nWORKDIR /app\nRUN mkdir /data && chown 1000:1000 /data\nCOPY server.js ./\n"
        "ENV PORT=3000\nEXPOSE 3000\nUSER 1000:1000\n"
        'HEALTHCHECK CMD ["node", "-e", "fetch(\'http://127.0.0.1:3000/\').then(() => process.exit(0), () => process.exit(1))"]\n'
        'CMD ["node", "server.js"]\n'
    )
    capsys.readouterr()
    report, log = quiet_build(project, remove_image=True)
    assert "Not healthy with a read-only root filesystem; trying again with a writable one" in log
    assert report.health == "healthy"
    note = next(c for c in report.security if c.name == "read-only root filesystem")
    assert note.ok is False and not note.required and "write outside /tmp" in note.detail
    assert "read-only root filesystem" not in {c.name for c in report.failed_checks()}
    assert no_test_containers(engine)


@pytest.mark.parametrize("server", ["postgres", "mysql", "redis"])
def test_each_servers_compose_entry_gets_healthy_on_the_engine(server: str, engine, standins) -> None:
    """The rendered entry (image, environment, health check, volume) of each server dockgen runs,
    started as the test build starts it: healthy, then gone. MongoDB has no stand-in (README)."""
    from dockgen._render import render
    from dockgen._stack import started

    answers = {"kind": "node", "package_manager": "npm", "runtime_version": "22", "port": 3000}
    compose = yaml.safe_load(
        render({**answers, "start_command": ["node", "s.js"], "services": [server]})["compose.yaml"]
    )
    image = compose["services"][server]["image"]
    standins(image)
    before = _engine_objects(engine)
    out = io.StringIO()
    with started(engine, compose, {"dockgen.test": "1"}, out, timeout=120) as stack:
        assert [(s.name, s.health) for s in stack.servers] == [(server, "healthy")], out.getvalue()
        url = next(iter(stack.environment.values()))
        assert f"@{server}:" in url or url.startswith(f"redis://{server}:"), url
    assert _engine_objects(engine) == before
