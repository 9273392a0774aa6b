"""The test build: `dockgen build`, and the tail of `dockgen init` unless `--no-build`.

It builds the generated Dockerfile with BuildKit through a docker client (`_buildkit`), showing
the steps as they run (`_progress`); then, through the Docker SDK (`_engine`), it starts the image
beside the servers the app uses, waits until it is healthy, passes it through the security gate
(`_security`) and reports its size, layers and cache use (`_run`). `_dockerfile` reads the little
dockgen needs from a Dockerfile (stages, the final base image, dependency installs).

The names below are imported on first use (PEP 562): `dockgen init --no-build` and the renderer
use `image_tag` and `syntax_problem` without paying for the Docker SDK, which only `build` needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dockgen.build._buildkit import Builder, StepLog, find_builder, image_tag, run_build
    from dockgen.build._dockerfile import Dockerfile, is_dependency_install, syntax_problem
    from dockgen.build._run import BuildReport, Layer, build

__all__ = [
    "BuildReport",
    "Builder",
    "Dockerfile",
    "Layer",
    "StepLog",
    "build",
    "find_builder",
    "image_tag",
    "is_dependency_install",
    "run_build",
    "syntax_problem",
]

_LAZY = {
    "BuildReport": "dockgen.build._run",
    "Builder": "dockgen.build._buildkit",
    "Dockerfile": "dockgen.build._dockerfile",
    "Layer": "dockgen.build._run",
    "StepLog": "dockgen.build._buildkit",
    "build": "dockgen.build._run",
    "find_builder": "dockgen.build._buildkit",
    "image_tag": "dockgen.build._buildkit",
    "is_dependency_install": "dockgen.build._dockerfile",
    "run_build": "dockgen.build._buildkit",
    "syntax_problem": "dockgen.build._dockerfile",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
