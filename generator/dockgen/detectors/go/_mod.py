"""go.mod: the module path, the Go version and the required modules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockgen._knowledge import versions
from dockgen._project import Project

__all__ = ["GoMod", "GoVersion", "go_version", "read_go_mod"]

_VERSION = re.compile(r"^(?:go)?(1\.(\d{1,2}))(?:\.\d+|rc\d+|beta\d+)?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class GoMod:
    """The directives of a go.mod that matter for a build."""

    module: str | None
    go: str | None  # the `go` directive as written (1.24, 1.24.0)
    toolchain: str | None  # the `toolchain` directive as written (go1.24.3)
    requires: tuple[str, ...] = ()  # module paths, direct and indirect
    replaces_local: tuple[str, ...] = ()  # `replace` targets that are local folders (../lib)


@dataclass(frozen=True, slots=True, kw_only=True)
class GoVersion:
    """The Go release line (1.24) of the builder image, and why."""

    version: str
    reason: str
    warnings: tuple[str, ...] = field(default=())


def read_go_mod(project: Project) -> GoMod:
    """Parse go.mod (the `module`, `go`, `toolchain`, `require` and `replace` directives).

    go.mod is line based: a directive with its arguments, or a block `directive ( ... )` with
    one entry per line. Other directives (`exclude`, `retract`, `godebug`, `tool`) are skipped.
    """
    entries: dict[str, list[list[str]]] = {}
    block: str | None = None
    for raw in (project.read_text("go.mod") or "").splitlines():
        words = raw.split("//", 1)[0].split()
        if not words:
            continue
        if block is not None:
            if words == [")"]:
                block = None
            else:
                entries.setdefault(block, []).append(words)
        elif words[1:] == ["("]:
            block = words[0]
        else:
            entries.setdefault(words[0], []).append(words[1:])

    def first(directive: str) -> str | None:
        found = [args[0].strip('"') for args in entries.get(directive, []) if args]
        return found[0] if found else None

    requires = [args[0].strip('"') for args in entries.get("require", []) if args]
    local = []
    for args in entries.get("replace", []):
        target = args[args.index("=>") + 1 :] if "=>" in args else []
        if target and target[0].startswith(("./", "../", "/")):
            local.append(target[0])
    return GoMod(
        module=first("module"),
        go=first("go"),
        toolchain=first("toolchain"),
        requires=tuple(dict.fromkeys(requires)),
        replaces_local=tuple(dict.fromkeys(local)),
    )


def go_version(mod: GoMod) -> GoVersion:
    """The release line the builder image needs: the toolchain directive, else the go directive.

    `go 1.24.0` means "needs at least Go 1.24.0"; the `golang:1.24` image carries the newest 1.24
    patch release, which satisfies it. `toolchain go1.25.1` asks for a newer toolchain than the
    language version; the image must carry that one (GOTOOLCHAIN=local: nothing is downloaded).
    """
    table = versions()
    newest = str(table["runtime"]["go"])
    maintained = [str(v) for v in table.get("go_maintained", [])]
    for directive, written in (("toolchain", mod.toolchain), ("go", mod.go)):
        if not written or written == "default":
            continue
        match = _VERSION.match(written)
        if not match:
            continue
        line = match[1]
        warnings: tuple[str, ...] = ()
        oldest = str(table.get("go_oldest_image", "")) or None
        if maintained and oldest and _key(line) < _key(oldest):
            # the directive is a minimum: a newer toolchain builds the module at its language version
            return GoVersion(
                version=maintained[0],
                reason=(
                    f"go.mod: {directive} {written} is a minimum; Go {line} has no golang:{line}-trixie "
                    f"image and is no longer maintained, so the oldest maintained line, {maintained[0]}, "
                    "builds it"
                ),
                warnings=(
                    f"go.mod: Go {line} is no longer maintained; building with Go {maintained[0]} "
                    f"(raise the go directive to {maintained[0]} to say so)",
                ),
            )
        if maintained and _key(line) < _key(maintained[0]):
            warnings = (
                f"go.mod: Go {line} is no longer maintained (maintained: {', '.join(maintained)}); "
                "the image uses it as asked",
            )
        return GoVersion(version=line, reason=f"go.mod: {directive} {written}", warnings=warnings)
    return GoVersion(version=newest, reason=f"go.mod has no go directive; Go {newest} is the newest release")


def _key(line: str) -> tuple[int, ...]:
    return tuple(int(part) for part in line.split("."))
