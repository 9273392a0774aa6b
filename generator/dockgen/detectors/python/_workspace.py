"""uv workspaces: the members the root pyproject.toml declares, and which of them are apps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dockgen._project import Project
from dockgen.detectors.python._app import ENTRY_SCRIPTS, detect_app
from dockgen.detectors.python._manager import declared_packages

__all__ = ["Workspace", "is_app", "member_packages", "read_workspace"]

_PATH = re.compile(r"^[A-Za-z0-9_@+][A-Za-z0-9_.@+-]*(/[A-Za-z0-9_@+][A-Za-z0-9_.@+-]*)*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Workspace:
    """A uv workspace root: its members (folders) and the members that are apps."""

    members: tuple[str, ...]
    apps: tuple[str, ...]

    def manifests(self) -> list[str]:
        return [f"{folder}/pyproject.toml" for folder in self.members]


def _globs(table: dict[str, Any], key: str) -> list[str]:
    found = table.get(key)
    patterns = [p for p in found if isinstance(p, str)] if isinstance(found, list) else []
    cleaned = [p.removeprefix("./").rstrip("/") for p in patterns]
    return [p for p in cleaned if p and not p.startswith("/") and ".." not in p.split("/")]


def member_packages(project: Project, folder: str) -> frozenset[str]:
    """The normalised names a member declares in [project] dependencies."""
    member = Project(project.root / folder)
    return frozenset(declared_packages(member, "uv", member.read_toml("pyproject.toml") or {}))


def read_workspace(project: Project, pyproject: dict[str, Any]) -> Workspace | None:
    """The uv workspace declared in the root pyproject.toml ([tool.uv.workspace]), or None."""
    tool = pyproject.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    table = uv.get("workspace") if isinstance(uv, dict) else None
    if not isinstance(table, dict):
        return None
    excluded = {f for p in _globs(table, "exclude") for f in project.folders_with("pyproject.toml", p)}
    members = tuple(
        dict.fromkeys(
            folder
            for pattern in _globs(table, "members")
            for folder in project.folders_with("pyproject.toml", pattern)
            if folder not in excluded and _PATH.match(folder) and project.is_file(f"{folder}/pyproject.toml")
        )
    )
    apps = tuple(folder for folder in members if is_app(project, folder))
    return Workspace(members=members, apps=apps)


def is_app(project: Project, folder: str = "") -> bool:
    """A web framework's app, a Django project or an entry script: something to run."""
    member = Project(project.root / folder) if folder else project
    if any(member.is_file(script) for script in ("manage.py", *ENTRY_SCRIPTS)):
        return True
    packages = member_packages(project, folder) if folder else frozenset()
    return bool(packages) and detect_app(member, packages).framework is not None
