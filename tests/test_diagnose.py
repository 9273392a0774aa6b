"""The one line `dockgen build` adds when a container never became healthy (issue 12): what the app
lacked at start, read from its log."""

from __future__ import annotations

import time

import pytest

from dockgen._diagnose import diagnose


@pytest.mark.parametrize(
    ("log", "service"),
    [
        # mongoose (node-express-boilerplate)
        ("MongooseServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017", "MongoDB"),
        # node-postgres, Sequelize, TypeORM
        ("Error: connect ECONNREFUSED ::1:5432\n    at TCPConnectWrap.afterConnect", "PostgreSQL"),
        # psycopg 3 / Django
        (
            'django.db.utils.OperationalError: connection failed: connection to server at "127.0.0.1", '
            "port 5432 failed: Connection refused",
            "PostgreSQL",
        ),
        # a host name that does not resolve in the test run (compose service names)
        (
            'sqlalchemy.exc.OperationalError: could not translate host name "db" to address: '
            "Name or service not known\n(psycopg2.OperationalError)",
            "PostgreSQL",
        ),
        ("Error: getaddrinfo ENOTFOUND redis\n    at GetAddrInfoReqWrap.onlookup", "Redis"),
        ("pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'localhost'\")", "MySQL"),
    ],
)
def test_a_refused_connection_names_the_service(log: str, service: str) -> None:
    hint = diagnose("starting\n" + log)
    assert hint is not None and f"needs a {service} server" in hint
    assert "\n" not in hint


@pytest.mark.parametrize(
    ("log", "variable"),
    [
        ('Error: Config validation error: "JWT_SECRET" is required', "JWT_SECRET"),
        ("KeyError: 'SECRET_KEY'", "SECRET_KEY"),
        ("Error: DATABASE_URL is not set", "DATABASE_URL"),
        (
            "❌ Invalid environment variables: missing required environment variable AUTH_SECRET",
            "AUTH_SECRET",
        ),
        ("RuntimeError: STRIPE_SECRET_KEY must be set", "STRIPE_SECRET_KEY"),
    ],
)
def test_a_missing_variable_is_named(log: str, variable: str) -> None:
    hint = diagnose(log)
    assert hint is not None and f"needs the variable {variable}" in hint and f"-e {variable}=" in hint


@pytest.mark.parametrize(
    "log", ["", "listening on 3000\nTypeError: x is not a function", "Segmentation fault (core dumped)"]
)
def test_an_unknown_failure_gets_no_guess(log: str) -> None:
    assert diagnose(log) is None


def test_a_hostile_log_is_read_in_linear_time() -> None:
    log = ("A" * 10_000 + " is" + " x" * 5_000 + "\n") * 200 + "ECONNREFUSED " + "1" * 100_000
    started = time.monotonic()
    diagnose(log)
    assert time.monotonic() - started < 2


def test_a_variable_named_after_a_service_names_the_service_too() -> None:
    hint = diagnose('0|app  | Error: Config validation error: "MONGODB_URL" is required')
    assert hint is not None and "needs a MongoDB server and the variable MONGODB_URL" in hint


def test_a_silent_log_names_the_servers_the_dependencies_connect_to(tmp_path) -> None:
    """fastify/demo logs nothing without a terminal and exits 1: its mysql2 says what it lacked."""
    from dockgen.build._run import _services_hint
    from dockgen.cli import _services

    (tmp_path / "package.json").write_text(
        '{"main": "server.js", "dependencies": {"fastify": "5", "mysql2": "3"}}'
    )
    (tmp_path / "server.js").write_text("")
    services = _services(str(tmp_path))
    assert services == ("MySQL (mysql2)",)
    hint = _services_hint(services)
    assert hint is not None and "uses MySQL (mysql2): it most likely needs that server at start" in hint
    assert _services_hint(()) is None
    assert diagnose("") is None  # the log itself gives no line: the services are the only clue


def test_no_services_when_the_project_cannot_be_detected(tmp_path) -> None:
    from dockgen.cli import _services

    (tmp_path / "package.json").write_text("{broken")
    assert _services(str(tmp_path)) == ()
