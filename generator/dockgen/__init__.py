"""dockgen: detect a project's stack and write an optimized, tested multi-stage Dockerfile.

The library API is what the CLI calls: `detect` a repository, `init` one (detect, ask, render).
"""

from __future__ import annotations

from pathlib import Path

from dockgen._init import InitResult, init
from dockgen._project import Project
from dockgen._template import package_version
from dockgen.detectors import Detection, NativeDep
from dockgen.detectors import detect as _detect
from dockgen.errors import DockgenError

__all__ = ["Detection", "DockgenError", "InitResult", "NativeDep", "__version__", "detect", "init"]

__version__ = package_version()


def detect(path: Path | str, *, kind: str | None = None, package_manager: str | None = None) -> Detection:
    """What dockgen finds in the repository at `path` (raises `DockgenError` subclasses).

    `kind` and `package_manager` settle what the files leave open (apps of two ecosystems,
    conflicting lockfiles).
    """
    from dockgen._init import project_dir

    hints = {"package_manager": package_manager} if package_manager else {}
    return _detect(Project(project_dir(path)), kind=kind, hints=hints)
