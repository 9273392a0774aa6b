"""Node.js detector: package.json apps (npm, pnpm, Yarn, Bun)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dockgen._project import Project
from dockgen.detectors._base import Detection
from dockgen.detectors._schema import type_warnings
from dockgen.detectors.node._app import detect_app
from dockgen.detectors.node._lock import read_lock
from dockgen.detectors.node._manager import detect_manager
from dockgen.detectors.node._native import choose_base, native_deps
from dockgen.detectors.node._runtime import detect_node_version
from dockgen.errors import InputError

__all__ = ["LABEL", "NAME", "detect", "plan"]

NAME = "node"
_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "main": (str,),
    "type": (str,),
    "scripts": (dict,),
    "engines": (dict,),
    "engines.node": (str,),
    "packageManager": (str,),
    "workspaces": (list, dict),
    "dependencies": (dict,),
    "devDependencies": (dict,),
    "optionalDependencies": (dict,),
    "volta": (dict,),
}
LABEL = "Node.js"


def detect(project: Project) -> bool:
    """A Node.js app has a package.json at its root."""
    return project.is_file("package.json")


def plan(project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
    """Read package.json, the lockfile and the sources; decide everything the template needs.

    `hints` are answers given up front (`--set`) that settle what the files leave open.
    """
    hints = hints or {}
    manifest: Any = project.read_json("package.json")
    if not isinstance(manifest, dict):
        raise InputError("expected a JSON object", path="package.json")
    warnings = type_warnings("package.json", manifest, _FIELDS)
    manager = detect_manager(project, manifest, hints.get("package_manager"))
    node = detect_node_version(project, manifest)
    lock = read_lock(project, manifest, manager.lockfile)
    app = detect_app(project, manifest, manager.name, lock)
    deps = native_deps(lock)
    base, base_reason = choose_base(deps)
    warnings += [*manager.warnings, *node.warnings, *app.warnings]
    if isinstance(manifest.get("workspaces"), list | dict):
        warnings.append(
            "package.json declares workspaces: dockgen builds the root package as one app "
            "(choosing one workspace app is not supported yet)"
        )
    if any(arg.startswith("--env-file") for arg in app.start_command):
        warnings.append(
            "the start command reads an --env-file, but .dockerignore keeps .env files out of the image: "
            "pass the variables at run time (docker run --env-file) and drop the flag"
        )
    if project.is_file(".npmrc"):
        warnings.append(
            ".npmrc is left out of the build context (it can hold registry tokens); "
            "its settings do not apply inside the image"
        )
    reasons = {
        "kind": "package.json at the root",
        "package_manager": manager.reason,
        **({"package_manager_version": manager.version_reason} if manager.version_reason else {}),
        "runtime_version": node.reason,
        "dependency_files": "the manifest and lockfile the install reads, copied before the source",
        **app.reasons,
        "base": base_reason,
    }
    return Detection(
        kind=NAME,
        package_manager=manager.name,
        package_manager_version=manager.version,
        runtime_version=node.major,
        framework=app.framework,
        dependency_files=manager.files,
        build_command=app.build_command,
        build_output=app.build_output,
        start_command=app.start_command,
        port=app.port,
        health_path=app.health_path,
        native_deps=deps,
        base=base,
        base_reason=base_reason,
        next_standalone=app.next_standalone,
        extra={"static_site": True} if app.static_site else {},
        reasons=reasons,
        warnings=tuple(dict.fromkeys(warnings)),
    )
