"""Building with BuildKit through a docker client, and reading its plain progress output.

The Docker SDK cannot build with BuildKit (docker/docker-py#2230), and generated Dockerfiles use
cache mounts, which need it. So the build runs a docker client found by a probe: `docker buildx
build --load` when buildx exists, else a pre-23 client that accepts `DOCKER_BUILDKIT=1` (Debian's
20.10 does; a 23+ client without buildx does not). `DOCKGEN_DOCKER` names the client to use.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Builder", "Step", "StepLog", "find_builder", "image_tag", "parse_progress", "run_build"]


def image_tag(project: Path) -> str:
    """`dockgen/<project>:test`, the name made safe for a repository name.

    Here rather than in `_run`, which imports the Docker SDK: `dockgen init --no-build` prints
    the name without paying for that import.
    """
    name = re.sub(r"[^a-z0-9._-]+", "-", project.name.lower()).strip("-._") or "app"
    return f"dockgen/{name}:test"


@dataclass(frozen=True, slots=True)
class Builder:
    """How to run a BuildKit build: the command prefix and the environment it needs."""

    command: tuple[str, ...]
    env: dict[str, str]
    label: str


def _docker_clients() -> list[str]:
    """Every `docker` executable: DOCKGEN_DOCKER first, then each one on PATH in order."""
    found = [os.environ["DOCKGEN_DOCKER"]] if os.environ.get("DOCKGEN_DOCKER") else []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder or ".") / "docker"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            found.append(str(candidate))
    return list(dict.fromkeys(shutil.which(f) or f for f in found))


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(args, 127, "", str(error))


def find_builder() -> Builder | None:
    """The first client that can build with BuildKit, or None."""
    for client in _docker_clients():
        if _run([client, "buildx", "version"]).returncode == 0:
            return Builder((client, "buildx", "build", "--load"), {}, f"{client} buildx build")
        version = _run([client, "version", "--format", "{{.Client.Version}}"]).stdout.strip()
        match = re.match(r"(\d+)\.", version)
        if match and 18 <= int(match[1]) < 23:  # the last clients with BuildKit built in
            return Builder((client, "build"), {"DOCKER_BUILDKIT": "1"}, f"DOCKER_BUILDKIT=1 {client} build")
    return None


@dataclass(slots=True)
class Step:
    """One step of the build as BuildKit reports it."""

    number: int
    name: str
    cached: bool = False
    done: bool = False
    seconds: float | None = None
    error: str | None = None
    output: list[str] = field(default_factory=list)


class StepLog:
    """Steps of a BuildKit build, filled line by line from `--progress=plain` output."""

    def __init__(self, on_change: Callable[[Step, str], None] | None = None) -> None:
        self.steps: dict[int, Step] = {}
        self.errors: list[str] = []
        self._on_change = on_change or (lambda step, event: None)

    _LINE = re.compile(r"^#(\d+) (.*)$")

    def feed(self, line: str) -> None:
        """Take one output line."""
        line = line.rstrip("\n")
        match = self._LINE.match(line)
        if not match:
            if line.lower().startswith(("error:", "error ")):
                self.errors.append(line)
            return
        number, rest = int(match[1]), match[2]
        step = self.steps.get(number)
        if step is None:
            step = self.steps[number] = Step(number, rest)
            self._on_change(step, "start")
            return
        if rest == "CACHED":
            step.cached = step.done = True
            self._on_change(step, "cached")
        elif rest.startswith("DONE"):
            step.done = True
            seconds = re.search(r"([\d.]+)s", rest)
            step.seconds = float(seconds[1]) if seconds else None
            self._on_change(step, "done")
        elif rest.startswith("ERROR"):
            step.error = rest.removeprefix("ERROR:").strip()
            self._on_change(step, "error")
        else:
            step.output.append(re.sub(r"^\d+\.\d+ ", "", rest))
            del step.output[:-60]
            self._on_change(step, "output")

    def failed(self) -> Step | None:
        """The step that failed, if any."""
        return next((s for s in self.steps.values() if s.error is not None), None)

    def instruction_steps(self) -> list[Step]:
        """Steps that run Dockerfile instructions (`[stage n/m] RUN ...`), not internal ones."""
        return [s for s in self.steps.values() if re.match(r"\[[^\]]+ \d+/\d+\] ", s.name)]


def parse_progress(lines: Iterable[str]) -> StepLog:
    """A StepLog of a whole recorded output (used by tests and the classic fallback)."""
    log = StepLog()
    for line in lines:
        log.feed(line)
    return log


def run_build(
    builder: Builder,
    context: Path,
    dockerfile: Path,
    tag: str,
    log: StepLog,
    secrets: list[str] | None = None,
) -> tuple[int, float, list[str]]:
    """Build `context` and tag the image; returns (exit code, seconds, the last output lines).

    `secrets` are BuildKit secret specs (`id=npmrc,src=path`), passed as `--secret`.
    """
    extra = [arg for spec in secrets or [] for arg in ("--secret", spec)]
    args = [
        *builder.command,
        "--progress=plain",
        *extra,
        "--tag",
        tag,
        "--file",
        str(dockerfile),
        str(context),
    ]
    env = {**os.environ, **builder.env}
    started = time.monotonic()
    tail: list[str] = []
    with subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, errors="replace"
    ) as process:
        assert process.stdout is not None
        try:
            for line in process.stdout:
                log.feed(line)
                tail.append(line.rstrip("\n"))
                del tail[:-200]
            code = process.wait()
        except BaseException:  # Ctrl-C (or any error) here: the build must not go on without us
            cancel(process)
            raise
    return code, time.monotonic() - started, tail


def cancel(process: subprocess.Popen[str], grace: float = 10.0) -> None:
    """Stop a running docker client the way Ctrl-C in a terminal would, so the engine cancels the build.

    A Ctrl-C sent to dockgen alone (`kill -INT`, an IDE's stop button) does not reach the client,
    which would otherwise finish the build, orphaned, and tag the image after dockgen said it stopped.
    """
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
