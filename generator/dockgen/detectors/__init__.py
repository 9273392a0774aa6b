"""The detector registry: one module per ecosystem, in priority order."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final

from dockgen._project import Project
from dockgen.detectors import go, java, node, python, rust
from dockgen.detectors._base import Answer, Detection, Detector, NativeDep, answers_from
from dockgen.detectors._bind import localhost_bind
from dockgen.errors import AmbiguousProjectError, NoProjectError

__all__ = ["REGISTRY", "Answer", "Detection", "Detector", "NativeDep", "answers_from", "detect"]

#: Every detector, in priority order; the registry key is the `kind` answer.
REGISTRY: Final[dict[str, Detector]] = {"node": node, "python": python, "go": go, "rust": rust, "java": java}


def detect(project: Project, kind: str | None = None, hints: Mapping[str, Any] | None = None) -> Detection:
    """Detect the one application at the project's root.

    Args:
        project: the repository.
        kind: force an ecosystem (`--set kind=...`) instead of choosing from the markers.
        hints: answers given up front (`--set`), e.g. `package_manager` among conflicting lockfiles.

    Raises:
        NoProjectError: nothing supported was found (or not the forced kind).
        AmbiguousProjectError: apps of several ecosystems share the root and `kind` is not given.
    """
    if kind is not None:
        detector = REGISTRY.get(kind)
        if detector is None or not detector.detect(project):
            label = detector.LABEL if detector else kind
            raise NoProjectError(f"no {label} app found here", path=project.root)
        return _checked(detector.plan(project, hints), hints, project)
    found = [d for d in REGISTRY.values() if d.detect(project)]
    if not found:
        markers = ", ".join(m for d in REGISTRY.values() for m in d.ECOSYSTEM.markers)
        labels = _listed([d.LABEL for d in REGISTRY.values()], "or")
        below = _apps_below(project)
        hint = f"; {below}" if below else ""
        raise NoProjectError(f"no {labels} app found (looked for {markers}){hint}", path=project.root)
    if len(found) > 1 and hints and isinstance(hints.get("app_path"), str):
        # `--path backend` in a repository with a JS and a Python workspace: the app's own folder
        # says which (its pyproject.toml, no package.json)
        folder = hints["app_path"].strip().removeprefix("./").rstrip("/")
        if folder and project.is_dir(folder):
            inside = Project(project.root / folder)
            found = [d for d in found if d.detect(inside)] or found
    tooling: list[str] = []
    if len(found) > 1:  # linters' package.json beside a Django app: the other one is the app
        reasons = {d.NAME: d.tooling_only(project) for d in found}
        tooling = [why for why in reasons.values() if why]
        found = [d for d in found if not reasons[d.NAME]] or found
    if len(found) > 1:
        names = " and ".join(d.LABEL for d in found)
        kinds = "|".join(d.NAME for d in found)
        raise AmbiguousProjectError(
            f"found both a {names} app; choose one with --set kind={kinds} (dockgen detect: --kind {kinds})",
            path=project.root,
            answer="kind",
            choices=tuple(d.NAME for d in found),
        )
    detection = _checked(found[0].plan(project, hints), hints, project)
    if tooling:
        note = f"{'; '.join(tooling)}: dockgen builds the {found[0].LABEL} app (--set kind=... to choose)"
        detection = dataclasses.replace(detection, warnings=(*detection.warnings, note))
    return detection


def _apps_below(project: Project) -> str | None:
    """Where an app sits one or two folders down (a repository with its app in src/ or backend/)."""
    folders = sorted(
        {
            "/".join(f.split("/")[:depth])
            for f in project.files("", max_depth=2)
            for depth in (1, 2)
            if f.count("/") >= depth
        }
    )
    found: list[str] = []
    for folder in sorted(folders, key=lambda f: (f.count("/"), f)):
        if any(folder.startswith(f + "/") for f in found):
            continue
        inside = Project(project.root / folder)
        if any(d.detect(inside) for d in REGISTRY.values()):
            found.append(folder)
        if len(found) == 3:
            break
    if not found:
        return None
    shown = ", ".join(f"{f}/" for f in found)
    return f"{shown} {'holds one' if len(found) == 1 else 'hold one each'}: run `dockgen init {found[0]}`"


def _checked(detection: Detection, hints: Mapping[str, Any] | None, project: Project) -> Detection:
    """A `--path` (app_path) given for an ecosystem without workspaces is an error, not ignored."""
    if hints and hints.get("app_path") and not REGISTRY[detection.kind].ECOSYSTEM.workspaces:
        workspaces = _listed([w for d in REGISTRY.values() if (w := d.ECOSYSTEM.workspaces)], "and")
        raise NoProjectError(
            f"--path {hints['app_path']}: choosing a workspace app works for {workspaces}; "
            f"this is a {REGISTRY[detection.kind].LABEL} app",
            path=project.root,
        )
    # (the Go and Rocket detectors name a localhost address themselves)
    said = any("unreachable from outside the container" in w for w in detection.warnings)
    if said or detection.get("static_site"):
        return detection
    bind = localhost_bind(project, detection.kind)
    if bind:
        return dataclasses.replace(detection, warnings=(*detection.warnings, bind))
    return detection


def _listed(items: list[str], last: str) -> str:
    """The items as a sentence lists them: `a, b and c` (or `a, b or c`)."""
    return f"{', '.join(items[:-1])} {last} {items[-1]}" if len(items) > 1 else "".join(items)
