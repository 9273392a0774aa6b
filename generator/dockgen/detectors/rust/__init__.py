"""Rust detector: a Cargo package or workspace with a binary target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dockgen._knowledge import native_table
from dockgen._project import Project
from dockgen.detectors._assets import find_assets
from dockgen.detectors._base import Detection, Ecosystem, NativeDep, no_base_drift
from dockgen.detectors.rust._app import crate_sources, scan_app
from dockgen.detectors.rust._cargo import Binary, binaries, locked_packages, stale_lock, toolchain
from dockgen.errors import AmbiguousProjectError, NoProjectError

__all__ = ["ECOSYSTEM", "LABEL", "NAME", "base_drift", "detect", "plan", "tooling_only"]

NAME = "rust"
LABEL = "Rust"
ECOSYSTEM = Ecosystem(markers=("Cargo.toml",), manifest="Cargo.toml", workspaces="Cargo workspaces")


def detect(project: Project) -> bool:
    """A Rust app has a Cargo.toml at its root."""
    return project.is_file("Cargo.toml")


def _binary(project: Project, found: list[Binary], chosen: Any, path: Any = None) -> tuple[Binary, str]:
    """The binary to build and why.

    `chosen` is the `rust_bin` answer, `path` the `--path` given (a workspace member's folder: its
    binary is chosen among that package's).
    """
    if isinstance(path, str) and path and not (isinstance(chosen, str) and chosen):
        folder = path.strip("/").removeprefix("./")
        inside = [b for b in found if b.folder == folder]
        if not inside and project.is_file(f"{folder}/Cargo.toml"):
            raise NoProjectError(
                f"--path {path}: {folder}/Cargo.toml is not a member of the root's Cargo workspace "
                "(its `members`); dockgen builds the root package or a member of the root workspace",
                path="Cargo.toml",
            )
        if not inside:
            members = sorted({b.folder for b in found if b.folder})
            raise NoProjectError(
                f"--path {path}: no binary of a workspace member in that folder"
                + (f" (members with binaries: {', '.join(members[:20])})" if members else ""),
                path="Cargo.toml",
            )
        if len(inside) == 1:
            return inside[0], f"--path {path}: the binary of package {inside[0].package}"
        found = inside
    names = [b.name for b in found]
    if isinstance(chosen, str) and chosen:
        match = next((b for b in found if b.name == chosen), None)
        if match is None:
            raise NoProjectError(
                f"no binary named {chosen!r} (binaries: {', '.join(names) or 'none'})", path="Cargo.toml"
            )
        return match, "given with --set rust_bin"
    if not found:
        raise NoProjectError(
            "Cargo.toml found, but no binary target (src/main.rs, src/bin/*.rs or [[bin]]); "
            "a library has nothing to run",
            path="Cargo.toml",
        )
    if len(found) > 1:
        raise AmbiguousProjectError(
            f"several binaries ({', '.join(names)}); choose one with --set rust_bin={'|'.join(names)}",
            path="Cargo.toml",
            answer="rust_bin",
            choices=tuple(names),
        )
    where = f"package {found[0].package}" + (f" in {found[0].folder}/" if found[0].folder else "")
    return found[0], f"the only binary target ({where})"


def tooling_only(project: Project) -> str | None:
    """Never: this ecosystem's markers always mean an app."""
    return None


def plan(project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
    """Read Cargo.toml (and the workspace members), Cargo.lock and the sources."""
    hints = hints or {}
    found, manifests = binaries(project)
    binary, binary_reason = _binary(project, found, hints.get("rust_bin"), hints.get("app_path"))
    rust = toolchain(project)
    crates = locked_packages(project)
    warnings: list[str] = []
    files = [*manifests]
    stale = stale_lock(project, manifests) if project.is_file("Cargo.lock") else None
    if stale:
        # --locked would stop the build; cargo updates only what the manifests changed
        warnings.append(
            f"{stale}: `cargo build --locked` would fail, so the image builds without --locked; "
            "run `cargo update --workspace` and commit Cargo.lock"
        )
    elif project.is_file("Cargo.lock"):
        files.append("Cargo.lock")
    else:
        warnings.append("no Cargo.lock: the build resolves dependencies afresh; commit Cargo.lock for an app")
    for name in ("rust-toolchain.toml", "rust-toolchain"):
        if project.is_file(name):
            files.append(name)
    app = scan_app(project, binary.folder, crates)
    assets = find_assets(project, "rust", crate_sources(project, binary.folder), binary.folder)
    warnings += assets.warnings
    table = native_table("rust")
    deps = tuple(
        NativeDep(name=crate, reason=f"{table[crate].reason} [Cargo.lock]")
        for crate in sorted(crates)
        if crate in table and not any(other in crates for other in table[crate].unless)
    )
    base_reason = "slim (Debian, glibc): the binary links glibc and libgcc"
    if deps:
        base_reason += f", and the system libraries of {', '.join(d.name for d in deps)}"
    reasons = {
        "kind": "Cargo.toml at the root",
        "package_manager": "Cargo",
        "runtime_version": rust.reason,
        "rust_bin": binary_reason,
        "dependency_files": "manifests and lockfile; Cargo's registry and target folder are cache mounts",
        "start_command": f"cargo build --release --bin {binary.name}, as /usr/local/bin/{binary.name}",
        **app.reasons,
        **assets.reasons(),
        "base": base_reason,
    }
    return Detection.of(
        kind=NAME,
        values={
            "package_manager": "cargo",
            "package_manager_version": "",
            "runtime_version": rust.version,
            "framework": app.framework or "",
            "rust_bin": binary.name,
            **assets.answers(),
            "dependency_files": tuple(dict.fromkeys(files)),
            "build_command": [],
            "port": app.port,
            "start_command": [f"/usr/local/bin/{binary.name}"],
            "health_path": app.health_path or "/",
            "base": "slim",
        },
        reasons=reasons,
        manifest=ECOSYSTEM.manifest,
        native_deps=deps,
        warnings=[*warnings, *app.warnings],
    )


base_drift = no_base_drift
