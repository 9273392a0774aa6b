"""Health routes: what a health route looks like, and which one to probe when an app has several."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["HEALTH_ROUTE", "NO_HEALTH_ROUTE", "pick_health_path"]

#: The path of a health route, without its leading slash (a regex fragment).
HEALTH_ROUTE = r"(?:api/)?(?:v\d+/)?(?:healthz|health|health-?check|livez|readyz|ready|live|ping|status)"
#: The reason given when nothing was found.
NO_HEALTH_ROUTE = "no health route found; the probe asks / and accepts any answer below 500"
_PREFERENCE = (
    "healthz",
    "health",
    "health-check",
    "healthcheck",
    "livez",
    "readyz",
    "live",
    "ready",
    "ping",
    "status",
)


def pick_health_path(found: Mapping[str, str]) -> str | None:
    """The best of the routes found (route → file): dedicated health routes first, shortest first."""

    def rank(path: str) -> tuple[int, int]:
        last = path.rstrip("/").rsplit("/", 1)[-1]
        return (_PREFERENCE.index(last) if last in _PREFERENCE else len(_PREFERENCE), len(path))

    return min(found, key=rank) if found else None
