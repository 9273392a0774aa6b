"""Binary packages pinned to releases without wheels for newer Pythons (template/_data/python_wheels.yml).

A pinned or locked release that ships no wheel for the image's Python is built from source, and
the slim image has neither a compiler nor the headers (psycopg2-binary 2.9.9 on 3.13: "pg_config
executable not found"). This module finds the newest CPython line every such pin has wheels for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from dockgen._knowledge import python_wheels

__all__ = ["WheelLimit", "first_release_for", "minor", "wheel_limit"]


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelLimit:
    """The newest CPython line with wheels for every pinned binary package, and the pin that sets it."""

    version: str  # "3.13"
    package: str
    pinned: str
    source_build: str

    def pin(self, source: str) -> str:
        """`psycopg2-binary 2.9.10 (requirements.txt)`."""
        return f"{self.package} {self.pinned} ({source})"


def minor(line: str) -> int:
    """`3.13` → 13."""
    return int(line.split(".")[1])


def wheel_limit(pins: Mapping[str, str]) -> WheelLimit | None:
    """The lowest of the pinned binary packages' newest wheel lines; None when no row applies.

    A pin newer than the table's `checked` release is not judged (it may well have newer wheels).
    """
    limits = []
    for name, row in python_wheels().items():
        pinned = pins.get(name)
        if pinned is None:
            continue
        try:
            version = Version(pinned)
            if version > Version(row.checked):
                continue
            lines = [line for line, first in row.first.items() if Version(first) <= version]
        except InvalidVersion:
            continue
        newest = max(lines, key=minor) if lines else f"3.{min(map(minor, row.first)) - 1}"
        limits.append(WheelLimit(version=newest, package=name, pinned=pinned, source_build=row.source_build))
    return min(limits, key=lambda limit: (minor(limit.version), limit.package)) if limits else None


def first_release_for(package: str, line: str) -> str | None:
    """The first release of `package` with wheels for the CPython `line`, when the table knows it."""
    row = python_wheels().get(package)
    return row.first.get(line) if row else None
