"""Where a compiled server listens and what it routes, read from its source files (Go, Rust)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dockgen._project import Project
from dockgen.detectors._base import Assumed
from dockgen.detectors._health import HEALTH_ROUTE, NO_HEALTH_ROUTE, pick_health_path

__all__ = ["ADDRESS", "HEALTH_LITERAL", "Served", "scan_sources"]

#: A quoted listen address: `":8080"`, `"0.0.0.0:8080"`, `"localhost:8080"` (group 1 the host).
ADDRESS = re.compile(r'"((?:0\.0\.0\.0|localhost|127\.0\.0\.1|\[::\])?):(\d{2,5})"')
#: A quoted health route, as the routers of Go and Rust write them (`"GET /healthz"` too).
HEALTH_LITERAL = re.compile(rf'"(?:(?:GET|HEAD)\s+)?/({HEALTH_ROUTE})/?"')


@dataclass(frozen=True, slots=True, kw_only=True)
class Served:
    """What a server program serves: framework, port and health route, each with its reason."""

    framework: str | None
    port: int
    health_path: str | None
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def scan_sources(
    project: Project,
    files: Sequence[str],
    ports: Sequence[re.Pattern[str]],
    *,
    framework: str | None,
    framework_reason: str | None = None,
    framework_port: int | None = None,
    convention: int,
) -> Served:
    """The first port one of `ports` finds (their last group), in file order; the health routes.

    A port found in an `ADDRESS` on localhost is kept, with a warning: the published port cannot
    reach it. Without a port in the code: the framework's default, else `convention` (said so).
    """
    reasons: dict[str, str] = {"framework": framework_reason} if framework_reason else {}
    warnings: list[str] = []
    port: int | None = None
    routes: dict[str, str] = {}
    for file in files:
        text = project.read_source(file) or ""
        for pattern in ports if port is None else ():
            match = pattern.search(text)
            number = int(match[match.lastindex or 0]) if match else 0
            if not 0 < number < 65536:
                continue
            port = number
            reasons["port"] = f"{file}: {match[0] if match else ''}"
            if pattern is ADDRESS and match and match[1] in ("localhost", "127.0.0.1"):
                warnings.append(
                    f"{file}: the server listens on {match[1]}:{number}, which is unreachable from "
                    f"outside the container; listen on all interfaces (0.0.0.0:{number})"
                )
            break
        for route in HEALTH_LITERAL.finditer(text):
            routes.setdefault("/" + route[1], file)
    if port is None:
        port = framework_port or convention
        if framework_port:
            reasons["port"] = f"{framework}'s default port"
        else:
            reasons["port"] = Assumed(f"no port found in the code; assuming {convention}")
            warnings.append(
                f"no listening port found in the code: assuming {convention} "
                "(set port if the app uses another)"
            )
    health = pick_health_path(routes)
    reasons["health_path"] = f"{routes[health]} declares {health}" if health else NO_HEALTH_ROUTE
    return Served(
        framework=framework, port=port, health_path=health, reasons=reasons, warnings=tuple(warnings)
    )
