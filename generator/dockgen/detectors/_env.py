"""The environment variables an app reads, and how the servers it needs are wired to them.

An app that connects to PostgreSQL or Redis reads the address from variables of its own choosing
(DATABASE_URL, PGHOST, REDIS_URL...). This module reads, never runs, the code and the env example
files for the names, and maps each to a part of a server's address from the table
(`template/_data/services.yml`, `servers`). The result is four answers: `services` (the servers
compose.yaml runs), `service_env` (variable → `server.role`), `secret_env` (variables with no safe
value, such as JWT_SECRET: set in .env, a throwaway one in the test build) and `compose`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dockgen._knowledge import dialect, servers
from dockgen._project import Project
from dockgen.detectors._base import Service
from dockgen.detectors._comments import without_comments

__all__ = ["COMPOSE_FILES", "Wiring", "example_variables", "read_variables", "wire"]

#: Compose files a project may already have; `docker compose` reads the first that exists.
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
#: Files that list the variables an app reads, with example values.
EXAMPLE_FILES = (
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "example.env",
    ".env.local.example",
)

_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,99}"
_UPPER = r"[A-Z][A-Z0-9_]{1,99}"
_Q = r"""["'`]"""
_JS = (
    re.compile(rf"process\.env\.({_NAME})\b"),
    re.compile(rf"process\.env\[[^\S\n]{{0,10}}{_Q}({_NAME}){_Q}"),
    re.compile(rf"\bBun\.env\.({_NAME})\b"),
)
#: `const { A, B: b, C = 1 } = process.env`: the braces' content is group 1
_JS_DESTRUCTURE = re.compile(r"\{([^{}]{1,2000})\}[^\S\n]{0,10}=[^\S\n]{0,10}process\.env\b")
#: an env schema's keys (envalid, zod, Joi, env-schema, t3-env): upper-case keys in a file using one
_JS_SCHEMA = re.compile(r"\b(envalid|cleanEnv|createEnv|z\.object|Joi\.object|env-schema|envSchema)\b")
_JS_KEY = re.compile(rf"^[^\S\n]{{0,40}}({_UPPER})[^\S\n]{{0,10}}:", re.MULTILINE)
_PY = (
    re.compile(rf"""\bos\.environ\[[^\S\n]{{0,10}}["']({_NAME})["']"""),
    # os.environ.get / os.getenv / getenv / environ.get, decouple's config, django-environ's env(...)
    re.compile(
        rf"""\b(?:environ\.get|getenv|config|env(?:\.\w{{1,20}})?)\([^\S\n]{{0,10}}["']({_UPPER})["']"""
    ),
)
#: dj-database-url and django-environ read DATABASE_URL unless told otherwise
_PY_DATABASE_URL = re.compile(r"\bdj_database_url\.config\(|\benv\.db(?:_url)?\(")
_PY_DATABASE_ENV = re.compile(
    r"""\bdj_database_url\.config\([^)]{0,400}?\benv[^\S\n]{0,5}=[^\S\n]{0,5}["'](\w{1,100})["']"""
)
#: pydantic-settings: the fields of a BaseSettings class, read from the environment by their name
_PY_SETTINGS = re.compile(
    r"^class[^\S\n]+\w+\([^)\n]{0,200}\bBaseSettings\b[^)\n]{0,200}\):[^\n]*\n", re.MULTILINE
)
_PY_FIELD = re.compile(r"[^\S\n]{1,8}([A-Za-z_]\w{0,99})[^\S\n]*:")
#: `NAME=value` in an env example file (`export` allowed); group 2 is the raw value
_EXAMPLE_LINE = re.compile(rf"^[^\S\n]*(?:export[^\S\n]+)?({_NAME})[^\S\n]*=([^\n]{{0,400}})", re.MULTILINE)
#: names that hold a secret the app itself signs or encrypts with (JWT_SECRET, SESSION_SECRET,
#: SECRET_KEY, DJANGO_SECRET_KEY, NEXTAUTH_SECRET, APP_KEY, ENCRYPTION_KEY): no safe value can be
#: committed. A third party's credentials (GITHUB_SECRET, STRIPE_SECRET_KEY, LINKEDIN_SECRET) are
#: not: the app starts without them, and a throwaway one would be wrong.
_SECRET = re.compile(
    r"^(?:(?:APP|JWT|SESSION|COOKIE|AUTH|NEXTAUTH|BETTER_AUTH|TOKEN|ACCESS|REFRESH|ACCESS_TOKEN|"
    r"REFRESH_TOKEN|SIGNING|ENCRYPTION|CSRF|DJANGO|FLASK|RAILS|LARAVEL|SERVER)_)*"
    r"(?:SECRET|SECRET_KEY|SECRET_KEY_BASE|KEY)\Z"
)
_MAX_SECRETS = 8


@dataclass(frozen=True, slots=True)
class Wiring:
    """The answers that put the app's servers beside it, with the reason for each."""

    answers: dict[str, Any] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def read_variables(
    project: Project, files: Iterable[str], syntax: Literal["js", "py"], shown: str = ""
) -> dict[str, str]:
    """The variables the code reads, each with the first file that reads it (prefixed by `shown`)."""
    found: dict[str, str] = {}
    for file in files:
        text = project.read_source(file)
        if not text or ("env" not in text and "Settings" not in text and "config(" not in text):
            continue
        code = without_comments(text, "js" if syntax == "js" else "hash")
        where = f"{shown}{file}"
        names: list[str] = []
        if syntax == "js":
            for pattern in _JS:
                names += [m[1] for m in pattern.finditer(code)]
            for match in _JS_DESTRUCTURE.finditer(code):
                for part in match[1].split(","):
                    key = re.match(rf"\s*({_NAME})", part)
                    if key and not part.lstrip().startswith("..."):
                        names.append(key[1])
            if "process.env" in code and _JS_SCHEMA.search(code):
                names += [m[1] for m in _JS_KEY.finditer(code)]
        else:
            for pattern in _PY:
                names += [m[1] for m in pattern.finditer(code)]
            if _PY_DATABASE_URL.search(code):
                named = _PY_DATABASE_ENV.search(code)
                names.append(named[1] if named else "DATABASE_URL")
            for match in _PY_SETTINGS.finditer(code):
                for line in code[match.end() :].splitlines()[:200]:
                    if line.strip() and not line[0].isspace():
                        break  # the class body ended
                    field_ = _PY_FIELD.match(line)
                    if field_ and field_[1] != "model_config" and not field_[1].startswith("_"):
                        names.append(field_[1].upper())
        for name in names:
            found.setdefault(name, where)
    return found


def example_variables(project: Project, folder: str = "") -> dict[str, str]:
    """The variables an env example file lists (`.env.example`...), each with its file."""
    found: dict[str, str] = {}
    prefix = f"{folder}/" if folder else ""
    for name in EXAMPLE_FILES:
        text = project.read_source(prefix + name) if project.is_file(prefix + name) else None
        for match in _EXAMPLE_LINE.finditer(text or ""):
            found.setdefault(match[1], prefix + name)
    return found


def example_values(project: Project) -> dict[str, str]:
    """The values the first env example file gives (`TYPEORM_CONNECTION=postgres`), as dotenv reads them.

    Quotes are removed and a trailing ` # comment` dropped; variables without a value are left out.
    """
    for name in EXAMPLE_FILES:
        text = project.read_source(name) if project.is_file(name) else None
        if text is None:
            continue
        found = {}
        for match in _EXAMPLE_LINE.finditer(text):
            value = match[2].strip()
            if len(value) > 1 and value[0] in "'\"" and value.endswith(value[0]):
                value = value[1:-1]
            else:
                value = value.split(" #", 1)[0].strip()
            if value:
                found[match[1]] = value
        return found
    return {}


def _dialect(chosen: list[str], variables: Mapping[str, str], project: Project) -> str | None:
    """The one database of several that the app's dialect variable names, or None."""
    table = dialect()
    values = example_values(project)
    for name in table["variables"]:
        value = values.get(name, "").lower()
        for server, names in table["values"].items():
            if name in variables and value in names and server in chosen:
                return str(server)
    return None


def wire(
    needs: tuple[Service, ...],
    variables: Mapping[str, str],
    project: Project,
    source: str,
    urls: Mapping[str, tuple[str, str]] | None = None,
) -> Wiring:
    """The servers compose.yaml runs for `needs`, and the variables that carry their addresses.

    `variables`: the names the app reads (code first, then its env example), each with its file.
    `source`: the manifest that lists the client packages, for the reason.
    `urls`: variables known to hold a server's URL, whatever their name (Prisma's `env("...")`),
    each with the service name (PostgreSQL) and the file that says so.
    """
    table = servers()
    by_service = {str(row["for"]): name for name, row in table.items()}
    chosen = [by_service[s.name] for s in needs if s.name in by_service]
    unserved = [s for s in needs if s.name not in by_service]
    clients = "; ".join(f"{s.package} in {source}: {s.name}" for s in needs)
    if not chosen:
        return Wiring(reasons={"services": clients}, warnings=tuple(_unserved(unserved)))
    databases = [c for c in chosen if c != "redis"]
    picked = _dialect(databases, variables, project) if len(databases) > 1 else None
    if picked is not None:  # drivers of several databases, and the app says which one it uses
        chosen = [c for c in chosen if c not in databases or c == picked]
    env: dict[str, str] = {}
    reasons: list[str] = []
    for name, (service, where) in (urls or {}).items():
        if by_service.get(service) in chosen:
            env[name] = f"{by_service[service]}.url"
            reasons.append(f"{name} ({where} reads it): {by_service[service]} url")
    for server in chosen:
        roles: dict[str, list[str]] = table[server]["roles"]
        wired = any(target.startswith(f"{server}.") for target in env.values())
        for role, names in roles.items():
            for name in names:
                if name in variables and name not in env:
                    env[name] = f"{server}.{role}"
                    reasons.append(f"{name} ({variables[name]} reads it): {server} {role}")
                    wired = True
        if not wired:
            name = roles["url"][0]
            if name not in env:
                env[name] = f"{server}.url"
                reasons.append(f"{name}: {server} url (assumed: the app reads no variable dockgen knows)")
    secret = [n for n in variables if _SECRET.search(n) and n not in env and n != "KEY"]
    secret = secret[:_MAX_SECRETS]
    own = project.first(*COMPOSE_FILES)
    answers: dict[str, Any] = {
        "services": chosen,
        "service_env": env,
        "secret_env": secret,
        "compose": own is None,
    }
    reason = {
        "services": clients,
        "service_env": "; ".join(reasons),
        "compose": f"the project has its own {own}"
        if own
        else "the app needs servers: compose.yaml runs them",
    }
    if picked is not None:
        reason["services"] += f"; {picked} only: the env example file's dialect variable names it"
    if secret:
        reason["secret_env"] = "; ".join(
            f"{n} ({variables[n]} reads it): no safe value to commit" for n in secret
        )
    warnings = _unserved(unserved)
    if "mongodb" in chosen:
        image = table["mongodb"]["image"]
        warnings.append(
            f"MongoDB runs from the image {image}: the test build needs it on the engine (it pulls it "
            "when a registry is reachable); Debian has no MongoDB package for an offline stand-in"
        )
    if own:
        warnings.append(
            f"{own}: the project has its own compose file, so dockgen writes none; the test build "
            "still runs the servers beside the app (--set compose=true writes compose.yaml, which "
            "`docker compose` then prefers)"
        )
    return Wiring(answers, reason, tuple(warnings))


def _unserved(unserved: list[Service]) -> list[str]:
    return [
        f"{s.package} connects to {s.name}, which dockgen cannot run beside the app yet" for s in unserved
    ]
