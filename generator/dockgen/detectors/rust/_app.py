"""The Rust program: framework, port and health route, read from Cargo.toml and the sources."""

from __future__ import annotations

import re

from dockgen._project import Project
from dockgen.detectors._listen import ADDRESS, Served, scan_sources

__all__ = ["scan_app"]

#: Web frameworks by crate, with their default port (None: the code always says).
_FRAMEWORKS = (
    ("axum", "axum", None),
    ("actix-web", "actix-web", None),
    ("rocket", "rocket", 8000),
    ("warp", "warp", None),
    ("poem", "poem", None),
    ("tide", "tide", None),
    ("hyper", "hyper", None),
)
_PORT = 8080
_TUPLE = re.compile(r"\(\s*\[\s*0\s*,\s*0\s*,\s*0\s*,\s*0\s*\]\s*,\s*(\d{2,5})\s*\)")
_PORT_DEFAULT = re.compile(r'(?i)"PORT"\s*\)[^;\n]{0,80}?"(\d{2,5})"')


def scan_app(project: Project, folder: str, crates: set[str]) -> Served:
    """Framework from the dependencies; port and health route from the package's sources."""
    framework = reason = default_port = None
    for crate, name, known_port in _FRAMEWORKS:
        if crate in crates:
            framework, default_port = name, known_port
            reason = f"{crate} in the dependencies"
            break
    prefix = f"{folder}/" if folder else ""
    files = [
        f
        for f in project.files(".rs", max_depth=prefix.count("/") + 5)
        if f.startswith(f"{prefix}src/") and "/tests/" not in f
    ][:1000]
    return scan_sources(
        project,
        files,
        (_PORT_DEFAULT, ADDRESS, _TUPLE),
        framework=framework,
        framework_reason=reason,
        framework_port=default_port,
        convention=_PORT,
    )
