"""The port in the application's configuration: application.properties, .yml or .yaml.

Spring Boot reads `server.port`, Quarkus `quarkus.http.port`, Micronaut `micronaut.server.port`.
A properties file is read line by line, a YAML file with a YAML parser: patterns over YAML text
cannot tell a key's block from the next one, and the one dockgen had took exponential time on a
`server:` block without a port (issue 18). Either file can hold several documents (`---` in
YAML, `#---` in properties); a document that applies only to a profile counts when an
unconditional document activates that profile (`spring.profiles.active`), and a later document
overrides an earlier one, as in Spring Boot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from dockgen._project import Project, load_yaml_documents

__all__ = ["CONFIGS", "CONFIG_LIMIT", "configured_port"]

CONFIGS = (
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "src/main/resources/application.yaml",
)
#: The largest configuration read; real ones hold a few kB. Larger: a warning, and no port from it.
CONFIG_LIMIT = 128 * 1024
#: YAML documents read from one file (Spring Boot profiles); the rest are not read.
MAX_DOCUMENTS = 32
_PORT_KEYS = ("server.port", "quarkus.http.port", "micronaut.server.port")
#: The deepest nesting of a YAML configuration read (real ones nest a few levels).
MAX_DEPTH = 64
#: A properties key: up to the first unescaped `=`, `:` or whitespace.
_KEY = re.compile(r"(?:[^\\=:\s]|\\.)*")


def configured_port(project: Project) -> tuple[tuple[int, str] | None, list[str]]:
    """(port, reason) from the first configuration that sets one, or None; and warnings."""
    warnings: list[str] = []
    for config in CONFIGS:
        if not project.is_file(config):
            continue
        text = project.read_source(config, limit=CONFIG_LIMIT)
        if text is None:
            warnings.append(f"{config} is larger than {CONFIG_LIMIT} bytes: the port is not read from it")
            continue
        if config.endswith(".properties"):
            documents: list[dict[str, Any]] = _properties(text)
        else:
            try:
                loaded = load_yaml_documents(text, max_documents=MAX_DOCUMENTS, max_depth=MAX_DEPTH)
                documents = [d for d in loaded if isinstance(d, dict)]
            except (yaml.YAMLError, ValueError, RecursionError) as error:  # ValueError: int("9" * 5000)
                warnings.append(f"{config}: invalid YAML ({_problem(error)}); the port is not read from it")
                continue
        found = _port(documents)
        if found:
            port, profile = found
            return (port, f"{config}: port {port}" + (f" (profile {profile})" if profile else "")), warnings
    return None, warnings


def _problem(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"{error.problem or error.context} at line {error.problem_mark.line + 1}"
    return str(error).splitlines()[0][:100] if str(error) else type(error).__name__


def _properties(text: str) -> list[dict[str, Any]]:
    """The documents of a properties file, as flat dictionaries of the keys to their values."""
    documents: list[dict[str, Any]] = [{}]
    pending = ""
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):  # Java's line breaks
        line = raw.lstrip(" \t\f")
        if not pending:
            if line in ("#---", "!---"):
                documents.append({})
                continue
            if not line or line[0] in "#!":
                continue
        if (len(line) - len(line.rstrip("\\"))) % 2:  # an odd number of backslashes: continued
            pending += line[:-1]
            continue
        key, value = _entry(pending + line)
        pending = ""
        documents[-1][key] = value
    if pending:
        key, value = _entry(pending)
        documents[-1][key] = value
    return documents


def _entry(line: str) -> tuple[str, str]:
    key = _KEY.match(line)
    end = key.end() if key else 0
    rest = line[end:].lstrip(" \t\f")
    if rest[:1] in ("=", ":"):
        rest = rest[1:]
    return line[:end].replace("\\", ""), rest.strip()


def _lookup(document: Any, key: str) -> Any:
    """The value of a dotted `key` in a YAML document (`a.b.c`), nested or flat (`a: {b.c: ...}`)."""
    if not isinstance(document, dict):
        return None
    if key in document:
        return document[key]
    parts = key.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:cut])
        if head in document:
            found = _lookup(document[head], ".".join(parts[cut:]))
            if found is not None:
                return found
    return None


def _names(value: Any) -> set[str]:
    """Profile names in `dev,prod` or `[dev, prod]`; an expression (`prod & !dev`) names none."""
    if not isinstance(value, (str, list)):
        return set()
    items: Iterable[Any] = value if isinstance(value, list) else value.split(",")
    names = {str(item).strip() for item in items}
    return set() if any(c in name for name in names for c in "&|!()") else names


def _condition(document: dict[str, Any]) -> Any:
    """The profile a document applies to (None: every profile)."""
    condition = _lookup(document, "spring.config.activate.on-profile")
    legacy = _lookup(document, "spring.profiles")  # Spring Boot before 2.4; not spring.profiles.active
    return condition if condition is not None else (legacy if isinstance(legacy, (str, list)) else None)


def _port(documents: list[dict[str, Any]]) -> tuple[int, str | None] | None:
    """(port, profile) set last by the documents that apply, or None."""
    unconditional = [d for d in documents if _condition(d) is None]
    active: set[str] = set()
    for document in unconditional:
        active |= _names(_lookup(document, "spring.profiles.active"))
    found = None
    for document in documents:
        condition = _condition(document)
        profile = None
        if condition is not None:
            matching = _names(condition) & active
            if not matching:
                continue
            profile = sorted(matching)[0]
        for key in _PORT_KEYS:
            value = _lookup(document, key)
            if isinstance(value, str) and 0 < len(value.strip()) <= 5 and value.strip().isdecimal():
                value = int(value.strip())
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536:
                found = (value, profile)
                break
    return found
