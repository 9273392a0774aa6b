"""The Rust program: framework, port and health route, read from Cargo.toml and the sources."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from dockgen._project import Project
from dockgen.detectors._listen import ADDRESS, Served, scan_sources

__all__ = ["crate_sources", "scan_app"]

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
#: The default of a PORT variable: `.unwrap_or("8080")`, `.unwrap_or(8080)` (not `u16`'s digits).
_PORT_DEFAULT = re.compile(r'(?i)"PORT"\s*\)[^;\n]{0,80}?(?<![\w.])"?(\d{2,5})\b"?')


def crate_sources(project: Project, folder: str) -> list[str]:
    """The package's Rust sources under `src/` (no tests), in the package's `folder` ("" the root)."""
    prefix = f"{folder}/" if folder else ""
    return [
        f
        for f in project.files(".rs", max_depth=prefix.count("/") + 5)
        if f.startswith(f"{prefix}src/") and "/tests/" not in f
    ][:1000]


def scan_app(project: Project, folder: str, crates: set[str]) -> Served:
    """Framework from the dependencies; port and health route from the package's sources."""
    framework = reason = default_port = None
    for crate, name, known_port in _FRAMEWORKS:
        if crate in crates:
            framework, default_port = name, known_port
            reason = f"{crate} in the dependencies"
            break
    served = scan_sources(
        project,
        crate_sources(project, folder),
        (_PORT_DEFAULT, ADDRESS, _TUPLE),
        framework=framework,
        framework_reason=reason,
        framework_port=default_port,
        convention=_PORT,
    )
    return _rocket_config(project, folder, served) if framework == "rocket" else served


def _rocket_config(project: Project, folder: str, served: Served) -> Served:
    """Rocket reads Rocket.toml from its working directory at start: its port wins over the default.

    The `global` table wins over the `release` profile (a release build's), which wins over `default`.
    """
    name = next(
        (f for f in (f"{folder}/Rocket.toml" if folder else "", "Rocket.toml") if f and project.is_file(f)),
        None,
    )
    if name is None or served.reasons.get("port") != "rocket's default port":
        return served
    data = project.read_toml(name) or {}

    def setting(key: str) -> tuple[str, Any] | None:
        for profile in ("global", "release", "default"):
            table = data.get(profile)
            if isinstance(table, dict) and key in table:
                return profile, table[key]
        return None

    port, address = setting("port"), setting("address")
    warnings = list(served.warnings)
    if address is None or address[1] not in ("0.0.0.0", "::"):
        warnings.append(
            f"{name}: Rocket listens on {address[1] if address else '127.0.0.1'}, which is unreachable from "
            'outside the container; set address = "0.0.0.0" (or ROCKET_ADDRESS=0.0.0.0)'
        )
    if port is None or not isinstance(port[1], int) or not 0 < port[1] < 65536:
        return dataclasses.replace(served, warnings=tuple(warnings))
    reasons = {**served.reasons, "port": f"{name}: [{port[0]}] port = {port[1]}"}
    return dataclasses.replace(served, port=port[1], reasons=reasons, warnings=tuple(warnings))
