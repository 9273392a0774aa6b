"""dockgen: detect a project's stack and write an optimized, tested multi-stage Dockerfile.

The library API is what the CLI calls: `detect` a repository, `init` one (detect, ask, render).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockgen.errors import DockgenError

if TYPE_CHECKING:
    from dockgen._init import InitResult, init
    from dockgen.detectors import Detection, NativeDep

    __version__: str

__all__ = ["Detection", "DockgenError", "InitResult", "NativeDep", "__version__", "detect", "init"]

# Imported on first use (PEP 562): `dockgen detect` must not pay for copier, questionary and
# docker, which only `init`, `update`, `check` and `build` need.
_LAZY = {
    "Detection": "dockgen.detectors",
    "InitResult": "dockgen._init",
    "NativeDep": "dockgen.detectors",
    "init": "dockgen._init",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from dockgen._template import package_version

        value: Any = package_version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def detect(
    path: Path | str,
    *,
    kind: str | None = None,
    package_manager: str | None = None,
    hints: dict[str, Any] | None = None,
) -> Detection:
    """What dockgen finds in the repository at `path` (raises `DockgenError` subclasses).

    `kind`, `package_manager` and the answers in `hints` (such as `go_main`) settle what the
    files leave open (apps of two ecosystems, conflicting lockfiles, several main packages).
    """
    from dockgen._project import Project, project_dir
    from dockgen.detectors import detect as detect_app

    hints = dict(hints or {})
    if package_manager:
        hints["package_manager"] = package_manager
    kind = kind or hints.get("kind")
    return detect_app(Project(project_dir(path)), kind=kind, hints=hints)
