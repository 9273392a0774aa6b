"""What every detector returns, and the contract a detector module follows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from dockgen._knowledge import services
from dockgen._project import Project
from dockgen.errors import AmbiguousProjectError

__all__ = [
    "CHOICES",
    "Answer",
    "Assumed",
    "Detection",
    "Detector",
    "Ecosystem",
    "NativeDep",
    "Service",
    "answers_from",
    "evidence",
    "no_base_drift",
    "services_in",
    "the_workspace_app",
    "update_command",
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


class Assumed(str):
    """A reason for an answer that dockgen assumed (a convention, a default), not found in a file.

    A detector writes `Assumed("no port found in the code; 3000 is the Node.js convention")`; the
    wizard asks assumed answers first, and `dockgen detect` marks them.
    """


#: Answers that are choices dockgen makes from the files (the base image, what the runtime copies),
#: rather than facts the files state: `dockgen check` does not report them as drift.
CHOICES: Final = frozenset(
    {
        *("package_manager_version", "framework", "next_standalone", "build_output", "base"),
        *("app_path", "nx_project", "workspace_packages", "self_contained", "writable_paths"),
        *("services", "service_env", "secret_env", "compose"),
    }
)
# A file named in a reason ("scripts.start in package.json"): the evidence `dockgen check` names.
_FILE = re.compile(
    r"(\.[a-z][\w-]*rc\b|\.node-version|\.python-version|Pipfile(?:\.lock)?"
    r"|[\w./-]+\.(?:json|ya?ml|toml|lock|txt|js|mjs|cjs|ts|py|go|mod|sum|rs|xml|gradle|kts|properties|java))"
)


def evidence(reason: str | None, fallback: str) -> str:
    """The file a reason names ("scripts.start in package.json"), or `fallback`."""
    match = _FILE.search(reason or "")
    return match[1] if match else fallback


def update_command(answer: str, value: Any) -> str:
    """The `dockgen update` that applies `value` to `answer`."""
    shown = value if isinstance(value, str) else json.dumps(value)
    return f"dockgen update --set '{answer}={shown}'"


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """Detection's answer to one question of copier.yml, with its evidence.

    `file` is the file it was read from (None when assumed); `found` says whether the files state
    it or dockgen assumed it. (`dockgen check` compares the answers not in `CHOICES`.)
    """

    value: Any
    reason: str | None = None
    file: str | None = None
    found: bool = True

    def to_json(self) -> dict[str, Any]:
        """The answer as `dockgen detect --json` shows it."""
        return {"value": self.value, "reason": self.reason, "file": self.file, "found": self.found}


def answers_from(values: Mapping[str, Any], reasons: Mapping[str, str], manifest: str) -> dict[str, Answer]:
    """Answers from their values and reasons; `manifest` is the file of those whose reason names none.

    An `Assumed` reason makes an assumed answer; it and an answer without a reason have no file.
    Tuples become lists, as copier keeps them.
    """
    answers: dict[str, Answer] = {}
    for name, value in values.items():
        reason = reasons.get(name)
        found = not isinstance(reason, Assumed)
        answers[name] = Answer(
            value=list(value) if isinstance(value, tuple) else value,
            reason=str(reason) if reason is not None else None,
            file=evidence(reason, manifest) if found and reason is not None else None,
            found=found,
        )
    return answers


@dataclass(frozen=True, slots=True, kw_only=True)
class Detection:
    """Everything a detector found in a repository: the answers to copier.yml's questions.

    `answers` is keyed by question name; each answer carries its reason, the file it came from, and
    whether it was found or assumed. `--set`, the recorded answers, the wizard, `dockgen detect` and
    `dockgen check` all read it. `native_deps` keeps each native package's own reason (the
    `native_deps` answer lists their names); `services` the client packages that name a server.
    """

    kind: str
    answers: Mapping[str, Answer]
    native_deps: tuple[NativeDep, ...] = ()
    #: the servers the app connects to (a database, a cache), from its direct dependencies
    services: tuple[Service, ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        kind: str,
        values: Mapping[str, Any],
        reasons: Mapping[str, str],
        manifest: str,
        native_deps: tuple[NativeDep, ...] = (),
        services: tuple[Service, ...] = (),
        warnings: Iterable[str] = (),
    ) -> Detection:
        """A detection from the answers' values (copier's types: lists, not tuples) and reasons.

        `manifest` is the file an answer whose reason names none was read from.
        """
        names = "; ".join(f"{d.name}: {d.reason}" for d in native_deps)
        return cls(
            kind=kind,
            answers=answers_from(
                {"kind": kind, **values, "native_deps": [d.name for d in native_deps]},
                {**reasons, "native_deps": names or "no package with native code found"},
                manifest,
            ),
            native_deps=native_deps,
            services=services,
            warnings=tuple(dict.fromkeys(warnings)),
        )

    def __getitem__(self, name: str) -> Any:
        """The value of the answer to question `name`."""
        return self.answers[name].value

    def get(self, name: str, default: Any = None) -> Any:
        """The value of the answer to question `name`, or `default` when detection gives none."""
        answer = self.answers.get(name)
        return default if answer is None else answer.value

    def values(self) -> dict[str, Any]:
        """Every answer's value, by question name."""
        return {name: answer.value for name, answer in self.answers.items()}

    @property
    def reasons(self) -> dict[str, str]:
        """Every answer's reason, by question name (answers without one left out)."""
        return {name: a.reason for name, a in self.answers.items() if a.reason is not None}

    def to_json(self) -> dict[str, Any]:
        """The `dockgen detect --json` object (keys documented in README).

        Each answer's value by question name (what `--set` takes), then `answers` with each one's
        reason, file and whether it was found; the native packages and service clients with
        theirs; the warnings.
        """
        return {
            **self.values(),
            "answers": {name: answer.to_json() for name, answer in self.answers.items()},
            "native_deps": [{"name": d.name, "reason": d.reason} for d in self.native_deps],
            "service_clients": [{"name": s.name, "package": s.package} for s in self.services],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Ecosystem:
    """What the core needs to know of an ecosystem, declared by its detector (it never names one)."""

    #: the files whose presence at the root says this ecosystem, as the "no app found" error lists them
    markers: tuple[str, ...]
    #: the file an answer comes from when its reason names none
    manifest: str
    #: what `--path` chooses in this ecosystem ("uv workspaces"), or None where it chooses nothing
    workspaces: str | None = None


def no_base_drift(recorded: str, detection: Detection) -> tuple[str, str] | None:
    """`Detector.base_drift` of an ecosystem whose every base runs every app it detects."""
    return None


class Detector(Protocol):
    """A detector module: a cheap marker test and a full plan."""

    NAME: str
    LABEL: str
    ECOSYSTEM: Ecosystem

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

    def base_drift(self, recorded: str, detection: Detection) -> tuple[str, str] | None:
        """Why the recorded `base` no longer fits what `detection` found: the file and the message.

        `dockgen check` reports it as project drift; None when the recorded base still runs the app.
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
