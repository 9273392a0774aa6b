"""What the Node.js app detectors share: package.json, the lockfile, the tsconfig, path helpers."""

from __future__ import annotations

import json
import re
from typing import Any

from dockgen._project import Project
from dockgen.detectors.node._lock import LockInfo

__all__ = ["SOURCE_SUFFIXES", "Context", "jsonc_loads", "norm"]

SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")


def jsonc_loads(text: str) -> Any:
    """Parse JSON with comments and trailing commas (tsconfig.json, bun.lock)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", "".join(out)))


class Context:
    """Shared inputs of the functions below."""

    def __init__(self, project: Project, manifest: dict[str, Any], pm: str, lock: LockInfo) -> None:
        self.project = project
        self.manifest = manifest
        self.pm = pm
        self.lock = lock
        scripts = manifest.get("scripts")
        self.scripts: dict[str, str] = (
            {k: v for k, v in scripts.items() if isinstance(v, str)} if isinstance(scripts, dict) else {}
        )
        self.deps = set(_names(manifest.get("dependencies")))
        self.dev_deps = set(_names(manifest.get("devDependencies"))) - self.deps
        self.warnings: list[str] = []
        self.reasons: dict[str, str] = {}

    def tsconfig(self) -> tuple[str | None, str]:
        """(outDir, rootDir) of the tsconfig the build uses."""
        build = self.scripts.get("build", "")
        match = re.search(r"(?:-p|--project)\s+(\S+)", build)
        path = match[1].removeprefix("./") if match else "tsconfig.json"
        options: dict[str, Any] = {}
        for _ in range(3):  # follow relative `extends` a couple of levels
            text = self.project.read_text(path) if self.project.is_file(path) else None
            if text is None:
                break
            try:
                config = jsonc_loads(text)
            except ValueError:
                self.warnings.append(f"{path}: cannot parse; build output assumed in dist/")
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
