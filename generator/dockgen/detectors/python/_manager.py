"""Which tool installs the app's dependencies, from which files, and which packages they are."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dockgen._knowledge import package_managers, versions
from dockgen._project import Project
from dockgen.detectors._toml_lock import package_tables
from dockgen.errors import AmbiguousProjectError

__all__ = ["Manager", "detect_manager", "normalise"]

#: The lockfile of each manager that has one (package_managers.yml), in the order dockgen prefers them
_LOCKFILES = {name: package_managers()[name]["lockfiles"][0] for name in ("uv", "poetry", "pdm", "pipenv")}
_REQUIREMENTS = (
    "requirements.txt", "requirements/production.txt", "requirements/prod.txt", "requirements/base.txt",
    "requirements-prod.txt", "requirements/main.txt",
)  # fmt: skip
#: `==1.2.3`, an exact pin (not `==1.2.*` nor `===`), whatever follows it (a hash, a marker)
_EXACT = re.compile(r"^\s*==\s*([0-9][0-9A-Za-z.!+-]*)(?![*\w.!+-])")
_CREDENTIALS = re.compile(r"https?://[^/\s@]+@")
# Possessive (`*+`): once the name, the spaces and the extras are read, the engine never gives
# them back. Only `(.*)$` can fail (a line break inside a pyproject string), and no shorter split
# could succeed where the longest failed; retrying every split took cubic time (issue 18).
_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*+)\s*+(?:\[([^\]]*+)\])?\s*+(.*)$")
#: `-r file`, `-r=file`, `--requirement file`... (no `\s*=?\s*`: an optional token between two runs)
_INCLUDE = re.compile(r"^(?:-r|--requirement|-c|--constraint)\s*(?:=\s*)?(\S+)")
# `a/../`: a folder and the `..` that leaves it. The look-behind starts a try only where a path
# segment starts; from every character of a long segment, each try read to its end (issue 18).
_PARENT_STEP = re.compile(r"(?<![^/])[^/]+/\.\./")


def normalise(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class Manager:
    """The package-manager decision, its files and the packages it installs."""

    name: str
    version: str | None
    files: tuple[str, ...]
    packages: frozenset[str]  # normalised names of (production) packages, transitive when locked
    #: exact versions by normalised name: `==` pins of requirement files, every package of a lock
    pins: Mapping[str, str] = field(default_factory=dict)
    source: str  # the file the package list came from
    reason: str
    version_reason: str | None = None
    warnings: tuple[str, ...] = field(default=())


def _pyproject(project: Project) -> dict[str, Any]:
    return project.read_toml("pyproject.toml") or {}


def _tool(pyproject: dict[str, Any], name: str) -> dict[str, Any] | None:
    tool = pyproject.get("tool")
    section = tool.get(name) if isinstance(tool, dict) else None
    return section if isinstance(section, dict) else None


def detect_manager(project: Project, choice: str | None = None) -> Manager:
    """Lockfiles first, then pyproject tables, then requirements files.

    Raises:
        AmbiguousProjectError: several lockfiles and no `choice` (the `package_manager` answer).
    """
    pyproject = _pyproject(project)
    warnings: list[str] = []
    locked = [pm for pm, lock in _LOCKFILES.items() if project.is_file(lock)]
    if len(locked) > 1:
        if choice is None or choice not in locked:
            names = ", ".join(_LOCKFILES[pm] for pm in locked)
            raise AmbiguousProjectError(
                f"several lockfiles ({names}): choose the package manager with "
                f"--set package_manager={'|'.join(locked)}, or delete the stray lockfiles",
                path=project.root,
                answer="package_manager",
                choices=tuple(locked),
            )
        locked = [choice, *[pm for pm in locked if pm != choice]]
    if locked:
        name = locked[0]
        reason = f"{_LOCKFILES[name]} found"
    elif _tool(pyproject, "poetry") is not None and not _requirements(project):
        name, reason = "poetry", "[tool.poetry] in pyproject.toml"
    elif _tool(pyproject, "pdm") is not None and not _requirements(project):
        name, reason = "pdm", "[tool.pdm] in pyproject.toml"
    elif project.is_file("Pipfile"):
        name, reason = "pipenv", "Pipfile found"
    elif _requirements(project):
        name, reason = "pip", f"{_requirements(project)} found"
    elif isinstance(pyproject.get("project"), dict):
        name, reason = (
            "uv",
            "pyproject.toml [project] dependencies without a lockfile: uv resolves them",
        )
    else:
        name, reason = "pip", "no dependency manifest found"
        warnings.append("no requirements.txt, pyproject.toml or lockfile: nothing to install")
    lock = _LOCKFILES.get(name)
    if name != "pip" and not (lock and project.is_file(lock)):
        warnings.append(f"no {lock} for {name}: installs are not reproducible; commit the lockfile")
    version, version_reason = _version(project, name)
    pins: dict[str, str] = {}
    files, packages, source = _files_and_packages(project, name, pyproject, warnings, pins)
    return Manager(
        name=name,
        version=version,
        files=files,
        packages=packages,
        pins=pins,
        source=source,
        reason=reason,
        version_reason=version_reason,
        warnings=tuple(warnings),
    )


def _requirements(project: Project) -> str | None:
    return project.first(*_REQUIREMENTS)


def _version(project: Project, name: str) -> tuple[str | None, str | None]:
    if name == "pip":
        return None, None
    if name == "poetry":
        header = (project.read_text("poetry.lock") or "")[:300]
        match = re.search(r"generated by Poetry (\d+\.\d+\.\d+)", header)
        if match:
            return match[1], "poetry.lock was written by this Poetry"
    return str(versions()["package_manager"][name]), "no version pinned: dockgen's default"


def _files_and_packages(
    project: Project, name: str, pyproject: dict[str, Any], warnings: list[str], pins: dict[str, str]
) -> tuple[tuple[str, ...], frozenset[str], str]:
    if name == "pip":
        main = _requirements(project)
        if main is None:
            return ("requirements.txt",), frozenset(), "nothing"
        files: list[str] = []
        packages = _read_requirements(project, main, files, warnings, pins)
        return tuple(files), frozenset(packages), main
    lock = _LOCKFILES[name]
    manifest = "Pipfile" if name == "pipenv" else "pyproject.toml"
    files_list = [manifest] + ([lock] if project.is_file(lock) else [])
    if name == "poetry" and project.is_file("README.md") and _needs_readme(pyproject):
        files_list.append("README.md")
    packages = _locked_packages(project, name, lock, pins) if project.is_file(lock) else set()
    if name in ("uv", "poetry") and project.is_file(lock):
        warnings += _lock_gaps(project, name, lock, pyproject)
    source = lock if packages else manifest
    if not packages:
        packages = declared_packages(project, name, pyproject)
    return tuple(files_list), frozenset(packages), source


def _lock_gaps(project: Project, name: str, lock: str, pyproject: dict[str, Any]) -> list[str]:
    """A dependency pyproject.toml lists and the lockfile lacks: the lock is older than the manifest."""
    locked = {normalise(p["name"]) for p in package_tables(project, lock) if isinstance(p.get("name"), str)}
    if not locked:
        return []  # an empty or unreadable lock: nothing to compare
    declared = {n for n in declared_packages(project, name, pyproject, extras=False) if n not in locked}
    if not declared:
        return []
    shown = ", ".join(sorted(declared)[:5]) + (" ..." if len(declared) > 5 else "")
    effect = (
        "`poetry install` stops because the lock does not match pyproject.toml"
        if name == "poetry"
        else "`uv sync --frozen` installs the lock as it is, without them"
    )
    return [
        f"pyproject.toml lists {shown}, which {lock} lacks: {effect}; run `{name} lock` and commit {lock}"
    ]


def _needs_readme(pyproject: dict[str, Any]) -> bool:
    """Poetry reads the README named in the package metadata even for `install --no-root`."""
    project = pyproject.get("project")
    poetry = _tool(pyproject, "poetry")
    if poetry is not None and poetry.get("package-mode") is False:
        return False  # an application, not a package: no metadata is built
    return bool((isinstance(project, dict) and project.get("readme")) or (poetry and poetry.get("readme")))


def _read_requirements(
    project: Project, path: str, files: list[str], warnings: list[str], pins: dict[str, str], depth: int = 0
) -> set[str]:
    if depth > 5:
        warnings.append(f"{path}: requirement files nest more than 5 deep; the rest is not read")
        return set()
    files.append(path)
    packages: set[str] = set()
    unpinned: list[str] = []
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    for number, raw in enumerate((project.read_text(path) or "").splitlines(), start=1):
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if _CREDENTIALS.search(line):
            # never repeat the line: it holds the secret
            warnings.append(
                f"{path} line {number}: a URL with credentials; the file is copied into the image and its "
                "build logs: keep credentials in a ~/.netrc and pass it as a build secret "
                "(docker build --secret id=netrc,src=$HOME/.netrc)"
            )
        include = _INCLUDE.match(line)
        if include:
            target = _PARENT_STEP.sub("", base + include[1])
            if target in files:
                warnings.append(f"{path}: include cycle ({include[1]} is already read); ignored")
            elif project.is_file(target):
                packages |= _read_requirements(project, target, files, warnings, pins, depth + 1)
            else:
                warnings.append(f"{path}: includes {include[1]}, which does not exist")
            continue
        if line.startswith(("-e", "--editable")) or line in (".", "./"):
            warnings.append(
                f"{path}: `{line}` installs the project itself, which needs the source; "
                "dockgen installs requirements before copying the source"
            )
            continue
        if line.startswith("-"):
            continue
        match = _REQUIREMENT.match(line.split(";")[0].strip())
        if match:
            name = normalise(match[1])
            packages.add(name)
            packages |= {f"{name}-{normalise(e)}" for e in (match[2] or "").split(",") if e.strip()}
            exact = _EXACT.match(match[3])
            if exact:
                pins.setdefault(name, exact[1])
            if "==" not in match[3] and "@" not in match[3]:
                unpinned.append(match[1])
    if unpinned:
        shown = ", ".join(unpinned[:5]) + (" ..." if len(unpinned) > 5 else "")
        warnings.append(
            f"{path}: {len(unpinned)} requirement(s) not pinned with == ({shown}); "
            "installs are not reproducible (pip-compile or uv pip compile can lock them)"
        )
    return packages


def _locked_packages(project: Project, name: str, lock: str, pins: dict[str, str]) -> set[str]:
    if name == "pipenv":
        data = project.read_json(lock)
        default = data.get("default") if isinstance(data, dict) else None
        if not isinstance(default, dict):
            return set()
        for key, entry in default.items():
            exact = _EXACT.match(entry.get("version") or "") if isinstance(entry, dict) else None
            if exact:
                pins[normalise(key)] = exact[1]
        return {normalise(k) for k in default}
    result = set()
    for package in package_tables(project, lock):
        if not isinstance(package.get("name"), str):
            continue
        groups = package.get("groups")
        category = package.get("category")
        if name == "poetry" and (
            (isinstance(groups, list) and "main" not in groups)
            or (category is not None and category != "main")
        ):
            continue
        if name == "pdm" and isinstance(groups, list) and "default" not in groups:
            continue
        result.add(normalise(package["name"]))
        if isinstance(package.get("version"), str):
            pins[normalise(package["name"])] = package["version"]
    return result


def declared_packages(
    project: Project, name: str, pyproject: dict[str, Any], *, extras: bool = True
) -> set[str]:
    """Normalised names the manifest declares; with `extras`, also `name-extra` for each extra."""
    declared: list[str] = []
    table = pyproject.get("project")
    if isinstance(table, dict) and isinstance(table.get("dependencies"), list):
        declared += [d for d in table["dependencies"] if isinstance(d, str)]
    poetry = _tool(pyproject, "poetry")
    deps = poetry.get("dependencies") if poetry else None
    if isinstance(deps, dict):
        declared += [k for k in deps if k.lower() != "python"]
    if name == "pipenv":
        pipfile = project.read_toml("Pipfile") or {}
        packages = pipfile.get("packages")
        if isinstance(packages, dict):
            declared += list(packages)
    result = set()
    for spec in declared:
        match = _REQUIREMENT.match(spec.strip())
        if match:
            result.add(normalise(match[1]))
            result |= (
                set()
                if not extras
                else {
                    f"{normalise(match[1])}-{normalise(e)}" for e in (match[2] or "").split(",") if e.strip()
                }
            )
    return result
