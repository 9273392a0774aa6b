"""What the lockfile says about installed packages: names, dev-only, install scripts, binaries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from dockgen._project import Project

__all__ = ["LockInfo", "LockedPackage", "read_lock"]


@dataclass(frozen=True, slots=True)
class LockedPackage:
    """One installed package as the lockfile records it."""

    name: str
    dev: bool = False
    install_script: bool = False
    linux: bool = True  # False: an optional package for other platforms only
    direct: bool = False  # listed in package.json itself


@dataclass(slots=True)
class LockInfo:
    """Packages of the whole dependency tree (when a lockfile can tell) and their binaries."""

    packages: dict[str, LockedPackage] = field(default_factory=dict)
    bins: dict[str, str] = field(default_factory=dict)  # binary name -> package name
    source: str | None = None  # the lockfile read, or None (package.json only)
    install_scripts_known: bool = False  # the lockfile records install scripts


def read_lock(project: Project, manifest: dict[str, Any], lockfile: str | None) -> LockInfo:
    """Read `lockfile` (any supported format); fall back to package.json's direct dependencies."""
    info = LockInfo()
    if lockfile in ("package-lock.json", "npm-shrinkwrap.json"):
        _npm(project.read_json(lockfile), info)
    elif lockfile == "pnpm-lock.yaml":
        _pnpm(project.read_yaml(lockfile), info)
    elif lockfile == "yarn.lock":
        _yarn(project.read_text(lockfile) or "", info)
    if info.packages:
        info.source = lockfile
    # direct dependencies always count, with their dev flag from package.json
    for section, dev in (
        ("dependencies", False),
        ("optionalDependencies", False),
        ("devDependencies", True),
    ):
        deps = manifest.get(section)
        if isinstance(deps, dict):
            for name in deps:
                if isinstance(name, str):
                    locked = info.packages.get(name)
                    info.packages[name] = (
                        replace(locked, direct=True) if locked else LockedPackage(name, dev=dev, direct=True)
                    )
    return info


def _npm(lock: Any, info: LockInfo) -> None:
    if not isinstance(lock, dict):
        return
    packages = lock.get("packages")
    if isinstance(packages, dict):  # lockfileVersion 2 and 3
        info.install_scripts_known = True
        for key, entry in packages.items():
            if not key or not isinstance(entry, dict) or "node_modules/" not in key:
                continue
            name = key.rsplit("node_modules/", 1)[1]
            os_list = entry.get("os")
            linux = not isinstance(os_list, list) or any(
                o == "linux" or (isinstance(o, str) and o.startswith("!") and o != "!linux") for o in os_list
            )
            package = LockedPackage(
                name,
                dev=entry.get("dev") is True,
                install_script=entry.get("hasInstallScript") is True,
                linux=linux,
            )
            previous = info.packages.get(name)
            if previous is None or (previous.dev and not package.dev):
                info.packages[name] = package
            bins = entry.get("bin")
            if isinstance(bins, dict) and key.count("node_modules/") == 1:
                for bin_name in bins:
                    info.bins.setdefault(str(bin_name), name)
        return
    _npm_v1(lock.get("dependencies"), info)


def _npm_v1(deps: Any, info: LockInfo) -> None:
    if not isinstance(deps, dict):
        return
    for name, entry in deps.items():
        if isinstance(entry, dict):
            info.packages.setdefault(name, LockedPackage(name, dev=entry.get("dev") is True))
            _npm_v1(entry.get("dependencies"), info)


_PNPM_KEY = re.compile(r"^/?((?:@[^/@]+/)?[^/@(]+)[@/]")


def _pnpm(lock: Any, info: LockInfo) -> None:
    if not isinstance(lock, dict):
        return
    packages = lock.get("packages")
    if not isinstance(packages, dict):
        return
    for key, entry in packages.items():
        match = _PNPM_KEY.match(str(key))
        if not match:
            continue
        name = match[1]
        requires_build = isinstance(entry, dict) and entry.get("requiresBuild") is True
        if requires_build:
            info.install_scripts_known = True
        dev = isinstance(entry, dict) and entry.get("dev") is True
        info.packages.setdefault(name, LockedPackage(name, dev=dev, install_script=requires_build))


_YARN_ENTRY = re.compile(r'^"?((?:@[^@/\s"]+/)?[^@\s",]+)@', re.MULTILINE)


def _yarn(text: str, info: LockInfo) -> None:
    for match in _YARN_ENTRY.finditer(text):
        if match[1] != "__metadata":
            info.packages.setdefault(match[1], LockedPackage(match[1]))
