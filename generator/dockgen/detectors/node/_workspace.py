"""Workspaces (monorepos): the packages of an npm, Yarn or pnpm workspace, and which are apps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dockgen._project import Project

__all__ = ["Workspace", "read_workspace"]

#: a workspace package name the generated commands may carry unquoted (npm's own name rules);
#: used with fullmatch, as `_PATH` is: `$` would let a trailing line break through
SAFE_NAME = re.compile(r"(@[A-Za-z0-9][A-Za-z0-9._~-]*/)?[A-Za-z0-9][A-Za-z0-9._~-]*")
_RUNTIME_FIELDS = ("dependencies", "optionalDependencies", "peerDependencies")

_PATH = re.compile(r"[A-Za-z0-9_@+][A-Za-z0-9_.@+-]*(/[A-Za-z0-9_@+][A-Za-z0-9_.@+-]*)*")
_SERVERS = ("express", "fastify", "koa", "@hapi/hapi", "@nestjs/core", "next", "@hono/node-server")


@dataclass(frozen=True, slots=True, kw_only=True)
class Workspace:
    """A workspace root: where its package list comes from and its packages (folder → name)."""

    source: str  # pnpm-workspace.yaml or package.json
    packages: dict[str, str]
    apps: tuple[str, ...]  # the packages with something to run or serve

    def manifests(self) -> list[str]:
        return [f"{folder}/package.json" for folder in self.packages]

    def uses(self, project: Project, folder: str, *, build: bool) -> tuple[str, ...]:
        """The folders of the workspace packages `folder` uses, directly or through each other.

        Dependencies come before their dependents. `build` adds devDependencies (what the build links).
        """
        folders = {name: f for f, name in self.packages.items()}
        fields = (*_RUNTIME_FIELDS, "devDependencies") if build else _RUNTIME_FIELDS

        def used_by(current: str) -> Iterator[str]:
            data = project.read_json(f"{current}/package.json")
            for field in fields:
                declared = data.get(field) if isinstance(data, dict) else None
                for name in declared if isinstance(declared, dict) else ():
                    found = folders.get(name)
                    if found is not None:
                        yield found

        # a depth-first walk with its own stack: a chain of workspace packages can be longer than
        # Python's recursion limit
        order: list[str] = []
        seen = {folder}
        stack = [(folder, used_by(folder))]
        while stack:
            current, pending = stack[-1]
            for found in pending:
                if found not in seen:
                    seen.add(found)
                    stack.append((found, used_by(found)))
                    break
            else:
                stack.pop()
                if stack:  # (the app itself is not one of the packages it uses)
                    order.append(current)
        return tuple(order)

    def has_script(self, project: Project, folder: str, script: str) -> bool:
        data = project.read_json(f"{folder}/package.json")
        scripts = data.get("scripts") if isinstance(data, dict) else None
        return isinstance(scripts, dict) and isinstance(scripts.get(script), str)


def _patterns(project: Project, manifest: dict[str, Any]) -> tuple[str, list[str]] | None:
    if project.is_file("pnpm-workspace.yaml"):
        data = project.read_yaml("pnpm-workspace.yaml")
        found = data.get("packages") if isinstance(data, dict) else None
        return "pnpm-workspace.yaml", [p for p in found or [] if isinstance(p, str)]
    declared = manifest.get("workspaces")
    if isinstance(declared, dict):  # Yarn classic: {"packages": [...], "nohoist": [...]}
        declared = declared.get("packages")
    if isinstance(declared, list):
        return "package.json", [p for p in declared if isinstance(p, str)]
    return None


def _is_app(data: dict[str, Any]) -> bool:
    """A package with something to start or a server framework to run."""
    scripts: dict[str, Any] = data["scripts"] if isinstance(data.get("scripts"), dict) else {}
    deps: dict[str, Any] = data["dependencies"] if isinstance(data.get("dependencies"), dict) else {}
    return bool("start" in scripts or any(s in deps for s in _SERVERS))


def read_workspace(project: Project, manifest: dict[str, Any]) -> Workspace | None:
    """The workspace declared at the root, or None. Negated and unsafe patterns are skipped."""
    found = _patterns(project, manifest)
    if found is None:
        return None
    source, patterns = found
    packages: dict[str, str] = {}
    manifests: dict[str, dict[str, Any]] = {}
    excluded: set[str] = set()
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").removeprefix("./").rstrip("/")
        if not pattern or ".." in pattern.split("/") or pattern.startswith("/"):
            continue
        for folder in project.folders_with("package.json", pattern):
            if not _PATH.fullmatch(folder):
                continue
            if negated:
                excluded.add(folder)
            elif project.is_file(f"{folder}/package.json"):
                data = project.read_json(f"{folder}/package.json")
                if isinstance(data, dict):
                    name = data.get("name")
                    packages[folder] = name if isinstance(name, str) else folder
                    manifests[folder] = data
    packages = {f: n for f, n in packages.items() if f not in excluded}
    apps = tuple(folder for folder in packages if _is_app(manifests[folder]))
    return Workspace(source=source, packages=packages, apps=apps)
