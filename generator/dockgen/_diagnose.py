"""Why a test container never became healthy, from its log: one line on what to add, and where.

Many real apps cannot start alone: they connect to a database at start, or refuse to start
without a secret. The Dockerfile is fine; the test run lacks what production has. The user gets
one line naming the missing service or variable instead of a bare "exited (1)".
"""

from __future__ import annotations

import re

__all__ = ["diagnose"]

#: Services by the port their clients try, and by the words their drivers' errors use.
_SERVICES: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "PostgreSQL": ((5432,), ("postgres", "psycopg", "asyncpg", "pg_hba")),
    "MySQL": ((3306,), ("mysql", "mariadb")),
    "MongoDB": ((27017,), ("mongo",)),
    "Redis": ((6379,), ("redis",)),
    "RabbitMQ": ((5672,), ("amqp", "rabbitmq")),
    "Elasticsearch": ((9200,), ("elasticsearch",)),
}
#: A failed connection, as Node.js, Python and the common drivers word it.
_REFUSED = re.compile(
    r"ECONNREFUSED|ENOTFOUND|EAI_AGAIN|connection refused|could not connect|can't connect|"
    r"cannot connect|connection to server at|failed to connect|server selection|"
    r"name or service not known|temporary failure in name resolution|nodename nor servname",
    re.IGNORECASE,
)
_PORT = re.compile(r"[:\s(](\d{4,5})\b")
#: A variable the app requires, as env validators and plain code report it; group 1 is its name.
_MISSING_VARIABLE = (
    re.compile(r"""["'`]([A-Z][A-Z0-9_]{2,})["'`] is required"""),
    re.compile(r"\b([A-Z][A-Z0-9_]{2,})\b[^\n]{0,40}?\b(?:is|are) (?:not set|missing|required|undefined)"),
    re.compile(
        r"(?:missing|required|set the|undefined) (?:required )?(?:environment )?variables?:? "
        r"['\"`]?([A-Z][A-Z0-9_]{2,})"
    ),
    re.compile(r"KeyError: '([A-Z][A-Z0-9_]{2,})'"),
    re.compile(r"\b([A-Z][A-Z0-9_]{2,})\b[^\n]{0,20}?\bmust be (?:set|defined|provided)"),
)  # fmt: skip
_MAX_LINE = 300  # longer lines are cut before matching: a log can hold anything


def diagnose(log: str) -> str | None:
    """One line on what the app lacked at start (a service, a variable); None if the log shows neither."""
    lines = [line[:_MAX_LINE] for line in log.splitlines()[-200:]]
    for line in lines:
        if _REFUSED.search(line):
            service = _service(line, lines)
            shown = line.strip()[:120]
            if service:
                return (
                    f"the app needs a {service} server at start (its log: {shown}); the test run has none: "
                    f"start one and pass its address in the variable the app reads (e.g. `docker run -e "
                    f"...`), or test it with a compose file that adds the {service} service"
                )
            return (
                f"the app could not reach a service at start (its log: {shown}): start that service "
                "and pass its address in the variable the app reads"
            )
    for line in lines:
        for pattern in _MISSING_VARIABLE:
            match = pattern.search(line)
            if match:
                return (
                    f"the app needs the variable {match[1]} at start (its log: {line.strip()[:120]}): set it "
                    f"where the image runs (`docker run -e {match[1]}=...`); the test run sets only PORT"
                )
    return None


def _service(line: str, lines: list[str]) -> str | None:
    """The service a refused connection was for: by port first, then by the driver's words nearby."""
    for match in _PORT.finditer(line):
        port = int(match[1])
        for name, (ports, _words) in _SERVICES.items():
            if port in ports:
                return name
    text = " ".join(lines).lower()
    for name, (_ports, words) in _SERVICES.items():
        if any(word in line.lower() for word in words):
            return name
    for name, (_ports, words) in _SERVICES.items():
        if any(word in text for word in words):
            return name
    return None
