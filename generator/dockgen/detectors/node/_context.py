"""What the Node.js app detectors share: package.json, the lockfile, the tsconfig, path helpers."""

from __future__ import annotations

import json
import re
from typing import Any

from dockgen._project import Project, _strict_json
from dockgen.detectors._schema import entry_warnings
from dockgen.detectors.node._lock import LockInfo
from dockgen.errors import InputError

__all__ = ["SOURCE_SUFFIXES", "Context", "jsonc_loads", "norm", "read_jsonc"]

SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")


#: One step of the JSONC scan: a string, a comment, a comma, a closing bracket, or a run of the rest.
_JSONC_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|//[^\n]*|,|[}\]]|[^"/,}\]]+|/', re.DOTALL)


def jsonc_loads(text: str) -> Any:
    """Parse JSON with comments and trailing commas (tsconfig.json, angular.json).

    As strict as `Project.read_json` otherwise: duplicate keys, NaN/Infinity and unpaired surrogates
    are errors.

    Raises:
        json.JSONDecodeError: a syntax error.
        ValueError: duplicate keys, NaN/Infinity or an unpaired surrogate.
        RecursionError: nested too deeply.
    """
    out: list[str] = []
    comma: int | None = None  # the index in `out` of a comma that only whitespace or comments follow
    pos, end = 0, len(text)
    while pos < end:
        if text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            pos = end if close < 0 else close + 2
            continue
        match = _JSONC_TOKEN.match(text, pos)
        if match is None:  # an unterminated string: the parser reports it
            out.append(text[pos:])
            break
        token, pos = match[0], match.end()
        if token.startswith("//"):
            continue
        if token in ("}", "]") and comma is not None:
            out[comma] = ""  # a trailing comma
        if token == ",":
            comma = len(out)
        elif not token.isspace():
            comma = None
        out.append(token)
    return _strict_json("".join(out))


def read_jsonc(project: Project, path: str, shown: str | None = None) -> Any:
    """The JSONC file `path` parsed, or None when it is not a file; errors name it as `shown`.

    Raises:
        InputError: duplicate keys, NaN/Infinity, an unpaired surrogate or too deep nesting (the
            same errors as in package.json: README promises them for every JSON file).
        json.JSONDecodeError: a syntax error, which callers report as a warning.
    """
    text = project.read_text(path) if project.is_file(path) else None
    if text is None:
        return None
    try:
        return jsonc_loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError as error:
        raise InputError("invalid JSON: nested too deeply", path=shown or path) from error
    except ValueError as error:
        raise InputError(f"invalid JSON: {error}", path=shown or path) from error


class Context:
    """Shared inputs of the functions below."""

    def __init__(
        self,
        project: Project,
        manifest: dict[str, Any],
        pm: str,
        lock: LockInfo,
        manifest_path: str = "package.json",
    ) -> None:
        self.project = project
        self.manifest = manifest
        #: the manifest as messages name it (`apps/api/package.json` for a workspace app)
        self.manifest_path = manifest_path
        self.pm = pm
        self.lock = lock
        scripts = manifest.get("scripts")
        self.scripts: dict[str, str] = (
            {k: v for k, v in scripts.items() if isinstance(v, str)} if isinstance(scripts, dict) else {}
        )
        self.deps = set(_names(manifest.get("dependencies")))
        self.dev_deps = set(_names(manifest.get("devDependencies"))) - self.deps
        self.warnings: list[str] = entry_warnings(manifest_path, "scripts", manifest, (str,))
        self.reasons: dict[str, str] = {}

    def shown(self, path: str) -> str:
        """`path` (relative to the app) as messages name it: relative to the repository."""
        folder = self.manifest_path.rpartition("/")[0]
        return f"{folder}/{path}" if folder else path

    def tsconfig(self) -> tuple[str | None, str]:
        """(outDir, rootDir) of the tsconfig the build uses."""
        build = self.scripts.get("build", "")
        match = re.search(r"(?:-p|--project)\s+(\S+)", build)
        path = match[1].removeprefix("./") if match else "tsconfig.json"
        options: dict[str, Any] = {}
        for _ in range(3):  # follow relative `extends` a couple of levels
            try:
                config = read_jsonc(self.project, path, self.shown(path))
            except json.JSONDecodeError as error:
                self.warnings.append(
                    f"{self.shown(path)}: cannot parse ({error}); build output assumed in dist/"
                )
                break
            if config is None:
                break
            own = config.get("compilerOptions") if isinstance(config, dict) else None
            options = {**(own if isinstance(own, dict) else {}), **options}
            parent = config.get("extends") if isinstance(config, dict) else None
            if not (isinstance(parent, str) and parent.startswith(".")):
                break
            path = _join(_dirname(path), parent if parent.endswith(".json") else parent + ".json")
        out_dir = options.get("outDir")
        root_dir = options.get("rootDir")
        return (
            norm(out_dir) if isinstance(out_dir, str) else None,
            norm(root_dir) if isinstance(root_dir, str) else "",
        )


def _names(section: Any) -> list[str]:
    return [k for k in section if isinstance(k, str)] if isinstance(section, dict) else []


def norm(path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def _dirname(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _join(base: str, rel: str) -> str:
    return norm(f"{base}/{rel}" if base else rel)
