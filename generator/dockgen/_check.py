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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dockgen import _answers_file
from dockgen._project import Project, load_yaml, project_dir
from dockgen._render import read_generated, refuse_unknown_ignored, render_from
from dockgen._template import recorded_source, release_key, release_tags
from dockgen.detectors import REGISTRY, detect
from dockgen.detectors._base import CHOICES, update_command

__all__ = ["CheckResult", "FileDrift", "Finding", "check"]


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


def _project_drift(project: Project, answers: dict[str, Any]) -> list[Finding]:
    """The recorded answers that detection, run again, no longer agrees with (facts, not choices)."""
    kind = answers.get("kind")
    detection = detect(project, kind=kind if isinstance(kind, str) else None, hints=answers)
    findings: list[Finding] = []
    for name, answer in detection.answers.items():
        if name in CHOICES or name not in answers or answers[name] == answer.value:
            continue
        recorded, now = answers[name], answer.value
        file = answer.file or detection.answers["kind"].file or "the project"
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
        findings.append(Finding(name, recorded, now, file, f"{message} ({update_command(name, now)})"))
    recorded_base = answers.get("base")
    if isinstance(recorded_base, str):
        drift = REGISTRY[detection.kind].base_drift(recorded_base, detection)
        if drift:
            findings.append(Finding("base", recorded_base, detection["base"], drift[0], drift[1]))
    return findings
