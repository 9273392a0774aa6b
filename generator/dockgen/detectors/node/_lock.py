"""What the lockfile says about installed packages: names, dev-only, install scripts, binaries."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from dockgen._project import Project
from dockgen.errors import InputError

__all__ = ["PNPM_YAML_LIMIT", "LockInfo", "LockedPackage", "pnpm_lockfile_version", "read_lock"]

#: The largest pnpm-lock.yaml read with a YAML parser, when it is not in the layout pnpm writes.
#: pnpm's own are read line by line at any size up to the cap of every file (tens of MB in a
#: second); a YAML parser took 104 s and 1.85 GB over a 27 MB one (issue 18).
PNPM_YAML_LIMIT = 256 * 1024


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
        _pnpm(_read_pnpm(project, lockfile)[1], info)
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


def _pnpm(packages: dict[Any, Any], info: LockInfo) -> None:
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


def pnpm_lockfile_version(project: Project, lockfile: str) -> str:
    """The `lockfileVersion` of a pnpm lockfile, as written (`9.0`), or ""."""
    return _read_pnpm(project, lockfile)[0]


def _read_pnpm(project: Project, lockfile: str) -> tuple[str, dict[Any, Any]]:
    """(lockfileVersion, the `packages` section) of the project's lockfile (its last document).

    Raises:
        InputError: the file is not in pnpm's layout and too large for a YAML parser, or it is
            not valid YAML.
    """
    text = project.read_text(lockfile) or ""
    scanned = _scan_pnpm(text)
    if isinstance(scanned, tuple):
        return scanned
    if len(text) > PNPM_YAML_LIMIT:
        raise InputError(
            f"not in the layout pnpm writes ({scanned}) and too large for a YAML parser "
            f"({len(text)} characters, more than {PNPM_YAML_LIMIT}): regenerate it with `pnpm install`",
            path=lockfile,
        )
    data = project.read_yaml(lockfile)
    if not isinstance(data, dict):
        return "", {}
    packages = data.get("packages")
    return str(data.get("lockfileVersion", "")), packages if isinstance(packages, dict) else {}


#: A line at the top level of a pnpm lockfile: a plain key, then nothing, a value or a comment.
_PNPM_TOP = re.compile(r"([A-Za-z][\w-]*):(?: (.*))?")
#: A quoted key at the start of a line: single quotes double themselves, double quotes escape.
_QUOTED = re.compile(r"'((?:[^']|'')*)'|\"((?:[^\"\\]|\\.)*)\"")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
#: What YAML 1.1 (PyYAML) reads as true and false.
_YAML_BOOLS = {
    **dict.fromkeys(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"), False),
}
#: Fields of a package entry that dockgen reads.
_PNPM_FIELDS = ("requiresBuild", "dev")


@functools.lru_cache(maxsize=1)  # the package manager and the lockfile reader both ask
def _scan_pnpm(text: str) -> tuple[str, dict[str, dict[str, Any]]] | str:
    """(lockfileVersion, packages) of a lockfile in the layout pnpm writes, read line by line.

    pnpm writes block YAML with two-space indentation: top-level keys at the margin, the entries
    of `packages:` one level in, their fields one level further (a key over 1024 characters as
    `? key` and `: first-field`). Only the fields dockgen reads are kept, as YAML would read them.
    pnpm 11 and later can write two documents, an env document and the project's: the last counts.

    Returns:
        The version and packages; or, when the text is not in that layout, where it leaves it.
    """
    version = ""
    packages: dict[str, dict[str, Any]] = {}
    section = None
    entry_indent = field_indent = 0
    fields: dict[str, Any] | None = None
    explicit: str | None = None  # a `? key` waiting for its `:` line
    for number, line in enumerate(text.split("\n"), start=1):
        if line[:1] != " ":  # the top level: a blank line, a comment, `---` or a key
            line = line.rstrip("\r")
            if not line or line[0] == "#":
                continue
            top = _PNPM_TOP.fullmatch(line)
            if line == "---":  # a new document
                version, packages, section = "", {}, None
            elif top is None or explicit is not None:
                return f"line {number}"
            elif top[1] == "lockfileVersion":
                section, version = top[1], _scalar(top[2] or "")[0]
            elif top[1] == "packages":
                value, _ = _scalar(top[2] or "")
                if value not in ("", "{}"):
                    return f"line {number}"
                packages, entry_indent, fields = {}, 0, None
                section = "packages" if value == "" else "packages: {}"
            else:
                section = top[1]
            continue
        if section != "packages" and section != "packages: {}":
            continue  # importers, snapshots...: not read
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if field_indent and indent > field_indent:
            continue  # inside a field's value (dependencies, a folded message...)
        stripped = stripped.rstrip("\r")
        if not stripped or stripped[0] == "#":
            continue
        entry_indent = entry_indent or indent
        if section != "packages" or stripped[0] == "\t" or indent < entry_indent:
            return f"line {number}"  # under `packages: {}`, a tab, or less indented than the entries
        if indent == entry_indent:
            if explicit is None and stripped.startswith("? "):
                explicit = _key(stripped[2:], "")
                if explicit is None:
                    return f"line {number}"
                continue
            if explicit is None:
                key = _key(stripped, ":")
                if key is None:
                    return f"line {number}"
                fields, field_indent = packages.setdefault(key, {}), 0
                fields.clear()  # a key written twice: YAML keeps the last
                continue
            if stripped[:1] != ":" or stripped[1:2] not in ("", " "):
                return f"line {number}"
            fields, field_indent, explicit = packages.setdefault(explicit, {}), 0, None
            fields.clear()
            rest = stripped[1:].lstrip(" ")  # the first field follows `: `, in the column it starts
            if rest in ("", "{}"):
                continue
            stripped, indent = rest, indent + len(stripped) - len(rest)
        if fields is None or explicit is not None:
            return f"line {number}"
        field_indent = field_indent or indent
        if indent < field_indent:
            return f"line {number}"
        name, colon, value = stripped.partition(":")
        if colon and name in _PNPM_FIELDS:
            scalar, quoted = _scalar(value)
            fields[name] = scalar if quoted else _YAML_BOOLS.get(scalar, scalar)
    return (version, packages) if explicit is None else "a `? key` without its value"


def _scalar(value: str) -> tuple[str, bool]:
    """A one-line scalar value without its comment and its quotes; and whether it was quoted."""
    value = value.strip()
    value = "" if value.startswith("#") else value.split(" #", 1)[0].rstrip()
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1], True
    return value, False


def _key(text: str, after: str) -> str | None:
    """The key a line starts with, as YAML reads it; None when it is not a key pnpm writes.

    `after` is what follows the key: `:` in an entry (then nothing, `{}` or a comment), nothing in
    an explicit `? key`. An anchor, an alias, a tag or a flow collection is not pnpm's.
    """
    quoted = _QUOTED.match(text)
    if quoted:
        key = quoted[1].replace("''", "'") if quoted[1] is not None else _unescape(quoted[2])
        rest = text[quoted.end() :]
    elif not text or text[0] in "[]{},#&*!|>%@`'\"" or text[:2] in ("- ", ": "):
        return None
    else:  # a plain key ends at `: ` or at a final `:`
        cut = text.find(": ") if after else -1
        if cut < 0:
            cut = len(text) - 1 if after and text.endswith(":") else len(text)
        key, rest = text[:cut].rstrip(" "), text[cut:]
        if " #" in key:
            return None
    if key is None or not rest.startswith(after):
        return None
    tail = rest[len(after) :].split(" #", 1)[0].strip()
    return key if tail == "" or (after and tail == "{}") else None


def _unescape(body: str) -> str | None:
    """A double-quoted YAML scalar's body with its escapes decoded, or None for an invalid one."""
    replacements: dict[str, str] = yaml.scanner.Scanner.ESCAPE_REPLACEMENTS

    def decode(escape: re.Match[str]) -> str:
        code = escape[1]
        if len(code) > 1:
            return chr(int(code[1:], 16))
        return replacements[code]

    try:
        return _ESCAPE.sub(decode, body)
    except (KeyError, ValueError):  # an unknown escape, a code point past U+10FFFF
        return None


_YARN_ENTRY = re.compile(r'^"?((?:@[^@/\s"]+/)?[^@\s",]+)@', re.MULTILINE)


def _yarn(text: str, info: LockInfo) -> None:
    for match in _YARN_ENTRY.finditer(text):
        if match[1] != "__metadata":
            info.packages.setdefault(match[1], LockedPackage(match[1]))
