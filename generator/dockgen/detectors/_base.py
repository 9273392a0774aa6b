"""What every detector returns, and the contract a detector module follows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from dockgen._knowledge import services
from dockgen._project import Project
from dockgen.errors import AmbiguousProjectError

__all__ = [
    "Detection",
    "Detector",
    "NativeDep",
    "Service",
    "services_in",
    "the_workspace_app",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NativeDep:
    """A dependency with native code or system-library needs, and why it matters."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Service:
    """A server the app connects to at run time, and the client package that says so."""

    name: str
    package: str


def services_in(kind: str, packages: Iterable[str]) -> tuple[Service, ...]:
    """The services that the app's direct dependencies connect to, one per service, table order."""
    table = services(kind)
    found: dict[str, Service] = {}
    for package in sorted(set(packages), key=lambda p: list(table).index(p) if p in table else len(table)):
        if package in table:
            found.setdefault(table[package], Service(table[package], package))
    return tuple(found.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class Detection:
    """Everything a detector found in a repository, each decision with its reason.

    `reasons` maps a field name to a short human sentence naming the evidence
    ("packageManager in package.json"); the wizard and `dockgen detect` show them.
    """

    kind: str
    package_manager: str
    package_manager_version: str | None
    runtime_version: str
    framework: str | None
    dependency_files: tuple[str, ...]
    build_command: tuple[str, ...] | None
    start_command: tuple[str, ...]
    port: int
    health_path: str | None
    native_deps: tuple[NativeDep, ...]
    base: str
    base_reason: str
    next_standalone: bool = False
    build_output: tuple[str, ...] = ()
    #: answers to the questions only one ecosystem has (Go's `go_main`), by question name
    extra: Mapping[str, Any] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: the servers the app connects to (a database, a cache), from its direct dependencies
    services: tuple[Service, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The `dockgen detect --json` object (keys documented in README)."""
        return {
            "kind": self.kind,
            "package_manager": self.package_manager,
            "package_manager_version": self.package_manager_version,
            "runtime_version": self.runtime_version,
            "framework": self.framework,
            "build_command": list(self.build_command) if self.build_command else None,
            "build_output": list(self.build_output),
            "start_command": list(self.start_command),
            "port": self.port,
            "health_path": self.health_path,
            "native_deps": [{"name": d.name, "reason": d.reason} for d in self.native_deps],
            "base": self.base,
            "base_reason": self.base_reason,
            "dependency_files": list(self.dependency_files),
            "next_standalone": self.next_standalone,
            "service_clients": [{"name": s.name, "package": s.package} for s in self.services],
            **dict(self.extra),
            "reasons": dict(self.reasons),
            "warnings": list(self.warnings),
        }


class Detector(Protocol):
    """A detector module: a cheap marker test and a full plan."""

    NAME: str
    LABEL: str

    def detect(self, project: Project) -> bool:
        """Whether the repository's marker files say this ecosystem (cheap, no parsing)."""
        ...

    def tooling_only(self, project: Project) -> str | None:
        """Why this ecosystem's files here only serve another app (linters beside a Django app), or None.

        Asked only when several ecosystems' markers share the root: the other one is the app.
        """
        ...

    def plan(self, project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
        """Everything about the app; `hints` are answers given up front (`--set`).

        Raises `InputError` for unreadable manifests, `AmbiguousProjectError` when the files leave a
        choice open that the hints do not settle.
        """
        ...


def the_workspace_app(workspace: str, apps: tuple[str, ...], path: str) -> str:
    """The one app of a workspace whose root is no app (`workspace` says which, e.g. "an npm workspace").

    Raises:
        AmbiguousProjectError: several apps; the wizard asks `app_path`, a run without a terminal
            stops with the `--path` choices.
    """
    if len(apps) == 1:
        return apps[0]
    raise AmbiguousProjectError(
        f"{workspace} with apps {', '.join(apps)} and none at the root: choose one with "
        f"--path {'|'.join(apps)}",
        path=path,
        answer="app_path",
        choices=apps,
    )
