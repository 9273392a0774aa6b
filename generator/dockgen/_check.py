"""`dockgen check`: is the project still what the template and its answers say?

Three questions, for CI:
- file drift: do the committed files equal a fresh render of the recorded answers at the recorded
  template version? (a unified diff per file; exit 1)
- project drift: does detection, run again, still agree with the recorded answers? (a finding per
  answer, naming the file that changed; exit 1)
- version drift: is a newer template release out? (information; exit 1 only with --strict)
Answers and files listed in the `check_ignore` answer may differ on purpose.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dockgen import _answers_file
from dockgen._answers import detected_answers
from dockgen._knowledge import native_table
from dockgen._project import Project, load_yaml, project_dir
from dockgen._render import read_generated, refuse_unknown_ignored, render_from
from dockgen._template import recorded_source, release_key, release_tags
from dockgen.detectors import detect

__all__ = ["CheckResult", "FileDrift", "Finding", "check"]

#: Answers that detection can re-derive; the others are choices (base, build output...).
_COMPARED = (
    "kind",
    "package_manager",
    "runtime_version",
    "dependency_files",
    "build_command",
    "start_command",
    "start_env",
    "skip_scripts",
    "port",
    "health_path",
    "native_deps",
    "go_main",
    "rust_bin",
    "runtime_assets",
    "runtime_workdir",
    "static_site",
)
_FILE = re.compile(
    r"(\.nvmrc|\.node-version|\.python-version|Pipfile(?:\.lock)?"
    r"|[\w./-]+\.(?:json|ya?ml|toml|lock|txt|js|mjs|cjs|ts|py|go|mod|sum|rs|xml|gradle|kts|properties|java))"
)


@dataclass(frozen=True, slots=True)
class FileDrift:
    """A generated file that differs from a fresh render."""

    path: str
    diff: str


@dataclass(frozen=True, slots=True)
class Finding:
    """An answer the repository no longer agrees with."""

    answer: str
    recorded: Any
    detected: Any
    file: str | None
    message: str


@dataclass(slots=True)
class CheckResult:
    """Everything `dockgen check` found."""

    template: str
    version: str
    files: list[FileDrift] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    latest: str | None = None
    ignored: list[str] = field(default_factory=list)
    #: why the newer-release lookup was skipped (an unreachable source...), or None
    lookup_skipped: str | None = None

    @property
    def update_available(self) -> bool:
        """A newer template release than the recorded one exists."""
        return self.latest is not None and release_key(self.latest) > release_key(self.version)

    @property
    def clean(self) -> bool:
        """No file drift and no project drift."""
        return not self.files and not self.findings

    def to_json(self) -> dict[str, Any]:
        """The `dockgen check --json` object."""
        return {
            "clean": self.clean,
            "template": {
                "source": self.template,
                "version": self.version,
                "latest": self.latest,
                "update_available": self.update_available,
                "lookup_skipped": self.lookup_skipped,
            },
            "files": [{"path": f.path, "diff": f.diff} for f in self.files],
            "project": [
                {
                    "answer": f.answer,
                    "recorded": f.recorded,
                    "detected": f.detected,
                    "file": f.file,
                    "message": f.message,
                }
                for f in self.findings
            ],
            "ignored": self.ignored,
        }


def check(path: Path | str, *, template: str | None = None) -> CheckResult:
    """Compare the project with its template and its own manifests.

    Raises:
        InputError: no answers file, or one dockgen will not use.
        TemplateError/AnswerError: the recorded template version cannot be rendered.
    """
    root = project_dir(path)
    project = Project(root)
    recorded = _answers_file.load(root)
    ignored = [str(n) for n in recorded.answers.get("check_ignore") or []]
    refuse_unknown_ignored(ignored, _answers_file.ANSWERS_FILE)
    result = CheckResult(recorded.src_path, recorded.commit, ignored=ignored)
    with recorded_source(recorded.src_path, recorded.commit, template) as source:
        rendered = render_from(source, recorded.answers)
    # the source itself (the mirror --template names), looked up within seconds, never a prompt
    tags, result.lookup_skipped = release_tags(template or recorded.src_path)
    result.latest = tags[0] if tags else None
    for name, content in rendered.items():
        if name in ignored:
            continue
        drift = _file_drift(project, name, content.decode("utf-8", "replace"))
        if drift:
            result.files.append(drift)
    result.findings = [f for f in _project_drift(project, recorded.answers) if f.answer not in ignored]
    return result


def _file_drift(project: Project, name: str, expected: str) -> FileDrift | None:
    """The committed file against the fresh render, read through `Project`'s guards.

    Pull requests bring the committed files: a `Dockerfile` that is a symlink to
    `/proc/self/environ` must be refused, never printed in a diff.
    """
    held = read_generated(project, name)
    actual = "" if held is None else held.decode("utf-8", "replace")
    if name == _answers_file.ANSWERS_FILE:
        # the source may be a stand-in (--template): compare the answers, not the header
        if _answers_only(actual) == _answers_only(expected):
            return None
    elif actual == expected:
        return None
    elif name == ".dockerignore" and actual.startswith(expected.rstrip("\n") + "\n"):
        return None  # lines the user added at the end are theirs to add
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"{name} (template)",
        tofile=f"{name} (missing)" if held is None else f"{name} (committed)",
    )
    return FileDrift(name, "".join(diff))


def _answers_only(text: str) -> dict[str, Any]:
    try:
        data = load_yaml(text, aliases=False)
    except (ValueError, yaml.YAMLError):
        return {}
    return {k: v for k, v in data.items() if k != "_src_path"} if isinstance(data, dict) else {}


def _evidence(reason: str | None, fallback: str) -> str:
    match = _FILE.search(reason or "")
    return match[1] if match else fallback


def _fix(answer: str, value: Any) -> str:
    shown = value if isinstance(value, str) else json.dumps(value)
    return f"dockgen update --set '{answer}={shown}'"


def _project_drift(project: Project, answers: dict[str, Any]) -> list[Finding]:
    kind = answers.get("kind")
    detection = detect(project, kind=kind if isinstance(kind, str) else None, hints=answers)
    detected, reasons = detected_answers(detection)
    manifests = {"node": "package.json", "python": "pyproject.toml", "go": "go.mod", "rust": "Cargo.toml"}
    java_build = "pom.xml" if detection.package_manager == "maven" else "build.gradle"
    manifest = manifests.get(detection.kind, java_build)
    findings: list[Finding] = []
    for name in _COMPARED:
        if name not in answers or name not in detected or answers[name] == detected[name]:
            continue
        recorded, now = answers[name], detected[name]
        file = _evidence(reasons.get(name), manifest)
        if name == "native_deps":
            added = sorted(set(now) - set(recorded))
            removed = sorted(set(recorded) - set(now))
            if not added and not removed:
                continue
            parts = [
                f"added {', '.join(added)}" if added else "",
                f"removed {', '.join(removed)}" if removed else "",
            ]
            message = f"{file}: native dependencies {' and '.join(p for p in parts if p)}"
        else:
            message = f"{file}: {name} is now {now!r}, the answers say {recorded!r}"
        findings.append(Finding(name, recorded, now, file, f"{message} ({_fix(name, now)})"))
    # a static Go binary on scratch, but the code now uses cgo
    if answers.get("base") == "scratch" and detection.base == "slim" and detection.native_deps:
        dep = detection.native_deps[0]
        file = _evidence(dep.reason, manifest)
        cgo = json.dumps([d.name for d in detection.native_deps])
        fix = f"dockgen update --set base=slim --set 'native_deps={cgo}'"
        message = f"{file}: {dep.name} links the C library, but the answers say base scratch ({fix})"
        findings.append(Finding("base", "scratch", "slim", file, message))
    # alpine was chosen, but a dependency now needs glibc
    glibc = detection.base in ("slim", "distroless")
    if answers.get("base") == "alpine" and glibc and detection.kind == "node":
        table = native_table("node")
        needs = [d for d in detection.native_deps if table.get(d.name, table["_unknown"]).glibc]
        if needs:
            dep = needs[0]
            file = _evidence(dep.reason, manifest)
            findings.append(
                Finding(
                    "base",
                    "alpine",
                    detection.base,
                    file,
                    f"{file}: {dep.name} needs glibc, but the answers say base alpine "
                    f"({_fix('base', detection.base)})",
                )
            )
    # distroless was chosen, but the app now needs more than glibc and node at run time
    if answers.get("base") == "distroless" and detection.base == "slim" and detection.kind == "node":
        table = native_table("node")
        needs = [d for d in detection.native_deps if table.get(d.name, table["_unknown"]).runtime]
        file = _evidence(needs[0].reason, manifest) if needs else manifest
        why = (
            f"{needs[0].name} needs {', '.join(table[needs[0].name].runtime)} at run time"
            if needs
            else "the app needs a shell or npm at run time (its start command or writable paths)"
        )
        findings.append(
            Finding(
                "base",
                "distroless",
                "slim",
                file,
                f"{file}: {why}, but the answers say base distroless ({_fix('base', 'slim')})",
            )
        )
    return findings
