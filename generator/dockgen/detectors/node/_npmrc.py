"""The install settings of a project's `.npmrc` that its image's installs need.

`.npmrc` stays out of the build context: it can hold registry tokens. The settings that change
what `npm ci` resolves or how it lays packages out (`legacy-peer-deps=true`, which many React apps
need) hold no secret; the template sets them as `npm_config_*` variables in the install stages.
Which settings, with their values, is `settings` in npm's row of package_managers.yml, which
copier.yml's validator reads too.
"""

from __future__ import annotations

import re

from dockgen._knowledge import package_managers
from dockgen._project import Project

__all__ = ["npm_settings"]

_LINE = re.compile(r"^\s*([A-Za-z][\w.-]*)\s*=\s*(.*?)\s*$")


def npm_settings(project: Project) -> tuple[list[str], list[str]]:
    """The `npm_settings` answer (`key=value` items, file order) and warnings for values npm rejects."""
    settings: dict[str, list[str]] = package_managers()["npm"]["settings"]
    text = project.read_text(".npmrc") or ""
    found: dict[str, str] = {}
    warnings: list[str] = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match or match[1] not in settings:
            continue  # comments, registries, tokens: none of them is passed on
        key, value = match[1], match[2].strip("\"'").lower()
        if value in settings[key]:
            found[key] = value
        else:
            warnings.append(f".npmrc: {key}={match[2]!r} is not one of {', '.join(settings[key])}; ignored")
    return [f"{key}={value}" for key, value in found.items()], warnings
