"""Which Python minor version the image runs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from dockgen._knowledge import versions
from dockgen._project import Project
from dockgen.detectors.python._wheels import WheelLimit, first_release_for, minor, wheel_limit

__all__ = ["PythonVersion", "detect_python_version"]

_MINOR = re.compile(r"^(?:python-?|cpython-?)?(3)\.(\d{1,2})(?:\.\d+)?\b")
#: Commas and spaces before a constraint's next clause. The look-behind tries a run of them only
#: from its start: tried from each of its characters, a long run took quadratic time (issue 18).
_SEPARATOR = re.compile(r"(?<![,\s])[,\s]+(?=[<>=!~^0-9*])")


@dataclass(frozen=True, slots=True)
class PythonVersion:
    """The chosen major.minor, why, and doubts about it."""

    version: str
    reason: str
    warnings: tuple[str, ...] = field(default=())


def _maintained() -> list[str]:
    return [str(v) for v in versions()["python_maintained"]]


def _known() -> list[str]:
    newest = int(_maintained()[-1].split(".")[1])
    return [f"3.{minor}" for minor in range(6, newest + 1)]


def _allows(spec: SpecifierSet, minor: str) -> bool:
    return any(spec.contains(f"{minor}.{patch}", prereleases=False) for patch in (0, 99))


def _highest(specs: list[SpecifierSet], limit: WheelLimit | None = None) -> str | None:
    """The newest maintained (else known) minor that any of `specs` allows.

    No newer than `limit` when the specs allow one that old; else the newest they allow (the
    pins and the specifier disagree).
    """
    for capped in (True, False) if limit else (False,):
        for pool in (_maintained(), _known()):
            allowed = [
                m
                for m in pool
                if any(_allows(s, m) for s in specs)
                and not (capped and limit and minor(m) > minor(limit.version))
            ]
            if allowed:
                return max(allowed, key=minor)
    return None


def _newest(
    what: str, specs: list[SpecifierSet], limit: WheelLimit | None, source: str
) -> tuple[str, str] | None:
    """(version, reason): the newest release `specs` allow that the pinned binary packages have wheels for."""
    found = _highest(specs, limit)
    if found is None:
        return None
    reason = f"{what}: the newest release it allows"
    if limit and found != _highest(specs) and minor(found) <= minor(limit.version):
        reason += f" that {limit.pin(source)} ships wheels for"
    return found, reason


def _poetry_specs(constraint: str) -> list[SpecifierSet]:
    """Poetry's `^3.11`, `~3.11`, `>=3.11,<3.14`, `3.11.*`, `a || b` as PEP 440 specifier sets."""
    result = []
    for alternative in constraint.split("||"):
        parts = []
        for raw in _SEPARATOR.split(alternative.strip()):
            item = raw.strip().rstrip(",")
            if not item or item == "*":
                continue
            caret = re.fullmatch(r"\^(\d+)(?:\.(\d+))?(?:\.(\d+))?", item)
            tilde = re.fullmatch(r"~(\d+)(?:\.(\d+))?(?:\.\d+)?", item)
            if caret:
                major, minor = int(caret[1]), caret[2]
                upper = f"<{major + 1}" if major else f"<0.{int(minor or 0) + 1}"
                parts += [f">={item[1:]}", upper]
            elif tilde:
                major, minor = int(tilde[1]), tilde[2]
                parts += [
                    f">={item[1:]}",
                    f"<{major}.{int(minor) + 1}" if minor else f"<{major + 1}",
                ]
            elif re.fullmatch(r"\d+(\.\d+){0,2}(\.\*)?", item):
                parts.append(f"=={item}")
            else:
                parts.append(item)
        result.append(SpecifierSet(",".join(parts)))
    return result


def detect_python_version(
    project: Project, pyproject: dict[str, Any], pins: Mapping[str, str] | None = None, source: str = ""
) -> PythonVersion:
    """`.python-version`, `requires-python`, `runtime.txt`, Poetry's python, Pipfile, in that order.

    `pins` (exact versions by package, from `source`): where the project leaves the version open,
    the newest release its pinned binary packages ship wheels for (`_wheels`).
    """
    warnings: list[str] = []
    limit = wheel_limit(pins or {})
    explicit = False  # a file names one version, not a range
    choice: tuple[str, str] | None = None
    text = project.read_text(".python-version", limit=4096)
    if text is not None:
        # uv and pyenv skip `#` comment lines; the first other line names the version
        pinned = next(
            (
                line.strip()
                for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")
            ),
            "",
        )
        match = _MINOR.match(pinned)
        if match:
            choice, explicit = (f"3.{match[2]}", ".python-version"), True
        else:
            warnings.append(f".python-version: cannot read a CPython version from {pinned!r}; ignored")
    table = pyproject.get("project")
    requires = table.get("requires-python") if isinstance(table, dict) else None
    requires_spec: SpecifierSet | None = None
    if isinstance(requires, str):
        try:
            requires_spec = SpecifierSet(requires)
        except InvalidSpecifier:
            warnings.append(
                f"pyproject.toml: requires-python {requires!r} is not a version specifier; ignored"
            )
        else:
            if choice is None:
                choice = _newest(
                    f"requires-python {requires!r} in pyproject.toml", [requires_spec], limit, source
                )
    runtime = project.read_text("runtime.txt", limit=4096)
    if choice is None and runtime is not None and (match := _MINOR.match(runtime.strip())):
        choice, explicit = (f"3.{match[2]}", f"runtime.txt ({runtime.strip()})"), True
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    constraint = deps.get("python") if isinstance(deps, dict) else None
    if choice is None and isinstance(constraint, str):
        try:
            specs = _poetry_specs(constraint)
        except InvalidSpecifier:
            warnings.append(
                f"pyproject.toml: Poetry's python constraint {constraint!r} is not understood; ignored"
            )
        else:
            choice = _newest(f"python = {constraint!r} in [tool.poetry.dependencies]", specs, limit, source)
    if choice is None and project.is_file("Pipfile"):
        pipfile = project.read_toml("Pipfile") or {}
        required = pipfile.get("requires")
        wanted = required.get("python_version") if isinstance(required, dict) else None
        if isinstance(wanted, str) and (match := _MINOR.match(wanted)):
            choice, explicit = (f"3.{match[2]}", "python_version in Pipfile"), True
    if choice is None:
        default = str(versions()["runtime"]["python"])
        if limit is None or minor(limit.version) >= minor(default):
            return PythonVersion(
                default,
                f"no version pinned: Python {default}, the newest stable release",
                tuple(warnings),
            )
        choice = (
            limit.version,
            f"no version pinned: Python {limit.version}, the newest line {limit.pin(source)} ships wheels "
            f"for (on {default} pip would build it from source, which {limit.source_build})",
        )
    version, reason = choice
    if limit and minor(version) > minor(limit.version):  # pinned, or the only versions allowed
        first = first_release_for(limit.package, version)
        fix = (
            f"{limit.package} {first} or later" if first else f"a release of {limit.package} with its wheels"
        )
        warnings.append(
            f"{limit.pin(source)} ships no wheel for Python {version} ({reason}): pip builds it from source, "
            f"which {limit.source_build}; pin {fix}, or Python {limit.version}"
        )
    if requires_spec is not None and not _allows(requires_spec, version):
        warnings.append(f"{reason} says Python {version} but requires-python is {requires!r}")
    if version not in _maintained() and limit and version == limit.version and not explicit:
        newest = _maintained()[-1]
        first = first_release_for(limit.package, newest)
        warnings.append(
            f"Python {version} no longer gets security fixes; {limit.pin(source)} holds it back: "
            + (f"{limit.package} {first} has wheels for {newest}" if first else f"upgrade {limit.package}")
        )
    elif version not in _maintained():
        warnings.append(
            f"Python {version} ({reason}) no longer gets security fixes; consider {_maintained()[-1]}"
        )
    return PythonVersion(version, reason, tuple(warnings))
