"""Which Node.js major the image runs: the project's pins, else the current LTS line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dockgen._knowledge import versions
from dockgen._project import Project
from dockgen.detectors.node._semver import allowed_majors, exact_major

__all__ = ["NodeVersion", "detect_node_version"]

# nvm's LTS aliases (lts/<codename>); `lts/*` is the newest LTS line.
_CODENAMES = {
    "argon": 4, "boron": 6, "carbon": 8, "dubnium": 10, "erbium": 12, "fermium": 14,
    "gallium": 16, "hydrogen": 18, "iron": 20, "jod": 22, "krypton": 24,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class NodeVersion:
    """The chosen major version, why, and any doubts about it."""

    major: str
    reason: str
    warnings: tuple[str, ...] = field(default=())


def _lts() -> list[int]:
    return [int(v) for v in versions()["node_lts"]]


def _from_pin(text: str, source: str) -> tuple[int | None, str | None]:
    """A version file's content (`22`, `v22.1.0`, `lts/iron`, `lts/*`) as a major."""
    value = text.strip().lower()
    if value in ("lts/*", "lts", "node", "stable", "latest"):
        return max(_lts()), f"{source} says {text.strip()!r}: the newest LTS line"
    if value.startswith("lts/") and value[4:] in _CODENAMES:
        return _CODENAMES[value[4:]], f"{source} ({text.strip()})"
    major = exact_major(value)
    if major is not None:
        return major, source
    return None, None


def _from_range(spec: str) -> tuple[int | None, str | None]:
    """engines.node (a semver range) → the highest maintained LTS line it allows."""
    try:
        lts = allowed_majors(spec, _lts())
        if lts:
            return lts[
                -1
            ], f"engines.node {spec!r} in package.json: the highest maintained LTS line it allows"
        any_major = allowed_majors(spec, range(4, 40))
    except ValueError:
        return None, None
    if any_major:
        return any_major[-1], f"engines.node {spec!r} in package.json (no maintained LTS line fits it)"
    return None, None


def detect_node_version(project: Project, manifest: dict[str, Any]) -> NodeVersion:
    """Read .nvmrc, .node-version, engines.node and volta, in that order of precedence."""
    # (major, reason, the range when the candidate came from one)
    candidates: list[tuple[int, str, str | None]] = []
    warnings: list[str] = []
    for file in (".nvmrc", ".node-version"):
        text = project.read_text(file, limit=4096)
        if text is None:
            continue
        lines = (line.split("#")[0].strip() for line in text.splitlines())
        first = next((line for line in lines if line), "")
        major, reason = _from_pin(first, file)
        if major is None:
            warnings.append(f"{file}: cannot read a Node.js version from {first!r}; ignored")
        else:
            candidates.append((major, reason or file, None))
    engines = manifest.get("engines")
    spec = engines.get("node") if isinstance(engines, dict) else None
    if isinstance(spec, str) and spec.strip():
        major, reason = _from_range(spec)
        if major is None:
            warnings.append(
                f"package.json: engines.node {spec!r} is not a range dockgen understands; ignored"
            )
        else:
            candidates.append((major, reason or "engines.node", spec))
    volta = manifest.get("volta")
    pin = volta.get("node") if isinstance(volta, dict) else None
    if isinstance(pin, str) and (major := exact_major(pin)) is not None:
        candidates.append((major, f"volta.node {pin!r} in package.json", None))
    if not candidates:
        default = str(versions()["runtime"]["node"])
        reason = f"no version pinned (.nvmrc, .node-version, engines, volta): {default}, the current LTS line"
        return NodeVersion(default, reason, tuple(warnings))
    major, reason, _ = candidates[0]
    for other, other_reason, other_spec in candidates[1:]:
        if other_spec is not None:
            if not allowed_majors(other_spec, [major]):
                warnings.append(f"{reason} asks for Node.js {major} but engines.node is {other_spec!r}")
        elif other != major:
            warnings.append(f"{reason} says Node.js {major} but {other_reason} says {other}")
    if major not in _lts():
        state = "not an LTS line" if major % 2 else "no longer maintained"
        warnings.append(f"Node.js {major} ({reason}) is {state}; consider {max(_lts())}")
    return NodeVersion(str(major), reason, tuple(warnings))
