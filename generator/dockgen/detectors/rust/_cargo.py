"""Cargo manifests: the packages of a crate or workspace, their binaries, and the toolchain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dockgen._project import Project
from dockgen.detectors._toml_lock import TOML_LIMIT, package_tables
from dockgen.errors import InputError

__all__ = ["Binary", "Toolchain", "binaries", "locked_packages", "stale_lock", "toolchain"]

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")
_CHANNEL = re.compile(r"^1\.(\d{1,3})(?:\.\d+)?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Binary:
    """A binary target: its name, the package that has it and that package's folder."""

    name: str
    package: str
    folder: str  # "" for the root package


@dataclass(frozen=True, slots=True, kw_only=True)
class Toolchain:
    """The Rust release of the builder image (`1` = the newest 1.x), and why."""

    version: str
    reason: str


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _package_bins(project: Project, folder: str, manifest: dict[str, Any]) -> list[Binary]:
    """The binary targets of one package, as cargo discovers them."""
    package = _table(manifest.get("package"))
    name = package.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        return []
    prefix = f"{folder}/" if folder else ""
    found: list[str] = []
    claimed: set[str] = set()  # the source files of the [[bin]] targets, as cargo resolves them
    explicit = manifest.get("bin")
    for b in explicit if isinstance(explicit, list) else []:
        if isinstance(b, dict) and isinstance(b.get("name"), str):
            found.append(b["name"])
            path = b.get("path")
            if isinstance(path, str):
                claimed.add(path.removeprefix("./"))
            elif b["name"] == name:
                claimed.add("src/main.rs")
    autobins = package.get("autobins", True) is not False
    # a [[bin]] with `path = "src/main.rs"` is that target itself, not a second binary
    if (
        autobins
        and project.is_file(f"{prefix}src/main.rs")
        and name not in found
        and "src/main.rs" not in claimed
    ):
        found.append(name)
    if autobins:  # src/bin/<name>.rs and src/bin/<name>/main.rs
        for rel in project.files(".rs", max_depth=folder.count("/") + 4):
            if not rel.startswith(f"{prefix}src/bin/"):
                continue
            rest = rel.removeprefix(f"{prefix}src/bin/")
            if "/" not in rest:
                stem = rest.removesuffix(".rs")
            elif rest.count("/") == 1 and rest.endswith("/main.rs"):
                stem = rest.split("/")[0]
            else:
                continue
            if stem not in found and rel.removeprefix(prefix) not in claimed:
                found.append(stem)
    return [Binary(name=b, package=name, folder=folder) for b in found if _NAME.match(b)]


def binaries(project: Project) -> tuple[list[Binary], list[str]]:
    """Every binary of the root package and the workspace members; and the manifests read.

    Workspace members may be globs (`crates/*`); `exclude`d folders are left out.
    """
    root = project.read_toml("Cargo.toml") or {}
    manifests = ["Cargo.toml"]
    found = _package_bins(project, "", root)
    workspace = _table(root.get("workspace"))
    members = [m for m in workspace.get("members", []) if isinstance(m, str)]
    excluded = {e.strip("/") for e in workspace.get("exclude", []) if isinstance(e, str)}
    folders: list[str] = []
    for member in members:
        member = member.strip().strip("/")
        if not member or ".." in member.split("/") or member.startswith("/"):
            continue
        if any(c in member for c in "*?["):
            folders += [m for m in project.folders_with("Cargo.toml", member) if m not in folders]
        elif member not in folders:
            folders.append(member)
    for folder in folders:
        if folder in excluded or not project.is_file(f"{folder}/Cargo.toml"):
            continue
        manifests.append(f"{folder}/Cargo.toml")
        found += _package_bins(project, folder, project.read_toml(f"{folder}/Cargo.toml") or {})
    return found, manifests


def locked_packages(project: Project) -> set[str]:
    """Names of every package in Cargo.lock (the whole dependency tree)."""
    return {p["name"] for p in package_tables(project, "Cargo.lock") if isinstance(p.get("name"), str)}


def toolchain(project: Project) -> Toolchain:
    """rust-toolchain.toml's channel (or rust-toolchain), else the newest 1.x image."""
    for name in ("rust-toolchain.toml", "rust-toolchain"):
        if not project.is_file(name):
            continue
        text = project.read_text(name) or ""
        channel = None
        if name.endswith(".toml") or text.lstrip().startswith("["):
            data = project.read_toml(name) or {}
            value = _table(data.get("toolchain")).get("channel")
            channel = value if isinstance(value, str) else None
        else:
            channel = text.strip().splitlines()[0].strip() if text.strip() else None
        if channel and _CHANNEL.match(channel):
            return Toolchain(version=channel, reason=f"{name}: channel {channel}")
        if channel:
            return Toolchain(version="1", reason=f"{name}: channel {channel!r} is no release; the newest 1.x")
    return Toolchain(version="1", reason="no rust-toolchain file: the newest stable Rust (rust:1 image)")


_DEPENDENCY_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


def _manifest_dependencies(manifest: dict[str, Any], workspace: dict[str, Any]) -> set[str]:
    """The package names a manifest depends on (renames resolved), target-specific ones included."""
    tables = [manifest.get(t) for t in _DEPENDENCY_TABLES]
    for target in _table(manifest.get("target")).values():
        tables += [_table(target).get(t) for t in _DEPENDENCY_TABLES]
    inherited = _table(workspace.get("dependencies"))
    names: set[str] = set()
    for table in tables:
        for key, spec in _table(table).items():
            spec = _table(spec)
            if spec.get("workspace") is True:
                spec = _table(inherited.get(key))
            package = spec.get("package")
            names.add(package if isinstance(package, str) else key)
    return names


def stale_lock(project: Project, manifests: list[str]) -> str | None:
    """Why Cargo.lock no longer matches a manifest's dependencies (`cargo build --locked` fails), or None.

    A package's own entry in the lockfile (no `source`) lists its dependencies by name; a name the
    manifest dropped, or one it added, means cargo must rewrite the lockfile.
    """
    if len(project.read_text("Cargo.lock") or "") > TOML_LIMIT:
        return None  # a lockfile that large is scanned, not parsed: not checked
    try:
        lock = project.read_toml("Cargo.lock") or {}
    except InputError:
        return None  # too large for the TOML parser: not checked
    packages = [p for p in lock.get("package", []) if isinstance(p, dict) and "source" not in p]
    workspace = _table((project.read_toml("Cargo.toml") or {}).get("workspace"))
    for manifest_file in manifests:
        manifest = project.read_toml(manifest_file) or {}
        name = _table(manifest.get("package")).get("name")
        entry = next((p for p in packages if p.get("name") == name), None)
        if not isinstance(name, str) or entry is None:
            continue
        locked = {d.split()[0] for d in entry.get("dependencies", []) if isinstance(d, str) and d}
        wanted = _manifest_dependencies(manifest, workspace)
        dropped, added = sorted(locked - wanted), sorted(wanted - locked)
        if dropped or added:
            parts = [f"lists {', '.join(dropped)}, which {manifest_file} no longer has"] if dropped else []
            parts += [f"lacks {', '.join(added)}, which {manifest_file} adds"] if added else []
            return f"Cargo.lock {' and '.join(parts)} (package {name})"
    return None
