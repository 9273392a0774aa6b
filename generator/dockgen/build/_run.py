"""`dockgen build`: build the image with BuildKit, run it, wait until it is healthy, report.

The build runs a BuildKit-capable docker client (see `_buildkit`); everything else talks to the
daemon through the Docker SDK: image inspection and history, the test container, health polling,
logs and cleanup. The test container is always removed; the image is kept unless asked.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import docker
import docker.errors
import docker.models.containers

from dockgen._diagnose import diagnose
from dockgen._project import Project, project_dir
from dockgen._render import read_generated
from dockgen._stack import Server, Stack, read_compose, servers_from_answers, started
from dockgen.build._buildkit import StepLog, find_builder, image_tag, run_build
from dockgen.build._dockerfile import Dockerfile, is_dependency_install
from dockgen.build._engine import connect
from dockgen.build._progress import BuildProgress
from dockgen.build._security import Check, config_checks, failures, layer_checks, lint_check
from dockgen.detectors._env import example_values
from dockgen.errors import BuildFailedError, EngineUnavailableError, UnhealthyError, UsageError

__all__ = ["BuildReport", "Layer", "build", "image_tag"]

_LABEL = "dockgen.test"
#: The run that made a test container (host:pid): a concurrent run's containers are not leftovers.
_OWNER_LABEL = "dockgen.test.owner"
#: Probe interval for the test run: the image's own probe, asked every second instead of every 15 s.
_TEST_INTERVAL_NS = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Layer:
    """One entry of the image history (newest first)."""

    created_by: str
    size_bytes: int


@dataclass(slots=True, kw_only=True)
class BuildReport:
    """What the test build found (`dockgen build --json` prints it)."""

    image: str
    image_id: str
    size_bytes: int
    base_image: str | None
    base_size_bytes: int | None
    build_seconds: float
    builder: str
    deps_cached: bool | None
    health: str
    seconds_to_healthy: float | None
    user: str
    port: int | None
    layers: list[Layer] = field(default_factory=list)
    base_layer_count: int = 0  # the oldest entries of `layers` that come with the base image
    security: list[Check] = field(default_factory=list)
    url: str | None = None
    #: the servers detection says the app uses ("MySQL (mysql2)"): the hint when its log has none
    services: tuple[str, ...] = field(default=(), repr=False)
    #: the servers compose.yaml runs beside the app in the test build, with their state
    servers: list[Server] = field(default_factory=list)

    def failed_checks(self) -> list[Check]:
        """Required security checks that failed, could not run, or never ran (`_security.failures`)."""
        return failures(self.security)

    def added_layers(self) -> list[Layer]:
        """The layers this Dockerfile added on top of its base image."""
        return self.layers[: len(self.layers) - self.base_layer_count]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object."""
        return {
            "image": self.image,
            "image_id": self.image_id,
            "size_bytes": self.size_bytes,
            "base_image": self.base_image,
            "base_size_bytes": self.base_size_bytes,
            "build_seconds": round(self.build_seconds, 2),
            "builder": self.builder,
            "deps_cached": self.deps_cached,
            "health": self.health,
            "seconds_to_healthy": None
            if self.seconds_to_healthy is None
            else round(self.seconds_to_healthy, 2),
            "user": self.user,
            "port": self.port,
            "layers": [
                {"created_by": layer.created_by, "size_bytes": layer.size_bytes} for layer in self.layers
            ],
            "services": [server.to_json() for server in self.servers],
        }


def build(
    path: Path | str,
    *,
    timeout: float = 120.0,
    keep: bool = False,
    remove_image: bool = False,
    tag: str | None = None,
    out: TextIO | None = None,
    live: bool | None = None,
    secrets: list[str] | None = None,
    services: tuple[str, ...] = (),
    alone: bool = False,
) -> BuildReport:
    """Build the project's Dockerfile, run the image and wait for its health check.

    Args:
        path: the project folder (the build context, with its Dockerfile).
        timeout: seconds to wait for `healthy` after the container starts.
        keep: leave the test container running (for a look at it); it is removed otherwise.
        remove_image: remove the image at the end.
        tag: the image name (default `dockgen/<project>:test`).
        out: where progress goes (default stderr).
        live: spinner on a terminal; default: when `out` is a terminal.
        secrets: BuildKit secrets (`id=ca,src=corp-ca.pem`). The project's own `.npmrc`, which
            .dockerignore keeps out of the context, is passed as the `npmrc` secret when the
            Dockerfile mounts one.
        services: the servers the app uses ("MySQL (mysql2)"), from detection: named when the
            container fails and its log says nothing of why.
        alone: run the app without the servers of the compose.yaml dockgen wrote (`--no-services`).

    Raises:
        UsageError: no Dockerfile.
        EngineUnavailableError: no engine, no permission, or no BuildKit-capable client.
        BuildFailedError: the build failed (the message names the step; its output was printed).
        UnhealthyError: the container became unhealthy, exited, or timed out (logs were printed).
    """
    project = project_dir(path)
    dockerfile_path = project / "Dockerfile"
    repository = Project(project)  # the Dockerfile and .npmrc are read through its guards
    held = read_generated(repository, "Dockerfile")
    if held is None:
        raise UsageError("no Dockerfile here (run `dockgen init` first)", path=project)
    out = out or sys.stderr
    dockerfile = Dockerfile.parse(held.decode("utf-8", "replace"))
    compose = None if alone else read_compose(repository) or servers_from_answers(repository)
    beside = compose is not None and any(name != "app" for name in compose["services"])
    builder = find_builder()
    if builder is None and dockerfile.buildkit_only():
        raise EngineUnavailableError(
            "no docker client here can build with BuildKit, which this Dockerfile needs (RUN --mount): "
            "install the buildx plugin (Debian/Ubuntu: apt install docker-buildx; or docker-buildx-plugin "
            "from Docker's repository), or set DOCKGEN_DOCKER to a docker CLI that has it"
        )
    secrets = list(secrets or [])
    if (
        "id=npmrc" in dockerfile.text
        and repository.is_file(".npmrc")  # never a symlink out: it would pass a host file as a secret
        and not any(spec.startswith("id=npmrc,") for spec in secrets)
    ):
        secrets.append(f"id=npmrc,src={project / '.npmrc'}")
    for spec in secrets:
        if not re.fullmatch(r"id=[\w.-]+,(src|source)=.+", spec):
            raise UsageError(f"--secret {spec!r}: expected id=NAME,src=FILE")
        if not Path(spec.split("=", 2)[2]).is_file():
            raise UsageError(f"--secret {spec!r}: no such file")
    if secrets and builder is None:
        raise EngineUnavailableError("build secrets need BuildKit; the classic builder cannot pass them")
    client = connect()
    _reap(client, out)
    tag = tag or image_tag(project)
    progress = BuildProgress(out, live=out.isatty() if live is None else live)
    log = StepLog(progress)
    print(
        f"Building {tag} with {builder.label if builder else 'the classic builder (no BuildKit client)'}",
        file=out,
    )
    try:
        if builder is not None:
            code, seconds, tail = run_build(builder, project, dockerfile_path, tag, log, secrets)
        else:
            code, seconds, tail = _classic_build(client, project, tag, log)
    finally:
        progress.close()
    if code != 0:
        raise _build_failure(log, tail, out)
    image = client.images.get(tag)
    base = dockerfile.base_image()
    base_size, base_layers, base_fs_layers = _base_info(client, base)
    report = BuildReport(
        image=tag,
        image_id=image.id or "",
        size_bytes=int(image.attrs.get("Size") or 0),
        base_image=base,
        base_size_bytes=base_size,
        build_seconds=seconds,
        builder=builder.label if builder else "classic",
        deps_cached=_deps_cached(log),
        health="unknown",
        seconds_to_healthy=None,
        user=(image.attrs.get("Config") or {}).get("User") or "root",
        port=_exposed_port(image.attrs),
        layers=[Layer(str(h.get("CreatedBy") or ""), int(h.get("Size") or 0)) for h in image.history()],
        base_layer_count=base_layers,
        services=services,
    )
    print(f"Built {tag} in {seconds:.1f}s; starting a test container", file=out)
    report.security = [lint_check(dockerfile_path), *config_checks(image.attrs)]
    try:
        with (
            started(client, compose, _labels(), out, timeout, keep=keep, dotenv=example_values(repository))
            if compose and beside
            else _alone() as stack
        ):
            if stack is not None:
                report.servers = stack.servers
            _run_and_wait(client, image, report, timeout=timeout, keep=keep, out=out, stack=stack)
        print("Checking the image's layers", file=out)
        report.security += layer_checks(image, base_fs_layers)
    finally:
        if remove_image:
            with contextlib.suppress(docker.errors.DockerException):
                client.images.remove(tag, force=True)
    return report


@contextlib.contextmanager
def _alone() -> Iterator[Stack | None]:
    yield None


def _base_info(client: docker.DockerClient, name: str | None) -> tuple[int | None, int, int]:
    """Size, history length and filesystem layer count of the base image, when the engine has it."""
    if not name:
        return None, 0, 0
    try:
        base = client.images.get(name)
    except docker.errors.DockerException:
        return None, 0, 0
    layers = len((base.attrs.get("RootFS") or {}).get("Layers") or [])
    return int(base.attrs.get("Size") or 0), len(base.history()), layers


def _exposed_port(attrs: dict[str, Any]) -> int | None:
    ports = (attrs.get("Config") or {}).get("ExposedPorts") or {}
    for spec in ports:
        number, _, protocol = str(spec).partition("/")
        if protocol in ("", "tcp") and number.isdigit():
            return int(number)
    return None


def _deps_cached(log: StepLog) -> bool | None:
    """True when every dependency-install step came from the cache; None when there is none."""
    installs = [
        step
        for step in log.instruction_steps()
        if step.name.split("] ", 1)[-1].startswith("RUN ") and is_dependency_install(step.name)
    ]
    if not installs:
        return None
    return all(step.cached for step in installs)


def _build_failure(log: StepLog, tail: list[str], out: TextIO) -> BuildFailedError:
    step = log.failed()
    if step is not None:
        print(f"--- last output of {step.name}:", file=out)
        for line in step.output[-20:]:
            print(f"  {line}", file=out)
        reason = step.error or "failed"
        exit_code = re.search(r"exit code: (\d+)", reason)
        detail = f"exit code {exit_code[1]}" if exit_code else reason
        return BuildFailedError(f"build failed at {' '.join(step.name.split())} ({detail})")
    print("--- last build output:", file=out)
    for line in tail[-20:]:
        print(f"  {line}", file=out)
    message = log.errors[-1] if log.errors else (tail[-1] if tail else "the builder failed")
    return BuildFailedError(f"build failed: {message.removeprefix('ERROR: ').removeprefix('error: ')}")


def _classic_build(
    client: docker.DockerClient, project: Path, tag: str, log: StepLog
) -> tuple[int, float, list[str]]:
    """The SDK's classic builder, for a Dockerfile without BuildKit-only syntax; its steps go to `log`."""
    started = time.monotonic()
    tail: list[str] = []
    step = 0
    try:
        for chunk in client.api.build(path=str(project), tag=tag, rm=True, forcerm=True, decode=True):
            text = str(chunk.get("stream") or "")
            for line in text.splitlines():
                tail.append(line)
                match = re.match(r"Step (\d+)/(\d+) : (.*)", line)
                if match:
                    step = int(match[1])
                    log.feed(f"#{step} [classic {step}/{match[2]}] {match[3]}")
                elif "Using cache" in line and step:
                    log.feed(f"#{step} CACHED")
                elif step and line.strip():
                    log.feed(f"#{step} 0.0 {line}")
            if "error" in chunk:
                if step:
                    log.feed(f"#{step} ERROR: {chunk['error']}")
                tail.append(str(chunk["error"]))
                return 1, time.monotonic() - started, tail
    except docker.errors.DockerException as error:
        tail.append(str(error))
        return 1, time.monotonic() - started, tail
    for number in range(1, step + 1):
        if not log.steps[number].done:
            log.feed(f"#{number} DONE 0.0s")
    return 0, time.monotonic() - started, tail


#: How the test container runs: no capabilities, no privilege escalation, bounded processes,
#: port on loopback only, no socket mounted; first with a read-only root filesystem.
_HARDENED: dict[str, Any] = {
    "cap_drop": ["ALL"],
    "security_opt": ["no-new-privileges"],
    "pids_limit": 512,
    "mem_limit": "2g",
}


def _run_and_wait(
    client: docker.DockerClient,
    image: Any,
    report: BuildReport,
    *,
    timeout: float,
    keep: bool,
    out: TextIO,
    stack: Stack | None = None,
) -> None:
    config = image.attrs.get("Config") or {}
    healthcheck = config.get("Healthcheck") or {}
    test = healthcheck.get("Test")
    if not test or test[0] == "NONE":
        raise UnhealthyError("the image has no HEALTHCHECK, so dockgen cannot tell whether it works")
    options: dict[str, Any] = {
        **_HARDENED,
        "healthcheck": {
            "test": test,
            "interval": _TEST_INTERVAL_NS,
            "timeout": healthcheck.get("Timeout") or 5_000_000_000,
            "retries": healthcheck.get("Retries") or 3,
            "start_period": healthcheck.get("StartPeriod") or 0,
        },
    }
    if report.port:
        options["ports"] = {f"{report.port}/tcp": ("127.0.0.1", None)}
    if stack is not None:  # on the servers' network, with the environment compose.yaml gives it
        options |= {"network": stack.network, "environment": stack.environment}
    read_only = {"read_only": True, "tmpfs": {"/tmp": "rw,size=256m"}}
    status = _attempt(
        client, image, report, {**options, **read_only}, timeout=timeout, keep=keep, out=out, last=False
    )
    if status in ("healthy", "timeout"):
        report.security.append(
            Check("read-only root filesystem", status == "healthy", "ran read-only", required=False)
        )
        if status == "healthy":
            return
    else:
        print("Not healthy with a read-only root filesystem; trying again with a writable one", file=out)
        report.security.append(
            Check("read-only root filesystem", False, "the app needs to write outside /tmp", required=False)
        )
    _attempt(client, image, report, options, timeout=timeout, keep=keep, out=out, last=True)


def _attempt(
    client: docker.DockerClient,
    image: Any,
    report: BuildReport,
    options: dict[str, Any],
    *,
    timeout: float,
    keep: bool,
    out: TextIO,
    last: bool,
) -> str:
    """Run the image once and wait; raises on failure when this is the `last` attempt."""
    name = f"dockgen-test-{secrets.token_hex(4)}"
    started = time.monotonic()
    status = "unknown"
    try:
        # inside the try: a Ctrl-C while the container is being created must still remove it
        container = client.containers.run(image.id, detach=True, name=name, labels=_labels(), **options)
        status = _wait(container, started, timeout)
        report.health = status
        if status == "healthy":
            report.seconds_to_healthy = time.monotonic() - started
            report.security.append(_outside_check(container, report.port))
            if keep and report.port:
                container.reload()
                bound = (container.attrs["NetworkSettings"]["Ports"].get(f"{report.port}/tcp") or [{}])[0]
                report.url = f"http://127.0.0.1:{bound.get('HostPort')}/"
                # the kept container stays up: a second one answers whether SIGTERM stops the app
                report.security.append(_stop_check_apart(client, image, options, timeout))
            else:
                report.security.append(_stop_check(container))
            return status
        if not last and status != "timeout":
            return status
        hint = diagnose(_print_failure(container, out))
        if not hint and not report.servers:  # (servers that ran beside it are not the reason)
            hint = _services_hint(report.services)
        because = f": {hint}" if hint else ""
        state = container.attrs.get("State") or {}
        if state.get("Status") in ("exited", "dead"):
            raise UnhealthyError(
                f"the container exited with code {state.get('ExitCode')} before it was healthy{because}"
            )
        if status == "timeout":
            raise UnhealthyError(f"not healthy after {timeout:.0f}s (--timeout){because}")
        raise UnhealthyError(f"the container is unhealthy: its HEALTHCHECK failed{because}")
    finally:
        if not keep or status != "healthy":
            with contextlib.suppress(docker.errors.DockerException):
                # v=True: the anonymous volumes of the image's VOLUMEs (/data) go with it
                client.containers.get(name).remove(force=True, v=True)


def _services_hint(services: tuple[str, ...]) -> str | None:
    """When the log says nothing: the servers the app uses, which the test run does not start."""
    if not services:
        return None
    names = ", ".join(services)
    one = len(services) == 1
    given = (
        "the server and its address in the variable" if one else "them and their addresses in the variables"
    )
    return (
        f"its log says nothing of why, and it uses {names}: it most likely needs "
        f"{'that server' if one else 'those servers'} at start, which the test run does not start; "
        f"run it with {given} the app reads (see its .env.example or README), or let dockgen init "
        "write a compose.yaml that runs them (--set compose=true)"
    )


def _stop_check_apart(
    client: docker.DockerClient, image: Any, options: dict[str, Any], timeout: float
) -> Check:
    """The SIGTERM check on a container of its own (with `--keep`, the healthy one stays up)."""
    name = f"dockgen-test-{secrets.token_hex(4)}"
    try:
        container = client.containers.run(image.id, detach=True, name=name, labels=_labels(), **options)
        status = _wait(container, time.monotonic(), timeout)
        if status != "healthy":
            return Check("stops on SIGTERM", None, f"a second container was {status}, so it was not tried")
        return _stop_check(container)
    finally:
        with contextlib.suppress(docker.errors.DockerException):
            client.containers.get(name).remove(force=True, v=True)


def _outside_check(container: docker.models.containers.Container, port: int | None) -> Check:
    """The app answers HTTP on its published port from outside, not only on the container's loopback.

    The HEALTHCHECK probes from inside the container, so an app that listens on 127.0.0.1 passes
    it and is still unreachable from anywhere else.
    """
    name = "answers outside the container"
    if not port:
        return Check(name, None, "no EXPOSE: there is no port to try", required=False)
    container.reload()
    bound = ((container.attrs.get("NetworkSettings") or {}).get("Ports") or {}).get(f"{port}/tcp") or [{}]
    host_port = bound[0].get("HostPort")
    if not host_port:
        return Check(name, None, f"port {port} was not published")
    data, why = b"", "the connection closed without an answer"
    try:
        with socket.create_connection(("127.0.0.1", int(host_port)), timeout=5) as sock:
            sock.settimeout(5)
            sock.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            data = sock.recv(16)
    except OSError as error:
        why = str(error) or type(error).__name__
    if data.startswith(b"HTTP/"):
        return Check(name, True, f"answered HTTP on port {port}")
    return Check(
        name,
        False,
        f"nothing answered on port {port} from outside ({why}), though the health check passed inside: "
        "the app listens on 127.0.0.1 (localhost) only; make it listen on 0.0.0.0",
    )


def _stop_check(container: docker.models.containers.Container) -> Check:
    """`docker stop` must end the app through SIGTERM, not by killing it after the grace period."""
    started = time.monotonic()
    container.stop(timeout=10)
    seconds = time.monotonic() - started
    container.reload()
    code = (container.attrs.get("State") or {}).get("ExitCode")
    if code == 137 or seconds >= 9.5:
        return Check(
            "stops on SIGTERM", False, f"docker stop had to kill it after {seconds:.0f}s (exit {code})"
        )
    return Check("stops on SIGTERM", True, f"exit code {code} after {seconds:.1f}s")


def _labels() -> dict[str, str]:
    return {_LABEL: "1", _OWNER_LABEL: f"{socket.gethostname()}:{os.getpid()}"}


def _owner_alive(owner: str | None) -> bool:
    """Whether the run that labelled a container is still running on this host."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _reap(client: docker.DockerClient, out: TextIO) -> None:
    """Remove test containers an earlier run could not (killed, lost engine): stopped, or over an hour old.

    A stopped container of a run that is still going (another `dockgen build` on the same engine,
    between creating its container and reading its logs) is not a leftover.
    """
    cutoff = time.time() - 3600
    for container in client.containers.list(all=True, filters={"label": _LABEL}):
        created = container.attrs.get("Created", "")
        owner = (container.labels or {}).get(_OWNER_LABEL)
        stale = (container.status != "running" and not _owner_alive(owner)) or _epoch(created) < cutoff
        if stale:
            with contextlib.suppress(docker.errors.DockerException):
                container.remove(force=True, v=True)
                print(f"Removed a leftover test container ({container.name})", file=out)
    # the networks and volumes of the servers beside an app (`_stack`), once no container uses them
    for network in client.networks.list(filters={"label": _LABEL}):
        if not _owner_alive((network.attrs.get("Labels") or {}).get(_OWNER_LABEL)):
            with contextlib.suppress(docker.errors.DockerException):
                network.remove()
    for volume in client.volumes.list(filters={"label": _LABEL}):
        if not _owner_alive((volume.attrs.get("Labels") or {}).get(_OWNER_LABEL)):
            with contextlib.suppress(docker.errors.DockerException):
                volume.remove()


def _epoch(created: str) -> float:
    try:
        return datetime.fromisoformat(created[:26].rstrip("Z") + "+00:00").timestamp()
    except ValueError:
        return 0.0


def _wait(container: docker.models.containers.Container, started: float, timeout: float) -> str:
    """healthy, unhealthy (also when the container stopped) or timeout."""
    while True:
        container.reload()
        state = container.attrs.get("State") or {}
        health = (state.get("Health") or {}).get("Status")
        if health == "healthy":
            return "healthy"
        if health == "unhealthy" or state.get("Status") in ("exited", "dead"):
            return "unhealthy"
        if time.monotonic() - started > timeout:
            return "timeout"
        time.sleep(0.5)


def _print_failure(container: docker.models.containers.Container, out: TextIO) -> str:
    """Print the end of the container's log and its last probe; returns the log read."""
    logs = ""
    with contextlib.suppress(docker.errors.DockerException):
        container.reload()
        logs = container.logs(tail=200).decode("utf-8", "replace").rstrip()
        shown = logs.splitlines()[-40:]
        print("--- last 40 lines of the container's log:", file=out)
        for line in shown or ["(empty)"]:
            print(f"  {line}", file=out)
        probes = ((container.attrs.get("State") or {}).get("Health") or {}).get("Log") or []
        if probes:
            last = probes[-1]
            print(f"--- last health probe (exit code {last.get('ExitCode')}):", file=out)
            for line in str(last.get("Output") or "").rstrip().splitlines() or ["(no output)"]:
                print(f"  {line}", file=out)
    return logs
