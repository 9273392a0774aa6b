"""The `[[package]]` tables of a TOML lockfile (poetry.lock, uv.lock, pdm.lock, Cargo.lock).

Detection reads a few keys of each package: its name and version, and for Poetry and PDM its groups. The
tools write these files in one layout: `[[package]]` and other headers at the margin, `key = value`
lines at the margin, multi-line arrays indented. A scan of that layout reads 32 MB in about a
second; tomllib, in pure Python, took 10 to 16 s (issue 18, class 8). A file in another layout
goes to tomllib, up to TOML_LIMIT.
"""

from __future__ import annotations

import re
from typing import Any

from dockgen._project import Project
from dockgen.errors import InputError

__all__ = ["TOML_LIMIT", "package_tables"]

#: The largest lockfile read with tomllib, when it is not in its tool's layout (about a second).
TOML_LIMIT = 2 * 1024 * 1024
#: The keys of a package that detection reads.
_KEYS = frozenset({"name", "version", "groups", "category"})
#: `key = value` at the margin: a bare key, then the rest of the line.
_KEY_LINE = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*(.*)")
#: A table header at the margin (`[metadata]`, `[[package]]`, `[package.dependencies]`).
_HEADER = re.compile(r"(\[\[?)[ \t]*([A-Za-z0-9_.-]+)[ \t]*(\]\]?)[ \t]*(?:#.*)?")
#: A one-line string without escapes: basic or literal.
_STRING = r'"[^"\\]*"|\'[^\']*\''
#: A string, or a one-line array of strings (`["main", "dev"]`), and maybe a comment.
_ARRAY = rf"\[[ \t]*(?:(?:{_STRING})[ \t]*(?:,[ \t]*(?:{_STRING})[ \t]*)*(?:,[ \t]*)?)?\]"
_VALUE = re.compile(rf"({_STRING}|{_ARRAY})[ \t]*(?:#.*)?")


def package_tables(project: Project, lockfile: str) -> list[dict[str, Any]]:
    """The lockfile's `[[package]]` tables, with the keys detection reads, as tomllib gives them.

    Raises:
        InputError: the file is not in its tool's layout and too large for tomllib, or not TOML.
    """
    text = project.read_text(lockfile) or ""
    scanned = _scan(text)
    if isinstance(scanned, list):
        return scanned
    if len(text) > TOML_LIMIT:
        raise InputError(
            f"not in the layout its tool writes ({scanned}) and too large for a TOML parser "
            f"({len(text)} characters, more than {TOML_LIMIT}): regenerate it",
            path=lockfile,
        )
    packages = (project.read_toml(lockfile) or {}).get("package")
    return [p for p in packages if isinstance(p, dict)] if isinstance(packages, list) else []


def _scan(text: str) -> list[dict[str, Any]] | str:
    """The `[[package]]` tables, read line by line; or where `text` leaves the writers' layout."""
    if '"""' in text or "'''" in text:
        return "a multi-line string"  # it could hold anything, headers included
    packages: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None  # the package table the lines belong to
    for number, line in enumerate(text.split("\n"), start=1):
        first = line[:1]
        if first == "[":
            header = _HEADER.fullmatch(line.rstrip("\r"))
            if header is None or len(header[1]) != len(header[3]):
                return f"line {number}"  # a quoted key, an array of tables not closed as opened...
            current = {} if (header[1], header[2]) == ("[[", "package") else None
            if current is not None:
                packages.append(current)
            continue
        if current is None or first in ("", " ", "\t", "#", "\r"):
            continue  # another table, a blank line, a comment, or inside a multi-line array
        if first in "\"'":
            return f"line {number}"  # a quoted key: tomllib reads it
        pair = _KEY_LINE.fullmatch(line.rstrip("\r"))
        if pair is None:
            continue  # an element of a multi-line array (`true,`, a date...)
        key, value = pair[1], pair[2]
        if key not in _KEYS:
            continue
        if key in current:
            return f"line {number}"  # a key twice: tomllib says what is wrong
        parsed = _VALUE.fullmatch(value)
        if parsed is None:
            return f"line {number}"  # escapes, a multi-line array, a number...
        current[key] = _parse(parsed[1])
    return packages


def _parse(value: str) -> str | list[str]:
    if value[0] != "[":
        return value[1:-1]
    return [item[1:-1] for item in re.findall(_STRING, value)]
