"""Which package manager installs the app, at which version, from which files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dockgen._knowledge import package_managers, pnpm_by_lockfile, versions
from dockgen._project import Project
from dockgen.detectors.node._lock import pnpm_lockfile_version
from dockgen.errors import AmbiguousProjectError

__all__ = ["LOCKFILES", "Manager", "detect_manager"]

#: Lockfiles per package manager (package_managers.yml), in the order dockgen prefers them when
#: several exist: a stray package-lock.json next to another lockfile is usually an accidental
#: `npm install`.
LOCKFILES: dict[str, tuple[str, ...]] = {
    name: tuple(package_managers()[name]["lockfiles"]) for name in ("pnpm", "yarn", "bun", "npm")
}
_PM_FIELD = re.compile(r"^(npm|pnpm|yarn|bun)@(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Manager:
    """The package manager decision and the files the dependency install needs."""

    name: str
    version: str | None
    lockfile: str | None
    files: tuple[str, ...]
    reason: str
    version_reason: str | None
    warnings: tuple[str, ...] = field(default=())


def detect_manager(project: Project, manifest: dict[str, Any], choice: str | None = None) -> Manager:
    """Decide the package manager from `packageManager`, then from lockfiles.

    Args:
        project: the repository.
        manifest: package.json.
        choice: the `package_manager` answer given up front, which settles conflicting lockfiles.

    Raises:
        AmbiguousProjectError: several lockfiles, no `packageManager` pin and no `choice`.
    """
    warnings: list[str] = []
    present = {pm: lock for pm, locks in LOCKFILES.items() for lock in locks if project.is_file(lock)}
    pinned = manifest.get("packageManager")
    name: str
    version: str | None = None
    version_reason: str | None = None
    if isinstance(pinned, str) and (match := _PM_FIELD.match(pinned.strip())):
        name, version = match[1], match[2]
        reason = f"packageManager {pinned.strip()!r} in package.json"
        version_reason = "pinned by packageManager in package.json"
        others = [lock for pm, lock in present.items() if pm != name]
        if others:
            stray = ", ".join(others)
            warnings.append(
                f"package.json pins {name} but {stray} exist(s) too; dockgen uses {name} (delete it)"
            )
    else:
        if pinned is not None:
            warnings.append(f"package.json: packageManager {pinned!r} is not `<name>@<x.y.z>`; ignored")
        if present:
            name = next(iter(present))
            reason = f"{present[name]} found"
            if len(present) > 1:
                if choice is None or choice not in present:
                    found = ", ".join(present.values())
                    raise AmbiguousProjectError(
                        f"conflicting lockfiles ({found}): choose the package manager with "
                        f"--set package_manager={'|'.join(present)}, or delete the stray lockfiles",
                        path=project.root,
                        answer="package_manager",
                        choices=tuple(present),
                    )
                name = choice
                reason = f"{present[name]} (chosen with package_manager among {', '.join(present.values())})"
        else:
            name = "npm"
            reason = "no lockfile and no packageManager field: npm, Node.js's own package manager"
    lockfile = present.get(name)
    if lockfile is None:
        warnings.append(
            f"no lockfile for {name}: installs are not reproducible; commit the one `{name} install` writes"
        )
    if version is None:
        version, version_reason = _default_version(project, name, lockfile)
    files = [
        "package.json",
        *([lockfile] if lockfile else []),
        *_extra_files(project, name, manifest),
    ]
    return Manager(
        name=name,
        version=version,
        lockfile=lockfile,
        files=tuple(dict.fromkeys(files)),
        reason=reason,
        version_reason=version_reason,
        warnings=tuple(warnings),
    )


def _default_version(project: Project, name: str, lockfile: str | None) -> tuple[str | None, str | None]:
    table = versions()["package_manager"]
    if name == "npm":
        return None, None  # the npm that comes with the Node.js image
    if name == "pnpm" and lockfile:
        lock_version = pnpm_lockfile_version(project, lockfile)
        # pnpm's lockfile format names the pnpm line that wrote it (package_managers.yml)
        by_lockfile = pnpm_by_lockfile().get(lock_version.split(".")[0])
        if by_lockfile:
            return by_lockfile, f"pnpm-lock.yaml format {lock_version} (written by that pnpm line)"
    if name == "yarn":
        berry = _yarn_release(project)
        if berry:
            return berry, "yarnPath in .yarnrc.yml"
        text = project.read_text("yarn.lock") or ""
        if "__metadata:" in text or project.is_file(".yarnrc.yml"):
            return str(
                table["yarn-berry"]
            ), "Yarn Berry lockfile/.yarnrc.yml, no version pinned: dockgen's default"
        return str(table["yarn"]), "Yarn classic (v1 lockfile), no version pinned: dockgen's default"
    return str(table[name]), "no version pinned: dockgen's default"


def _yarnrc_path(project: Project) -> str | None:
    rc = project.read_yaml(".yarnrc.yml")
    value = rc.get("yarnPath") if isinstance(rc, dict) else None
    return value.removeprefix("./") if isinstance(value, str) else None


def _yarn_release(project: Project) -> str | None:
    path = _yarnrc_path(project)
    match = re.search(r"yarn-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\.c?js$", path or "")
    return match[1] if match else None


def _section(manifest: dict[str, Any], key: str) -> dict[str, Any]:
    value = manifest.get(key)
    return value if isinstance(value, dict) else {}


def _extra_files(project: Project, name: str, manifest: dict[str, Any]) -> list[str]:
    """Files besides package.json and the lockfile that the install itself reads."""
    extra: list[str] = []
    if name == "pnpm":
        extra += [f for f in ("pnpm-workspace.yaml", ".pnpmfile.cjs") if project.is_file(f)]
        patched = (
            (manifest.get("pnpm") or {}).get("patchedDependencies")
            if isinstance(manifest.get("pnpm"), dict)
            else None
        )
        if isinstance(patched, dict):
            extra += [p for p in patched.values() if isinstance(p, str) and project.is_file(p)]
    elif name == "yarn":
        if project.is_file(".yarnrc.yml"):
            extra.append(".yarnrc.yml")
        release = _yarnrc_path(project)
        if release and project.is_file(release):
            extra.append(release)
        rc = project.read_yaml(".yarnrc.yml")
        plugins = rc.get("plugins") if isinstance(rc, dict) else None
        for plugin in plugins if isinstance(plugins, list) else ():
            path = plugin.get("path") if isinstance(plugin, dict) else plugin
            if isinstance(path, str) and project.is_file(path.removeprefix("./")):
                extra.append(path.removeprefix("./"))
    elif name == "bun" and project.is_file("bunfig.toml"):
        extra.append("bunfig.toml")
    deps = {**_section(manifest, "dependencies"), **_section(manifest, "devDependencies")}
    # `prisma generate` runs with the dependency install and reads the schema
    if "@prisma/client" in deps:
        config = manifest.get("prisma")
        schema = config.get("schema") if isinstance(config, dict) else None
        candidates = [schema.removeprefix("./")] if isinstance(schema, str) else ["prisma/schema.prisma"]
        extra += [c for c in [*candidates, "prisma.config.ts"] if project.is_file(c)]
        extra += sorted(p for p in project.files(".prisma", max_depth=3) if p.startswith("prisma/schema/"))
    # patch-package applies patches/ in postinstall, during the dependency install
    if "patch-package" in deps and project.is_dir("patches"):
        extra += sorted(p for p in project.files(".patch", max_depth=2) if p.startswith("patches/"))
    return extra
