"""Native dependencies from the shared table plus the lockfile's install-script signal; base choice."""

from __future__ import annotations

from dockgen._knowledge import native_list, native_table
from dockgen.detectors._base import NativeDep
from dockgen.detectors.node._lock import LockInfo

__all__ = ["choose_base", "distroless_fits", "native_deps"]


def native_deps(lock: LockInfo) -> tuple[NativeDep, ...]:
    """Known native packages anywhere in the tree, then unknown packages with install scripts.

    A devDependency that ships its Linux binaries (`_prebuilt`) is left out: the build stage
    installs it without a compiler, and the runtime never has it.
    """
    table = native_table("node")
    known: list[NativeDep] = []
    unknown: list[NativeDep] = []
    for name, package in sorted(lock.packages.items()):
        if not package.linux or (package.dev and name in native_list("node", "_prebuilt")):
            continue
        scope = " (devDependency: build stage only)" if package.dev else ""
        where = "package.json" if package.direct or lock.source is None else lock.source
        if name in table and not name.startswith("_"):
            known.append(NativeDep(name=name, reason=f"{table[name].reason} [{where}]{scope}"))
        elif package.install_script and name not in native_list("node", "_benign"):
            unknown.append(
                NativeDep(
                    name=name,
                    reason=f"{table['_unknown'].reason} [install script in {where}]{scope}",
                )
            )
    return tuple(known + unknown)


def choose_base(deps: tuple[NativeDep, ...]) -> tuple[str, str]:
    """Alpine only when nothing needs glibc; the reason names the package that decided."""
    table = native_table("node")
    for dep in deps:
        row = table.get(dep.name, table["_unknown"])
        if row.glibc:
            return "slim", f"slim (glibc): {dep.name} needs it: {row.reason}"
    if deps:
        names = ", ".join(d.name for d in deps)
        return "alpine", f"alpine (musl): nothing needs glibc ({names} work on musl)"
    return "alpine", "alpine (musl): no native dependencies, so the smaller base works"


def distroless_fits(
    base: tuple[str, str],
    deps: tuple[NativeDep, ...],
    *,
    start_command: tuple[str, ...],
    manager: str,
    writable: bool,
) -> tuple[str, str]:
    """The distroless base instead of slim where the runtime needs glibc and node alone.

    That is: node starts the app (not npm or a tool's launcher), no native package needs a
    system package at run time, and nothing must be prepared with a shell (writable paths).
    """
    name, reason = base
    if name != "slim" or manager == "bun" or not start_command or start_command[0] != "node" or writable:
        return base
    table = native_table("node")
    if any(table.get(d.name, table["_unknown"]).runtime for d in deps):
        return base
    return (
        "distroless",
        f"distroless (glibc, no shell): {reason.removeprefix('slim (glibc): ')}; the app needs no "
        "system package at run time, so the runtime is glibc and node alone (no shell to debug "
        "with: --set base=slim gives one)",
    )
