"""The template and data shipped with dockgen: `copier.yml`, `template/` and `.hadolint.yaml`.

A wheel carries them as package data (`dockgen/_bundled`); a source checkout or editable install
reads them from the repository root. This module only reads them; the git repositories copier
renders from are made in `_template`. Detectors read the knowledge tables here on every
`dockgen detect`, which must start fast: nothing heavier than PyYAML is imported.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from dockgen.errors import TemplateError

__all__ = ["bundled_root", "bundled_yaml", "template_digest", "template_files"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_root() -> Path:
    """The folder holding `copier.yml` and `template/` for this installation.

    A wheel carries them as package data (`dockgen/_bundled`); a source checkout or editable
    install uses the repository root.
    """
    for candidate in (_PACKAGE_DIR / "_bundled", _PACKAGE_DIR.parents[1]):
        if (candidate / "copier.yml").is_file() and (candidate / "template").is_dir():
            return candidate
    raise TemplateError("dockgen's template is missing from this installation; reinstall dockgen")


def bundled_yaml(rel: str) -> Any:
    """A YAML file of the bundled template (`copier.yml`, `template/_data/*.yml`), parsed.

    With libyaml when PyYAML has it: the pure-Python parser takes tens of milliseconds over these
    files, on every `dockgen detect`.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((bundled_root() / rel).read_text(encoding="utf-8"), Loader=loader)


def template_files(root: Path) -> list[Path]:
    """The template's files under `root`: `copier.yml`, then every file of `template/`, sorted."""
    files = [root / "copier.yml"]
    files += sorted(p for p in (root / "template").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def template_digest(root: Path | None = None) -> str:
    """The SHA-256 of the template's files (names and contents) under `root` (the bundled one)."""
    root = root or bundled_root()
    digest = hashlib.sha256()
    for path in template_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
