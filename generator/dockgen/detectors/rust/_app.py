"""The Rust program: framework, port and health route, read from Cargo.toml and the sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockgen._project import Project
from dockgen.detectors._health import HEALTH_ROUTE, NO_HEALTH_ROUTE, pick_health_path

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
_ADDRESS = re.compile(r'"((?:0\.0\.0\.0|localhost|127\.0\.0\.1|\[::\])?):(\d{2,5})"')
_TUPLE = re.compile(r"\(\s*\[\s*0\s*,\s*0\s*,\s*0\s*,\s*0\s*\]\s*,\s*(\d{2,5})\s*\)")
_PORT_DEFAULT = re.compile(r'(?i)"PORT"\s*\)[^;\n]{0,80}?"(\d{2,5})"')
_ROUTE = re.compile(rf'"/({HEALTH_ROUTE})/?"')


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
    warnings: list[str] = []
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
    port: int | None = None
    routes: dict[str, str] = {}
    for file in files:
        text = project.read_text(file, limit=1024 * 1024) or ""
        if port is None:
            for pattern in (_PORT_DEFAULT, _ADDRESS, _TUPLE):
                match = pattern.search(text)
                if not match:
                    continue
                number = int(match[match.lastindex or 1])
                if 0 < number < 65536:
                    port = number
                    reasons["port"] = f"{file}: {match[0]}"
                    if pattern is _ADDRESS and match[1] in ("localhost", "127.0.0.1"):
                        warnings.append(
                            f"{file}: the server listens on {match[1]}:{number}, which is unreachable "
                            f"from outside the container; listen on 0.0.0.0:{number}"
                        )
                    break
        for route in _ROUTE.finditer(text):
            routes.setdefault("/" + route[1], file)
    if port is None:
        port = default_port or _PORT
        if default_port:
            reasons["port"] = f"{framework}'s default port"
        else:
            reasons["port"] = f"no port found in the code; assuming {_PORT}"
            warnings.append(
                f"no listening port found in the code: assuming {_PORT} (set port if the app uses another)"
            )
    health = pick_health_path(routes)
    reasons["health_path"] = f"{routes[health]} declares {health}" if health else NO_HEALTH_ROUTE
    return RustApp(
        framework=framework, port=port, health_path=health, reasons=reasons, warnings=tuple(warnings)
    )
