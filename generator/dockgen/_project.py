"""A read-only, caching view of the repository that detectors read through.

Detectors never touch the file system directly: everything goes through `Project`, which stays
inside the repository root, never descends into dependency or VCS folders, caps what it reads and
turns unreadable or malformed files into one-line `InputError`s that name the file.
"""

from __future__ import annotations

import errno
import itertools
import json
import logging
import os
import re
import stat
import tomllib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from dockgen.errors import InputError, UsageError

__all__ = ["SKIPPED_DIRS", "Project", "load_yaml", "load_yaml_documents", "project_dir"]

_log = logging.getLogger("dockgen")

#: Folders that hold dependencies, build output, caches or VCS data; never walked.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "env",
        "__pycache__",
        ".next",
        ".nuxt",
        ".turbo",
        ".yarn",
        ".pnpm-store",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "dist",
        "build",
        "coverage",
        "site-packages",
        "target",
    }
)

#: The largest file a detector reads (lockfiles of big monorepos run to tens of MB).
MAX_FILE_BYTES = 32 * 1024 * 1024
#: The largest TOML or YAML file parsed whole: their parsers take about a second a MB (tomllib is
#: pure Python); JSON, parsed in C, may be as large as any file. Big lockfiles are scanned instead.
MAX_PARSED_BYTES = 4 * 1024 * 1024
#: The largest source file a scan reads (a port, a route, an app object); larger ones are skipped.
MAX_SOURCE_BYTES = 1024 * 1024
#: How far and how much the source walk looks (it never enters SKIPPED_DIRS or hidden folders).
WALK_DEPTH = 6
WALK_LIMIT = 5000


def project_dir(path: Path | str) -> Path:
    """The project folder, checked.

    Raises:
        UsageError: it is not a directory.
    """
    root = Path(path)
    if not root.is_dir():
        raise UsageError("not a directory", path=path)
    return root.resolve()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C: lockfiles hold tens of thousands of objects
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return result


#: A JSON escape of a UTF-16 surrogate (`\ud800` to `\udfff`); decoded UTF-8 text cannot hold one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def _strict_json(text: str) -> Any:
    data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    if not _SURROGATE_ESCAPE.search(text):  # the only way a surrogate gets into the data
        return data
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("invalid unicode (an unpaired surrogate)") from error
    return data


#: How deep YAML may nest: libyaml's composer recurses in C and crashes the process past ~30,000.
YAML_MAX_DEPTH = 512
#: How many nodes aliases may add when expanded (a 1 kB "billion laughs" file adds billions).
YAML_MAX_ALIAS_NODES = 100_000


def _check_yaml_shape(text: str, loader: Any, *, aliases: bool, max_depth: int) -> None:
    """Walk the parser's events (C, no recursion) before anything is built.

    Raises:
        ValueError: nesting deeper than `max_depth`, aliases that would add more than
            `YAML_MAX_ALIAS_NODES` nodes to anything that walks the data (or any alias when
            `aliases` is False), or an alias inside the collection it names.
    """
    sizes: list[list[Any]] = [[0, None]]  # per open collection: expanded node count, its anchor
    anchored: dict[str, int] = {}
    for events, event in enumerate(yaml.parse(text, Loader=loader), start=1):
        if isinstance(event, yaml.AliasEvent):
            if not aliases:
                raise ValueError("YAML aliases (*name) are not allowed in this file")
            if any(anchor == event.anchor for _, anchor in sizes):
                raise ValueError(f"the alias *{event.anchor} refers to a collection that holds it")
            sizes[-1][0] += anchored.get(str(event.anchor), 1)
        elif isinstance(event, yaml.ScalarEvent):
            sizes[-1][0] += 1
            if event.anchor is not None:
                anchored[str(event.anchor)] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(sizes) > max_depth:
                raise ValueError(f"nested deeper than {max_depth} levels")
            sizes.append([1, event.anchor])
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = sizes.pop()
            if anchor is not None:
                anchored[str(anchor)] = size
            sizes[-1][0] += size
        if sizes[-1][0] - events > YAML_MAX_ALIAS_NODES:
            raise ValueError(f"aliases expand to more than {YAML_MAX_ALIAS_NODES} nodes")


#: libyaml's safe loader when PyYAML has it: the pure-Python one takes seconds over 100 kB.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, *, aliases: bool = True, max_depth: int = YAML_MAX_DEPTH) -> Any:
    """One YAML document, safely: libyaml's safe loader, after a check of the document's shape.

    Nesting deeper than `max_depth` (libyaml's composer recurses in C and ends the process past
    ~30,000 levels), aliases that expand to more than `YAML_MAX_ALIAS_NODES` nodes, and any
    alias when `aliases` is False (files dockgen writes itself have none) are errors.

    Raises:
        ValueError: the document is nested too deeply or its aliases expand too far.
        yaml.YAMLError: it is not valid YAML, or holds several documents.
    """
    _check_yaml_shape(text, _LOADER, aliases=aliases, max_depth=max_depth)
    return yaml.load(text, Loader=_LOADER)


def load_yaml_documents(text: str, *, max_documents: int, max_depth: int = YAML_MAX_DEPTH) -> list[Any]:
    """The first `max_documents` documents of a multi-document YAML file (`---`), checked as `load_yaml`.

    Raises:
        ValueError, yaml.YAMLError: as `load_yaml`.
    """
    _check_yaml_shape(text, _LOADER, aliases=True, max_depth=max_depth)
    return list(itertools.islice(yaml.load_all(text, Loader=_LOADER), max_documents))


def _glob_name(glob: str, name: str) -> bool:
    """One path segment against `*` and `?` (everything else literal), in O(len(glob) * len(name)).

    The usual greedy match that resumes only after the last `*`: a regular expression built from
    the glob backtracks exponentially (`a*a*a*a*a*b` against a long run of `a`).
    """
    g = n = 0
    star, resume = -1, 0
    while n < len(name):
        if g < len(glob) and glob[g] in ("?", name[n]) and glob[g] != "*":
            g, n = g + 1, n + 1
        elif g < len(glob) and glob[g] == "*":
            star, resume, g = g, n, g + 1
        elif star >= 0:
            resume += 1
            g, n = star + 1, resume
        else:
            return False
    return all(c == "*" for c in glob[g:])


def _glob_path(globs: list[str], parts: list[str]) -> bool:
    """Path segments against glob segments; `**` is any number of segments (one at least at the end)."""
    reachable = {0}  # how many of `parts` the globs so far can have matched
    for index, glob in enumerate(globs):
        if glob == "**":
            low = min(reachable) + (1 if index == len(globs) - 1 else 0)
            reachable = set(range(low, len(parts) + 1))
        else:
            reachable = {k + 1 for k in reachable if k < len(parts) and _glob_name(glob, parts[k])}
        if not reachable:
            return False
    return len(parts) in reachable


class Project:
    """The repository at `root`, seen read-only through relative POSIX paths."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._text: dict[str, tuple[str | None, int]] = {}  # text and size in bytes
        self._parsed: dict[tuple[str, str], Any] = {}

    # ---- paths ---------------------------------------------------------------------------------
    def _probe(self, rel: str) -> Path | None:
        """The path `rel` names, or None when it cannot name a file of the repository.

        Names come from the repository's own files (a start script's arguments, `main`, a `-r`
        include): an absolute path, `..`, a NUL byte or an unpaired surrogate is simply not one
        of the repository's files.
        """
        if "\x00" in rel:
            return None
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            return None
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            return None
        return self.root.joinpath(*pure.parts)

    def _resolve(self, rel: str) -> Path | None:
        """The real path of `rel`, checked to be inside the repository; None when nothing is there.

        Every component is resolved, not only the last: with `conf -> /etc` committed, `conf/passwd`
        is outside the repository although no file of that name is a symlink.

        Raises:
            InputError: the path leads outside the repository through a symlink, or loops.
        """
        path = self._probe(rel)
        if path is None:
            return None
        try:
            real = Path(os.path.realpath(path, strict=True))
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise InputError("symlink loop; not read", path=rel) from error
            return None  # missing, a dangling link, or a component that is no folder
        if real != self.root and not real.is_relative_to(self.root):
            raise InputError("symlink points outside the repository; not read", path=rel)
        return real

    def is_file(self, rel: str) -> bool:
        """Whether `rel` is a regular file inside the repository.

        Raises:
            InputError: `rel` leads outside the repository through a symlink (of the file or of a
                folder on its path), loops, or is a FIFO, socket or device (never read: a FIFO
                would block, a device never ends).
        """
        real = self._resolve(rel)
        if real is None:
            return False
        try:
            mode = real.stat().st_mode
        except OSError:
            return False
        if stat.S_ISREG(mode):
            return True
        if stat.S_ISDIR(mode):
            return False
        raise InputError("not a regular file (a FIFO, socket or device); not read", path=rel)

    def is_dir(self, rel: str) -> bool:
        """Whether `rel` is a folder inside the repository (one reached through a symlink out is not)."""
        try:
            real = self._resolve(rel)
        except InputError:
            return False
        return real is not None and real.is_dir()

    def has(self, *rels: str) -> bool:
        """Whether any of `rels` exists as a file or folder."""
        return any(self.is_file(rel) or self.is_dir(rel) for rel in rels)

    def first(self, *rels: str) -> str | None:
        """The first of `rels` that is a file, or None."""
        return next((rel for rel in rels if self.is_file(rel)), None)

    # ---- reading -------------------------------------------------------------------------------
    def read_bytes(self, rel: str, *, limit: int = MAX_FILE_BYTES) -> bytes | None:
        """Content of `rel`, or None when it is not a file; never more than `limit` bytes.

        Raises:
            InputError: the file leads outside the repository, is no regular file, is larger than
                `limit`, or cannot be read.
        """
        if not self.is_file(rel):
            return None
        real = self._resolve(rel)
        assert real is not None  # is_file said so
        try:
            # O_NONBLOCK: a file swapped for a FIFO since is_file must not block the open
            fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", path=rel) from error
        with os.fdopen(fd, "rb") as handle:
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    raise InputError("not a regular file (a FIFO, socket or device); not read", path=rel)
                if info.st_size > limit:
                    raise InputError(f"file is too large to read ({info.st_size} bytes)", path=rel)
                data = handle.read(limit + 1)
            except OSError as error:
                raise InputError(f"cannot read: {error.strerror}", path=rel) from error
        if len(data) > limit:  # it grew while we read
            raise InputError(f"file is too large to read (over {limit} bytes)", path=rel)
        return data

    def read_text(self, rel: str, *, limit: int = MAX_FILE_BYTES) -> str | None:
        """Text of `rel` (UTF-8, BOM accepted), or None when it is not a file."""
        if rel in self._text:
            text, size = self._text[rel]
            if size > limit:  # read before under a larger cap
                raise InputError(f"file is too large to read ({size} bytes)", path=rel)
            return text
        data = self.read_bytes(rel, limit=limit)
        try:
            text = None if data is None else data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError(f"not valid UTF-8 (byte {error.start})", path=rel) from error
        self._text[rel] = (text, len(data or b""))
        return text

    def read_source(self, rel: str, *, limit: int = MAX_SOURCE_BYTES) -> str | None:
        """Text of a source file that detection only scans, or None when it is not a file or too large.

        Vendored bundles, generated code and embedded assets (an 800 kB `vendor.min.js`, a
        `bindata.go`) are normal in real repositories: a scan skips them (`--debug` says so)
        instead of failing. Manifests and lockfiles, which dockgen must read whole, use
        `read_text`, where a file over the cap is an error.
        """
        try:
            return self.read_text(rel, limit=limit)
        except InputError as error:
            if not error.message.startswith("file is too large"):
                raise
            _log.debug("%s: skipped by the source scan (%s)", rel, error.message)
            return None

    def read_json(self, rel: str) -> Any:
        """Parsed JSON of `rel`, or None when it is not a file.

        Stricter than `json.loads`: duplicate keys, NaN/Infinity and unpaired surrogates are errors.
        """
        return self._parse(rel, "json", _strict_json)

    def read_toml(self, rel: str) -> dict[str, Any] | None:
        """Parsed TOML of `rel`, or None when it is not a file."""
        result = self._parse(rel, "toml", tomllib.loads, limit=MAX_PARSED_BYTES)
        return result if isinstance(result, dict) else None

    def read_yaml(self, rel: str) -> Any:
        """Parsed YAML of `rel` (safe loader), or None when it is not a file."""
        return self._parse(rel, "yaml", load_yaml, limit=MAX_PARSED_BYTES)

    def _parse(self, rel: str, kind: str, loads: Any, *, limit: int = MAX_FILE_BYTES) -> Any:
        key = (rel, kind)
        if key not in self._parsed:
            text = self.read_text(rel, limit=limit)
            try:
                self._parsed[key] = None if text is None else loads(text)
            except RecursionError as error:
                raise InputError(f"invalid {kind.upper()}: nested too deeply", path=rel) from error
            except (ValueError, yaml.YAMLError) as error:
                detail = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise InputError(f"invalid {kind.upper()}: {detail}", path=rel) from error
        return self._parsed[key]

    # ---- walking -------------------------------------------------------------------------------
    def files(self, *suffixes: str, max_depth: int = 4) -> list[str]:
        """Relative paths of files ending in one of `suffixes`, shallowest first.

        Skips dependency, build, VCS and hidden folders; sees at most `WALK_LIMIT` files in all
        and nothing deeper than `WALK_DEPTH` folders.
        """
        return [rel for rel in self._all_files if rel.endswith(suffixes) and rel.count("/") <= max_depth]

    def folders_with(self, marker: str, pattern: str) -> list[str]:
        """Folders matching a workspace glob (`apps/*`, `crates/**`) that hold a `marker` file.

        Matched against the bounded walk (no dependency, build, VCS or hidden folders), never by
        globbing the disk: a `**` member must not descend into node_modules or target/.
        """
        globs = pattern.strip().removeprefix("./").rstrip("/").split("/")
        found = {rel.removesuffix("/" + marker) for rel in self.files("/" + marker, max_depth=WALK_DEPTH)}
        return sorted(f for f in found if _glob_path(globs, f.split("/")))

    @cached_property
    def _all_files(self) -> list[str]:
        return list(self._walk())

    def _walk(self) -> Iterator[str]:
        found = 0
        level = [""]
        for _depth in range(WALK_DEPTH + 1):
            next_level: list[str] = []
            for rel_dir in level:
                try:
                    entries = sorted(os.scandir(self.root / rel_dir), key=lambda e: e.name)
                except OSError:
                    continue
                for entry in entries:
                    rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in SKIPPED_DIRS and not entry.name.startswith("."):
                            next_level.append(rel)
                    elif entry.is_file(follow_symlinks=False):
                        yield rel
                        found += 1
                        if found >= WALK_LIMIT:
                            return
            level = next_level

    @cached_property
    def name(self) -> str:
        """The folder name of the repository."""
        return self.root.name
