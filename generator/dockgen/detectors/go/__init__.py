"""Go detector: a module (go.mod) with a main package."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dockgen._knowledge import native_table
from dockgen._project import Project
from dockgen.detectors._assets import find_assets
from dockgen.detectors._base import Detection, Ecosystem, NativeDep, evidence
from dockgen.detectors.go._app import (
    binary_name,
    find_cgo,
    find_mains,
    program_sources,
    scan_app,
    usable_main,
)
from dockgen.detectors.go._mod import go_version, read_go_mod
from dockgen.errors import AmbiguousProjectError, InputError, NoProjectError

__all__ = ["ECOSYSTEM", "LABEL", "NAME", "base_drift", "detect", "plan", "tooling_only"]

NAME = "go"
LABEL = "Go"
ECOSYSTEM = Ecosystem(markers=("go.mod",), manifest="go.mod", workspaces="Go modules")


def detect(project: Project) -> bool:
    """A Go app has a go.mod at its root."""
    return project.is_file("go.mod")


def _main_package(project: Project, chosen: Any, path: Any) -> tuple[str, str, list[str]]:
    """The main package to build, why, and warnings.

    `chosen` is the `go_main` answer given up front, `path` the `--path` given (an examples
    repository: one go.mod, a main package per folder).

    A main package in a folder the `go_main` answer cannot name (a space, `$`...) is skipped with a
    warning, or is an error naming its file when there is no other.
    """
    found = find_mains(project)
    if isinstance(chosen, str) and chosen:
        return chosen, "given with --set go_main", []
    if isinstance(path, str) and path:
        folder = "./" + path.strip("/").removeprefix("./")
        if folder not in found:
            inside = [m for m in found if m.startswith(folder + "/")]
            if len(inside) != 1:
                raise NoProjectError(
                    f"--path {path}: no main package in that folder"
                    + (f" (main packages under it: {', '.join(inside)})" if inside else ""),
                    path="go.mod",
                )
            folder = inside[0]
        return folder, f"--path {path}: the main package in {folder}", []
    mains = [m for m in found if usable_main(m)]
    unusable = [file for m, file in found.items() if not usable_main(m)]
    rule = "letters, digits and _ . + @ - only, not starting with a dot"
    if unusable and not mains:
        raise InputError(
            f"a main package in a folder whose name dockgen cannot write into the Dockerfile ({rule}): "
            "rename the folder",
            path=unusable[0],
        )
    warnings = [
        f"{file}: a main package in a folder whose name dockgen cannot write into the Dockerfile ({rule}); "
        "skipped"
        for file in unusable
    ]
    if not mains:
        raise NoProjectError(
            "go.mod found, but no main package (a folder whose .go files say `package main` and "
            "define func main); a library has nothing to run",
            path="go.mod",
        )
    if len(mains) == 1:
        where = "the module root" if mains[0] == "." else mains[0]
        return mains[0], f"the only main package, in {where}", warnings
    raise AmbiguousProjectError(
        f"several main packages ({', '.join(mains)}); choose one with --set go_main={'|'.join(mains)}",
        path="go.mod",
        answer="go_main",
        choices=tuple(mains),
    )


def tooling_only(project: Project) -> str | None:
    """Never: this ecosystem's markers always mean an app."""
    return None


def plan(project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
    """Read go.mod and the sources; decide everything the template needs."""
    hints = hints or {}
    mod = read_go_mod(project)
    version = go_version(mod)
    main, main_reason, main_warnings = _main_package(project, hints.get("go_main"), hints.get("app_path"))
    sources = program_sources(project, main, mod.module)
    app = scan_app(project, main, mod.requires, sources)
    assets = find_assets(project, "go", sources, main.removeprefix("./").removeprefix("."))
    warnings: list[str] = [*version.warnings, *main_warnings, *assets.warnings]

    files = ["go.mod", *(["go.sum"] if project.is_file("go.sum") else [])]
    for target in mod.replaces_local:
        folder = target.removeprefix("./").rstrip("/")
        if target.startswith(("../", "/")):
            warnings.append(
                f"go.mod: replace => {target} points outside the repository, which is not in the "
                "build context; the build fails until that module is vendored or moved inside"
            )
        elif project.is_file(f"{folder}/go.mod"):
            files += [f"{folder}/{f}" for f in ("go.mod", "go.sum") if project.is_file(f"{folder}/{f}")]
    vendored = project.is_file("vendor/modules.txt")
    if vendored:
        files.append("vendor/modules.txt")
    elif mod.requires and not project.is_file("go.sum"):
        warnings.append("go.mod requires modules but there is no go.sum: run `go mod tidy` and commit go.sum")

    table = native_table("go")
    deps: list[NativeDep] = []
    own = find_cgo(project)
    if own:
        deps.append(NativeDep(name="cgo", reason=f'{own} imports "C": {table["cgo"].reason}'))
    deps += [
        NativeDep(name=module, reason=f"{table[module].reason} [go.mod]")
        for module in sorted(mod.requires)
        if module in table
    ]
    if deps:
        base = "slim"
        base_reason = (
            f"slim (Debian, glibc): cgo ({', '.join(d.name for d in deps)}) links the C library, "
            "so the binary cannot run on scratch"
        )
    else:
        base = "scratch"
        base_reason = "scratch: a static Go binary (CGO_ENABLED=0) needs no OS; CA certificates are copied in"

    name = binary_name(main, mod.module)
    reasons = {
        "kind": "go.mod at the root",
        "package_manager": "Go modules (go.mod)",
        "runtime_version": version.reason,
        "go_main": main_reason,
        "dependency_files": (
            "vendored modules (vendor/modules.txt): nothing to download"
            if vendored
            else "go.mod and go.sum, copied before the source so the module download stays cached"
        ),
        "start_command": f"go build -o /out/ {main} names the binary {name}",
        **app.reasons,
        **assets.reasons(),
        "base": base_reason,
    }
    return Detection.of(
        kind=NAME,
        values={
            "package_manager": "go",
            "package_manager_version": "",
            "runtime_version": version.version,
            "framework": app.framework or "",
            "go_main": main,
            **assets.answers(),
            "dependency_files": tuple(dict.fromkeys(files)),
            "build_command": [],
            "port": app.port,
            "start_command": [f"/usr/local/bin/{name}"],
            "health_path": app.health_path or "/",
            "base": base,
        },
        reasons=reasons,
        manifest=ECOSYSTEM.manifest,
        native_deps=tuple(deps),
        warnings=[*warnings, *app.warnings],
    )


def base_drift(recorded: str, detection: Detection) -> tuple[str, str] | None:
    """A static binary on scratch, but the code now uses cgo (it links the C library)."""
    if recorded != "scratch" or detection["base"] != "slim" or not detection.native_deps:
        return None
    dep = detection.native_deps[0]
    file = evidence(dep.reason, ECOSYSTEM.manifest)
    cgo = json.dumps([d.name for d in detection.native_deps])
    fix = f"dockgen update --set base=slim --set 'native_deps={cgo}'"
    return file, f"{file}: {dep.name} links the C library, but the answers say base scratch ({fix})"
