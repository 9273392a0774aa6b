"""The knowledge tables shared with the template: native dependencies, versions, wheels, managers.

They live in the template (`template/_data/*.yml`) because the Dockerfile template reads them too;
dockgen reads the copy bundled with this version of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from dockgen._bundle import bundled_yaml

__all__ = [
    "NativeRow",
    "WheelRow",
    "dialect",
    "native_list",
    "native_table",
    "package_caches",
    "package_managers",
    "pnpm_by_lockfile",
    "python_wheels",
    "servers",
    "services",
    "versions",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NativeRow:
    """One package of the native-dependency table, as the detectors need it."""

    name: str
    reason: str
    glibc: bool
    unless: tuple[str, ...] = field(default=())
    #: the Debian packages the running app needs (`runtime: apt:`): none on a distroless runtime
    runtime: tuple[str, ...] = field(default=())


def _load(name: str) -> dict[str, Any]:
    path = f"template/_data/{name}"
    data = bundled_yaml(path)
    assert isinstance(data, dict), path
    return data


@cache
def versions() -> dict[str, Any]:
    """The default-version table (`template/_data/versions.yml`)."""
    return _load("versions.yml")


@cache
def services(kind: str) -> dict[str, str]:
    """Client packages of one ecosystem and the service each connects to (`template/_data/services.yml`)."""
    return {str(k): str(v) for k, v in (_load("services.yml").get(kind) or {}).items()}


@cache
def servers() -> dict[str, dict[str, Any]]:
    """The servers dockgen runs beside an app, keyed by compose service name (`services.yml` `servers`)."""
    return {str(k): dict(v) for k, v in (_load("services.yml").get("servers") or {}).items()}


@cache
def dialect() -> dict[str, Any]:
    """The variables that say which database an app uses, and each server's names (`services.yml`)."""
    return dict(_load("services.yml").get("dialect") or {})


@cache
def native_table(kind: str) -> dict[str, NativeRow]:
    """Rows of the native-dependency table for one ecosystem, keyed by package name.

    `_unknown` is the row for packages the table does not know; `_toolchain` is not a package
    and is left out. An ecosystem's `_glibc: true` says its rows need glibc unless they say otherwise.
    """
    rows = _load("native_deps.yml").get(kind, {})
    glibc_default = bool(rows.get("_glibc", False))
    return {
        name: NativeRow(
            name=name,
            reason=str(row.get("reason", "")),
            glibc=bool(row.get("glibc", glibc_default)),
            unless=tuple(row.get("unless", ())),
            runtime=tuple((row.get("runtime") or {}).get("apt", ())),
        )
        for name, row in rows.items()
        if name not in ("_toolchain", "_benign", "_prebuilt", "_glibc")
    }


@cache
def native_list(kind: str, name: str) -> frozenset[str]:
    """A package list of one ecosystem's table (`_benign`, `_prebuilt`...).

    `_benign`: install scripts that compile nothing; `_prebuilt`: packages that ship their Linux
    binaries (as devDependencies they need no toolchain).
    """
    return frozenset((_load("native_deps.yml").get(kind) or {}).get(name, ()))


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelRow:
    """A binary Python package: the first release with wheels for each CPython line."""

    name: str
    first: dict[str, str]  # "3.13" -> "2.9.10"
    checked: str  # the newest release the table has looked at
    source_build: str  # what a build from source would need


@cache
def python_wheels() -> dict[str, WheelRow]:
    """The wheel table (`template/_data/python_wheels.yml`), keyed by normalised package name."""
    return {
        name: WheelRow(
            name=name,
            first={str(k): str(v) for k, v in row["first"].items()},
            checked=str(row["checked"]),
            source_build=str(row.get("source_build", "")),
        )
        for name, row in _load("python_wheels.yml").items()
    }


@cache
def package_managers() -> dict[str, dict[str, Any]]:
    """The package-manager table (`template/_data/package_managers.yml`), keyed by name.

    Yarn 2 and later is `yarn-berry`, Yarn 1 `yarn`.
    """
    return {str(k): dict(v) for k, v in _load("package_managers.yml").items()}


@cache
def install_pattern() -> re.Pattern[str]:
    """What marks a dependency install in a RUN command: any manager's `detect` words.

    Options may stand between the words (`pip --python /opt/venv/bin/python install -r`); words
    followed by `--global` or `-g` install a tool, not the app's dependencies.
    """
    option = r"(?: --?[\w-]+(?:=\S*| (?!-)\S+)?)*"
    alternatives = sorted(
        {
            option.join(f" {re.escape(word)}" for word in str(words).split()).lstrip()
            for row in package_managers().values()
            for words in row.get("detect") or ()
        }
    )
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b(?! (?:--global|-g)\b)")


@cache
def package_caches() -> tuple[str, ...]:
    """The folders of every manager's package cache, without the leading `/` (the security gate).

    A row's `shipped_cache` when it has one, its cache mounts otherwise.
    """
    folders = {
        str(folder).strip("/")
        for row in package_managers().values()
        for folder in row.get("shipped_cache", row.get("cache")) or ()
    }
    return tuple(sorted(folders))


@cache
def pnpm_by_lockfile() -> dict[str, str]:
    """The release of the pnpm line that writes each lockfile format (lockfileVersion's major)."""
    table = package_managers()["pnpm"].get("by_lockfile") or {}
    return {str(k): str(v) for k, v in table.items()}
