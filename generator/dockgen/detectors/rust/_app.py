"""The Rust program: framework, port and health route, read from Cargo.toml and the sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockgen._project import Project
from dockgen.detectors._listen import ADDRESS, scan_sources

__all__ = ["RustApp", "scan_app"]

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


@dataclass(frozen=True, slots=True, kw_only=True)
class RustApp:
    """What the program serves, with a reason per field."""

    framework: str | None
    port: int
    health_path: str | None
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def scan_app(project: Project, folder: str, crates: set[str]) -> RustApp:
    """Framework from the dependencies; port and health route from the package's sources."""
    reasons: dict[str, str] = {}
    framework = default_port = None
    for crate, name, known_port in _FRAMEWORKS:
        if crate in crates:
            framework, default_port = name, known_port
            reasons["framework"] = f"{crate} in the dependencies"
            break
    prefix = f"{folder}/" if folder else ""
    files = [
        f
        for f in project.files(".rs", max_depth=prefix.count("/") + 5)
        if f.startswith(f"{prefix}src/") and "/tests/" not in f
    ][:1000]
    served = scan_sources(
        project,
        files,
        (_PORT_DEFAULT, ADDRESS, _TUPLE),
        framework=framework,
        framework_port=default_port,
        convention=_PORT,
    )
    reasons.update(served.reasons)
    return RustApp(
        framework=framework,
        port=served.port,
        health_path=served.health_path,
        reasons=reasons,
        warnings=served.warnings,
    )
