"""Native dependencies from the shared table plus the lockfile's install-script signal; base choice."""

from __future__ import annotations

from dockgen._knowledge import native_table, node_benign
from dockgen.detectors._base import NativeDep
from dockgen.detectors.node._lock import LockInfo

__all__ = ["choose_base", "native_deps"]


def native_deps(lock: LockInfo) -> tuple[NativeDep, ...]:
    """Known native packages anywhere in the tree, then unknown packages with install scripts."""
    table = native_table("node")
    known: list[NativeDep] = []
    unknown: list[NativeDep] = []
    for name, package in sorted(lock.packages.items()):
        if not package.linux:
            continue
        scope = " (devDependency: build stage only)" if package.dev else ""
        where = "package.json" if package.direct or lock.source is None else lock.source
        if name in table and not name.startswith("_"):
            known.append(NativeDep(name=name, reason=f"{table[name].reason} [{where}]{scope}"))
        elif package.install_script and name not in node_benign():
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
