"""The three Dockerfiles compared: dockgen's, the naive one, and @flydotio/dockerfile's.

Each generator writes into its own copy of the app, as a user would run it in a fresh checkout.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.engine import LABEL, BenchError, Engine
from bench.standins import ensure_fly_base, ensure_full, ensure_standin, slim

#: The @flydotio/dockerfile release compared against, fetched from the npm registry at bench time.
FLY_VERSION = "0.7.10"

GENERATORS = ("dockgen", "naive", "fly")


@dataclass(frozen=True, slots=True)
class App:
    """What dockgen detected about an app (from the answers file `dockgen init` recorded)."""

    name: str
    answers: dict[str, Any]

    @property
    def kind(self) -> str:
        """`node` or `python`."""
        return str(self.answers["kind"])

    @property
    def port(self) -> int:
        """The port the app listens on."""
        return int(self.answers["port"])

    @property
    def health_path(self) -> str:
        """The route a health probe asks."""
        return str(self.answers.get("health_path") or "/")


def dockgen(workdir: Path, engine: Engine) -> App:
    """`dockgen init -y --no-build` in `workdir`; the app as dockgen sees it."""
    result = subprocess.run(
        [sys.executable, "-m", "dockgen", "init", str(workdir), "-y", "--no-build"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"dockgen init failed: {result.stderr.strip()}")
    answers = yaml.safe_load((workdir / ".copier-answers.yml").read_text())
    app = App(workdir.parent.name, {k: v for k, v in answers.items() if not k.startswith("_")})
    version = str(app.answers["runtime_version"])
    base = f"node:{version}-alpine" if app.kind == "node" and app.answers.get("base") == "alpine" else None
    ensure_standin(engine, base or slim(app.kind, version))
    return app


def naive(workdir: Path, app: App, engine: Engine) -> None:
    """The Dockerfile of the blog post that motivates dockgen: one stage, the full image, no .dockerignore."""
    version = str(app.answers["runtime_version"])
    base = ensure_full(engine, app.kind, version)
    pm = str(app.answers["package_manager"])
    manifest = json.loads((workdir / "package.json").read_text()) if app.kind == "node" else {}
    lines = [f"FROM {base}", "WORKDIR /app", "COPY . ."]
    if app.kind == "node":
        if pm != "npm":
            pin = app.answers.get("package_manager_version") or "latest"
            lines.append(f"RUN npm install --global {'--force ' if pm == 'yarn' else ''}{pm}@{pin}")
        lines.append(f"RUN {pm} install")
        if app.answers.get("build_command"):
            lines.append(f"RUN {pm} run build")
        start = ["npm", "start"] if "start" in manifest.get("scripts", {}) else app.answers["start_command"]
    else:
        installs = {
            "pip": "pip install -r requirements.txt",
            "poetry": "pip install poetry && poetry install",
            "uv": "pip install uv && uv sync",
            "pdm": "pip install pdm && pdm install",
            "pipenv": "pip install pipenv && pipenv install --system --deploy",
        }
        lines.append(f"RUN {installs[pm]}")
        start = app.answers["start_command"]
    lines += [f"EXPOSE {app.port}", f"CMD {json.dumps(start)}"]
    (workdir / "Dockerfile").write_text("\n".join(lines) + "\n")


def fly(workdir: Path, app: App, engine: Engine) -> None:
    """`npx @flydotio/dockerfile` (pinned, non-interactive), run in the slim stand-in like a user's Node."""
    if app.kind != "node":
        raise BenchError("@flydotio/dockerfile generates for Node.js apps only")
    major = str(app.answers["runtime_version"])
    image = slim("node", major)
    ensure_standin(engine, image)
    environment = {"npm_config_update_notifier": "false", "npm_config_fund": "false"}
    registry = os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY")  # noqa: SIM112
    if registry:  # the registry this machine is configured for, never a hard-coded one
        environment["npm_config_registry"] = registry
    try:
        output = engine.client.containers.run(
            image,
            ["npx", "--yes", f"@flydotio/dockerfile@{FLY_VERSION}", "--force"],
            working_dir="/app",
            volumes={str(workdir): {"bind": "/app", "mode": "rw"}},
            environment=environment,
            labels={LABEL: "1"},
            remove=True,
            stderr=True,
        )
    except Exception as error:  # docker-py's ContainerError carries the output
        raise BenchError(f"@flydotio/dockerfile failed: {str(error)[-300:]}") from error
    dockerfile = workdir / "Dockerfile"
    if not dockerfile.is_file():
        raise BenchError(
            f"@flydotio/dockerfile wrote no Dockerfile: {output.decode(errors='replace')[-300:]}"
        )
    text = dockerfile.read_text()
    # `# syntax = docker/dockerfile:1` makes BuildKit pull its frontend image; no registry is reachable,
    # and the engine's built-in frontend reads everything fly writes for these apps.
    text = re.sub(r"\A#\s*syntax\s*=.*\n", "", text)
    dockerfile.write_text(text)
    version = re.search(r"^ARG NODE_VERSION=(\S+)", text, re.MULTILINE)
    if version:
        ensure_fly_base(engine, major, version[1])


def edit_source(workdir: Path, app: App, number: int) -> Path:
    """Change one line of application source (a comment appended to the entry file)."""
    entry = _entry_file(workdir, app)
    comment = "#" if entry.suffix == ".py" else "//"
    with entry.open("a") as stream:
        stream.write(f"\n{comment} bench edit {number}\n")
    return entry


def _entry_file(workdir: Path, app: App) -> Path:
    """The source file the app starts from, else its first source file."""
    words = [w for w in app.answers.get("start_command") or [] if isinstance(w, str)]
    for word in words:
        for candidate in (word, f"{word.split(':')[0].replace('.', '/')}.py"):
            path = workdir / candidate
            if path.is_file() and path.suffix in {".js", ".mjs", ".cjs", ".ts", ".py"}:
                return path
    suffixes = {".py"} if app.kind == "python" else {".ts", ".tsx", ".js", ".mjs", ".jsx"}
    skip = {"node_modules", ".git", ".venv", "dist", ".next", "build"}
    for path in sorted(workdir.rglob("*")):
        wanted = path.suffix in suffixes and "config" not in path.name and "test" not in path.name
        if wanted and path.is_file() and not skip & set(path.relative_to(workdir).parts):
            return path
    raise BenchError(f"no source file to edit in {shlex.quote(str(workdir))}")
