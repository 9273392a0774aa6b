"""Python detector: pip, Poetry, uv, PDM and Pipenv apps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dockgen._knowledge import native_table
from dockgen._project import Project
from dockgen.detectors._base import (
    Detection,
    Ecosystem,
    NativeDep,
    Service,
    no_base_drift,
    services_in,
    the_workspace_app,
)
from dockgen.detectors._env import Wiring, example_variables, read_variables, wire
from dockgen.detectors._schema import type_warnings
from dockgen.detectors.python._app import app_sources, detect_app
from dockgen.detectors.python._manager import detect_manager
from dockgen.detectors.python._runtime import detect_python_version
from dockgen.detectors.python._state import Writable, writable_paths
from dockgen.detectors.python._workspace import Workspace, is_app, member_packages, read_workspace
from dockgen.errors import InputError

__all__ = ["ECOSYSTEM", "LABEL", "NAME", "base_drift", "detect", "plan", "tooling_only"]

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
ECOSYSTEM = Ecosystem(
    markers=("pyproject.toml", "requirements.txt", "Pipfile", "manage.py"),
    manifest="pyproject.toml",
    workspaces="uv workspaces",
)
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


def _app_path(
    project: Project, workspace: Workspace | None, pm: str, root_is_app: bool, chosen: Any
) -> str | None:
    """The uv workspace member to build (`--path`), or None for the root project.

    Raises:
        AmbiguousProjectError: several member apps, none at the root and no `--path`.
        InputError: `--path` names no member of a uv workspace.
    """
    if isinstance(chosen, str) and chosen.strip("./"):
        folder = chosen.strip().removeprefix("./").rstrip("/")
        if workspace is None:
            why = "Poetry has no workspaces" if pm == "poetry" else f"a {pm} project declares no uv workspace"
            raise InputError(
                f"--path {chosen}: {why}; --path builds a member of a uv workspace "
                "([tool.uv.workspace] in pyproject.toml)",
                path="pyproject.toml",
            )
        if folder not in workspace.members:
            raise InputError(
                f"--path {chosen}: not a member of the uv workspace "
                f"({', '.join(workspace.members) or 'none'})",
                path="pyproject.toml",
            )
        return folder
    if workspace is None or not workspace.apps or root_is_app:
        return None
    return the_workspace_app("a uv workspace", workspace.apps, "pyproject.toml")


def tooling_only(project: Project) -> str | None:
    """Never: this ecosystem's markers always mean an app."""
    return None


def plan(project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
    """Read the manifests, lockfile and sources; decide everything the template needs.

    `hints` are answers given up front (`--set`) that settle what the files leave open.
    """
    hints = hints or {}
    pyproject = project.read_toml("pyproject.toml") or {}
    schema = type_warnings("pyproject.toml", pyproject, _FIELDS)
    manager = detect_manager(project, hints.get("package_manager"))
    python = detect_python_version(project, pyproject, manager.pins, manager.source)
    workspace = read_workspace(project, pyproject) if manager.name == "uv" else None
    # a workspace root's own code is outside its members' folders
    app = detect_app(project, manager.packages, skip=workspace.members if workspace else ())
    root_is_app = app.framework is not None or is_app(project)
    folder = _app_path(project, workspace, manager.name, root_is_app, hints.get("app_path"))
    files = manager.files
    workspace_warnings: list[str] = []
    code, packages, skip = project, manager.packages, workspace.members if workspace else ()
    if folder and workspace is not None:  # a member of a uv workspace: its own code, the root's lock
        code, packages, skip = Project(project.root / folder), member_packages(project, folder), ()
        app = detect_app(code, packages)
        files = tuple(dict.fromkeys([*manager.files, *workspace.manifests()]))
    elif workspace is not None and workspace.apps:
        workspace_warnings.append(
            "pyproject.toml declares a uv workspace: dockgen builds the root project as the app; "
            f"to build a member instead, pass --path ({'|'.join(workspace.apps)})"
        )
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
    found = services_in("python", packages | manager.packages)
    extra: dict[str, Any] = {}
    sources = app_sources(code, skip)
    # Celery's broker is RabbitMQ or Redis: its URL in the code says which
    celery = "celery" in packages | manager.packages and not any(s.name == "Redis" for s in found)
    if celery and any("redis://" in (code.read_source(f) or "") for f in sources):
        found += (Service("Redis", "celery"),)
    wiring = Wiring()
    if found:
        shown = f"{folder}/" if code is not project else ""
        variables = read_variables(code, sources, "py", shown)
        for name, where in example_variables(code).items():
            variables.setdefault(name, shown + where)
        wiring = wire(found, variables, project, manager.source or "the dependencies")
        extra |= wiring.answers
        reasons |= wiring.reasons
    state = writable_paths(code, sources, packages | manager.packages)
    if state:
        extra["writable_paths"] = [w.path for w in state]
        reasons["writable_paths"] = "; ".join(f"{w.path}: {w.reason}" for w in state)
    if folder and workspace is not None:
        extra["app_path"] = folder
        reasons |= {
            "kind": f"{folder}/pyproject.toml, a member of the uv workspace in pyproject.toml",
            "app_path": f"{folder} (uv sync --project {folder})",
            "dependency_files": "the root pyproject.toml and uv.lock, and every member's pyproject.toml",
        }
    return Detection.of(
        kind=NAME,
        values={
            "package_manager": manager.name,
            "package_manager_version": manager.version or "",
            "runtime_version": python.version,
            "framework": app.framework or "",
            "dependency_files": files,
            "build_command": app.build_command or (),
            "port": app.port,
            "start_command": app.start_command,
            "health_path": app.health_path or "/",
            "base": "slim",
            **extra,
        },
        reasons=reasons,
        manifest=ECOSYSTEM.manifest,
        native_deps=deps,
        services=found,
        warnings=[
            *schema,
            *manager.warnings,
            *python.warnings,
            *app.warnings,
            *workspace_warnings,
            *_state_warnings(state, app.framework, manager.packages),
            *wiring.warnings,
        ],
    )


def _state_warnings(state: list[Writable], framework: str | None, packages: frozenset[str]) -> list[str]:
    """What the user must know about the app's writable state: where it lives, how to keep it."""
    if not state:
        return []
    paths = ", ".join(w.path for w in state)
    migrate = (
        "python manage.py migrate"
        if framework == "django"
        else "flask db upgrade"
        if "flask-migrate" in packages
        else None
    )
    return [
        f"the app writes {paths} at run time: the image keeps {'it' if len(state) == 1 else 'them'} in "
        "the volume /data, owned by the app user; mount a named volume there to keep the data "
        "(docker run -v APPNAME-data:/data ...)"
        + (
            f", and create the tables once with `{migrate}` in a container with that volume"
            if migrate
            else ""
        )
    ]


base_drift = no_base_drift
