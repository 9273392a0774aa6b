"""Python detector: pip, Poetry, uv, PDM and Pipenv apps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dockgen._knowledge import native_table
from dockgen._project import Project
from dockgen.detectors._base import Detection, NativeDep
from dockgen.detectors._schema import type_warnings
from dockgen.detectors.python._app import detect_app
from dockgen.detectors.python._manager import detect_manager
from dockgen.detectors.python._runtime import detect_python_version

__all__ = ["LABEL", "NAME", "detect", "plan"]

NAME = "python"
_FIELDS: dict[str, tuple[type, ...]] = {
    "project": (dict,),
    "project.name": (str,),
    "project.requires-python": (str,),
    "project.dependencies": (list,),
    "tool": (dict,),
    "tool.poetry": (dict,),
    "tool.poetry.dependencies": (dict,),
    "tool.poetry.dependencies.python": (str,),
}
LABEL = "Python"
_MARKERS = (
    "pyproject.toml",
    "requirements.txt",
    "Pipfile",
    "setup.py",
    "manage.py",
    "uv.lock",
    "poetry.lock",
)


def detect(project: Project) -> bool:
    """A Python app has a dependency manifest (or manage.py) at its root."""
    return (
        project.first(*_MARKERS) is not None
        or project.first("requirements/base.txt", "requirements/production.txt") is not None
    )


def plan(project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
    """Read the manifests, lockfile and sources; decide everything the template needs.

    `hints` are answers given up front (`--set`) that settle what the files leave open.
    """
    hints = hints or {}
    pyproject = project.read_toml("pyproject.toml") or {}
    schema = type_warnings("pyproject.toml", pyproject, _FIELDS)
    manager = detect_manager(project, hints.get("package_manager"))
    python = detect_python_version(project, pyproject)
    app = detect_app(project, manager.packages)
    table = native_table("python")
    deps = tuple(
        NativeDep(name=name, reason=f"{table[name].reason} [{manager.source}]")
        for name in sorted(manager.packages)
        if name in table and not any(other in manager.packages for other in table[name].unless)
    )
    base_reason = (
        "slim (glibc): the Python default, since musl wheels are often missing "
        "and building them on Alpine is slow"
    )
    if deps:
        base_reason += f" (native: {', '.join(d.name for d in deps)})"
    reasons = {
        "kind": f"{project.first(*_MARKERS) or 'a requirements file'} at the root",
        "package_manager": manager.reason,
        **({"package_manager_version": manager.version_reason} if manager.version_reason else {}),
        "runtime_version": python.reason,
        "dependency_files": "the manifests and lockfile the install reads, copied before the source",
        **app.reasons,
        "base": base_reason,
    }
    return Detection(
        kind=NAME,
        package_manager=manager.name,
        package_manager_version=manager.version,
        runtime_version=python.version,
        framework=app.framework,
        dependency_files=manager.files,
        build_command=app.build_command,
        start_command=app.start_command,
        port=app.port,
        health_path=app.health_path,
        native_deps=deps,
        base="slim",
        base_reason=base_reason,
        reasons=reasons,
        warnings=tuple(dict.fromkeys([*schema, *manager.warnings, *python.warnings, *app.warnings])),
    )
