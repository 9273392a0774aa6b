"""Prisma's datasource: the database a Prisma app connects to, which no driver package names.

`prisma/schema.prisma` (or the schema package.json's `prisma.schema` points at) declares it:
`datasource db { provider = "postgresql"  url = env("DATABASE_URL") }`.
"""

from __future__ import annotations

import re
from typing import Any

from dockgen._project import Project
from dockgen.detectors._base import Service

__all__ = ["prisma_datasource"]

_DATASOURCE = re.compile(r"^[^\S\n]*datasource[^\S\n]+\w+[^\S\n]*\{([^{}]{0,2000})\}", re.MULTILINE)
_PROVIDER = re.compile(r"""\bprovider[^\S\n]*=[^\S\n]*["'](\w{1,40})["']""")
_URL_ENV = re.compile(r"""\b(?:url|directUrl)[^\S\n]*=[^\S\n]*env\([^\S\n]*["'](\w{1,100})["']""")
_SERVICE = {"postgresql": "PostgreSQL", "postgres": "PostgreSQL", "mysql": "MySQL", "mongodb": "MongoDB"}


def prisma_datasource(project: Project, manifest: dict[str, Any]) -> tuple[Service | None, dict[str, str]]:
    """The server Prisma's schema connects to, and the variables its datasource reads (with the file)."""
    setting = manifest.get("prisma")
    schema = setting.get("schema") if isinstance(setting, dict) else None
    candidates = [schema] if isinstance(schema, str) else []
    candidates += ["prisma/schema.prisma", "schema.prisma"]
    for path in candidates:
        path = path.removeprefix("./")
        if not project.is_file(path):
            continue
        text = project.read_source(path) or ""
        block = _DATASOURCE.search(text)
        if not block:
            return None, {}
        provider = _PROVIDER.search(block[1])
        variables = {m[1]: path for m in _URL_ENV.finditer(block[1])}
        name = _SERVICE.get(provider[1]) if provider else None
        return (Service(name, "@prisma/client") if name else None), variables
    return None, {}
