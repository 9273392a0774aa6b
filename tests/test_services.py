"""Servers beside the app: the variables an app reads, their wiring, compose.yaml and its reader.

The real runs against PostgreSQL and Redis stand-ins are in test_build_real.py (docker tier).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, fixture_names
from dockgen._answers import parse_set
from dockgen._project import Project
from dockgen._render import render
from dockgen._stack import interpolate, read_compose, throwaway_values
from dockgen.cli import main
from dockgen.detectors import node, python
from dockgen.detectors._base import Service
from dockgen.detectors._env import read_variables, wire
from dockgen.errors import AnswerError, InputError

SCHEMA = jsonschema.Draft7Validator(
    json.loads((Path(__file__).parent / "compose" / "compose-spec.json").read_text())
)


def js_variables(tree, code: str) -> set[str]:
    return set(read_variables(Project(tree({"server.js": code})), ["server.js"], "js"))


def py_variables(tree, code: str) -> set[str]:
    return set(read_variables(Project(tree({"settings.py": code})), ["settings.py"], "py"))


# ---- the variables the code reads ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("const url = process.env.DATABASE_URL;", {"DATABASE_URL"}),
        ("const url = process.env['MONGO_URI'] ?? x;", {"MONGO_URI"}),
        ("const { PGHOST, PGUSER: user, PORT = 3000, ...rest } = process.env;", {"PGHOST", "PGUSER", "PORT"}),
        # an env schema: its upper-case keys are the variables (envalid)
        (
            "const env = cleanEnv(process.env, {\n  REDIS_URL: url(),\n  JWT_SECRET: str(),\n});",
            {"REDIS_URL", "JWT_SECRET"},
        ),
        ("// process.env.COMMENTED_OUT\nconst a = 1;", set()),
    ],
)
def test_node_variables(tree, code: str, names: set[str]) -> None:
    assert js_variables(tree, code) == names


@pytest.mark.parametrize(
    ("code", "names"),
    [
        (
            "import os\nDB = os.environ['DATABASE_URL']\nKEY = os.getenv('SECRET_KEY', 'x')\n",
            {"DATABASE_URL", "SECRET_KEY"},
        ),
        ("from decouple import config\nREDIS = config('REDIS_URL')\n", {"REDIS_URL"}),
        # dj-database-url reads DATABASE_URL unless told another name
        ("DATABASES = {'default': dj_database_url.config(conn_max_age=60)}\n", {"DATABASE_URL"}),
        ("DATABASES = {'default': dj_database_url.config(env='PG_DSN')}\n", {"PG_DSN"}),
        # pydantic-settings: each field is a variable (upper-cased), methods and config are not
        (
            'class Settings(BaseSettings):\n    """App settings."""\n    database_url: str\n'
            "    redis_url: str = 'redis://localhost'\n    model_config = SettingsConfigDict()\n\n"
            "    def dsn(self) -> str:\n        return self.database_url\n\nother: int = 1\n",
            {"DATABASE_URL", "REDIS_URL"},
        ),
        ("# os.environ['COMMENTED']\nx = 1\n", set()),
    ],
)
def test_python_variables(tree, code: str, names: set[str]) -> None:
    assert py_variables(tree, code) == names


# ---- wiring ---------------------------------------------------------------------------------------
PG = Service("PostgreSQL", "pg")
REDIS = Service("Redis", "ioredis")


def test_the_variables_the_app_reads_carry_the_addresses(tree) -> None:
    project = Project(tree({"x": ""}))
    found = {"PGHOST": "db.js", "PGPASSWORD": "db.js", "REDIS_URL": "queue.js", "PORT": "server.js"}
    wiring = wire((PG, REDIS), found, project, "package.json")
    assert wiring.answers["services"] == ["postgres", "redis"]
    assert wiring.answers["service_env"] == {
        "PGHOST": "postgres.host",
        "PGPASSWORD": "postgres.password",
        "REDIS_URL": "redis.url",
    }
    assert wiring.answers["compose"] is True
    assert "PGHOST (db.js reads it): postgres host" in wiring.reasons["service_env"]


def test_an_app_that_reads_no_known_variable_gets_the_usual_url_and_says_it_is_assumed(tree) -> None:
    wiring = wire((Service("MongoDB", "mongoose"),), {}, Project(tree({"x": ""})), "package.json")
    assert wiring.answers["service_env"] == {"MONGODB_URI": "mongodb.url"}
    assert "assumed" in wiring.reasons["service_env"]


def test_secrets_with_no_safe_value_are_listed_but_not_a_third_partys(tree) -> None:
    names = ["JWT_SECRET", "SESSION_SECRET", "DJANGO_SECRET_KEY", "APP_KEY", "STRIPE_SECRET_KEY"]
    names += ["GITHUB_CLIENT_SECRET", "LINKEDIN_SECRET", "OPENAI_API_KEY", "DB_URL"]
    wiring = wire((PG,), dict.fromkeys(names, "a.js"), Project(tree({"x": ""})), "package.json")
    assert wiring.answers["secret_env"] == ["JWT_SECRET", "SESSION_SECRET", "DJANGO_SECRET_KEY", "APP_KEY"]
    assert wiring.answers["service_env"] == {"DB_URL": "postgres.url"}


def test_a_project_with_its_own_compose_file_gets_none(tree) -> None:
    project = Project(tree({"docker-compose.yml": "services: {}\n"}))
    wiring = wire((PG,), {"DATABASE_URL": "a.js"}, project, "package.json")
    assert wiring.answers["compose"] is False
    assert any(
        w.startswith("docker-compose.yml: the project has its own compose file") for w in wiring.warnings
    )


def test_a_server_dockgen_cannot_run_is_named(tree) -> None:
    wiring = wire((Service("RabbitMQ", "amqplib"),), {}, Project(tree({"x": ""})), "package.json")
    assert wiring.answers == {}
    assert wiring.warnings == ("amqplib connects to RabbitMQ, which dockgen cannot run beside the app yet",)


def test_node_detection_wires_the_database(tree) -> None:
    files = {
        "package.json": {"name": "a", "main": "server.js", "dependencies": {"express": "5", "pg": "8"}},
        "server.js": "const pool = new Pool({ connectionString: process.env.POSTGRES_URL });\n",
        ".env.example": "POSTGRES_URL=postgres://localhost/dev\nTOKEN_SECRET=change-me\n",
    }
    result = node.plan(Project(tree(files)))
    assert result["services"] == ["postgres"]
    assert result["service_env"] == {"POSTGRES_URL": "postgres.url"}
    assert result["secret_env"] == ["TOKEN_SECRET"]  # listed in .env.example
    assert result.to_json()["service_clients"] == [{"name": "PostgreSQL", "package": "pg"}]


def test_an_app_without_servers_gets_no_compose_answers(tree) -> None:
    result = python.plan(
        Project(tree({"requirements.txt": "flask==3\n", "app.py": "app = Flask(__name__)\n"}))
    )
    assert "services" not in result.answers and "compose" not in result.answers


# ---- compose.yaml ---------------------------------------------------------------------------------
def rendered(answers: dict[str, Any]) -> dict[str, bytes]:
    base = {"kind": "node", "package_manager": "npm", "runtime_version": "22", "port": 3000}
    base["start_command"] = ["node", "server.js"]
    return render({**base, **answers})


def test_no_services_no_compose_unless_asked() -> None:
    assert "compose.yaml" not in rendered({})
    asked = yaml.safe_load(rendered({"compose": True})["compose.yaml"])
    assert list(asked["services"]) == ["app"]
    SCHEMA.validate(asked)


def test_every_server_has_a_pinned_image_a_health_check_a_volume_and_the_app_waits_for_it() -> None:
    files = rendered({"services": ["postgres", "mysql", "mongodb", "redis"], "secret_env": ["JWT_SECRET"]})
    compose = yaml.safe_load(files["compose.yaml"])
    SCHEMA.validate(compose)
    app = compose["services"]["app"]
    assert app["depends_on"] == {
        s: {"condition": "service_healthy"} for s in ["postgres", "mysql", "mongodb", "redis"]
    }
    for name in ["postgres", "mysql", "mongodb", "redis"]:
        server = compose["services"][name]
        assert server["image"].split(":")[1].isdigit(), server["image"]  # a pinned major version
        assert server["healthcheck"]["test"][0] == "CMD"
        assert server["volumes"] == [f"{name}-data:" + server["volumes"][0].split(":")[1]]
        assert f"{name}-data" in compose["volumes"]
    # a server none of the app's variables names gets its usual URL variable; DATABASE_URL goes to
    # the first server that uses it
    assert set(app["environment"]) == {"DATABASE_URL", "MYSQL_URL", "MONGODB_URI", "REDIS_URL", "JWT_SECRET"}


def test_no_secret_is_committed() -> None:
    text = rendered({"services": ["postgres", "mysql", "mongodb"], "secret_env": ["JWT_SECRET"]})[
        "compose.yaml"
    ].decode()
    compose = yaml.safe_load(text)
    for name in ["POSTGRES_PASSWORD", "MYSQL_PASSWORD", "MONGO_PASSWORD", "JWT_SECRET"]:
        assert f"${{{name}:?set {name} in .env}}" in text
        assert f"#   {name}=\n" in text  # the header lists what to put in .env
    values = [v for s in compose["services"].values() for v in (s.get("environment") or {}).values()]
    assert all("password" not in v.lower() or "${" in v for v in values)


@pytest.mark.parametrize(
    "name", [n for n in fixture_names() if (FIXTURES / n / "expected" / "compose.yaml").is_file()]
)
def test_golden_compose_files_follow_the_compose_spec(name: str) -> None:
    SCHEMA.validate(yaml.safe_load((FIXTURES / name / "expected" / "compose.yaml").read_text()))


@pytest.mark.skipif(
    subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0
    if shutil.which("docker")
    else True,
    reason="no docker compose v2 here: the compose-spec JSON schema checks the files instead",
)
def test_docker_compose_config_accepts_the_golden_files(tmp_path: Path) -> None:
    for golden in FIXTURES.glob("*/expected/compose.yaml"):
        shutil.copy(golden, tmp_path / "compose.yaml")
        env = "".join(f"{v}=x\n" for v in throwaway_values(yaml.safe_load(golden.read_text())))
        (tmp_path / ".env").write_text(env)
        subprocess.run(["docker", "compose", "config", "-q"], cwd=tmp_path, check=True)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("services=[postgres, oracle]", "oracle is not a server dockgen runs"),
        ("services=[redis, redis]", "redis is listed twice"),
        ("services=postgres", "give a list"),
    ],
)
def test_bad_services_answers_are_refused(tmp_path: Path, item: str, problem: str) -> None:
    with pytest.raises(AnswerError, match=problem):
        rendered(parse_set([item]))


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"services": ["postgres"], "service_env": {"DATABASE_URL": "postgres.uri"}}, "is not server.part"),
        (
            {"services": ["postgres"], "service_env": {"DATABASE_URL\n": "postgres.url"}},
            "is not a variable name",
        ),
        (
            {"services": ["postgres"], "service_env": {"REDIS_URL": "redis.url"}},
            "redis is not one of the services",
        ),
        ({"services": ["postgres"], "secret_env": ["JWT SECRET"]}, "is not a variable name"),
    ],
)
def test_bad_wiring_answers_are_refused(answers: dict[str, Any], problem: str) -> None:
    with pytest.raises(AnswerError, match=problem):
        rendered(answers)


# ---- the reader of compose.yaml in the test build -------------------------------------------------
def test_interpolation_follows_compose() -> None:
    values = {"A": "1", "EMPTY": ""}
    assert interpolate("${A}-${B}-$A-$$A", values) == "1--1-$A"
    assert interpolate("${B:-x}/${EMPTY:-x}/${EMPTY-x}/${A:+y}/${B:+y}", values) == "x/x//y/"
    assert (
        interpolate("postgresql://app:${A:?set A in .env}@postgres/app", values)
        == "postgresql://app:1@postgres/app"
    )


def test_each_required_variable_gets_a_fresh_throwaway_value() -> None:
    data = {"services": {"app": {"environment": {"U": "${P:?set}", "K": "${JWT:?x}", "O": "${OPT:-1}"}}}}
    first, second = throwaway_values(data), throwaway_values(data)
    assert set(first) == {"P", "JWT"}
    assert first["P"] != second["P"] and first["P"].isalnum()


def test_only_dockgens_own_compose_file_is_run(tree) -> None:
    assert read_compose(Project(tree({"compose.yaml": "services:\n  db:\n    image: postgres\n"}))) is None
    ours = "# Generated by dockgen\nservices:\n  app:\n    build: .\n"
    assert read_compose(Project(tree({"compose.yaml": ours}))) == {"services": {"app": {"build": "."}}}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# Generated by dockgen\nservices: [a]\n", "expected `services:`"),
        ("# Generated by dockgen\nservices: {a: &x {image: p}, b: *x}\n", "not valid YAML"),
        ("# Generated by dockgen\nservices: {a: [\n", "not valid YAML"),
    ],
)
def test_a_broken_compose_file_is_an_input_error(tree, text: str, problem: str) -> None:
    with pytest.raises(InputError, match=rf"compose\.yaml: {problem}"):
        read_compose(Project(tree({"compose.yaml": text})))


def test_init_writes_compose_and_check_covers_it(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(FIXTURES / "node-express-pg" / "app", project)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert (project / "compose.yaml").is_file()
    assert main(["check", str(project)]) == 0
    (project / "compose.yaml").write_text(
        (project / "compose.yaml").read_text().replace("postgres:17", "postgres:9")
    )
    assert main(["check", str(project)]) == 1  # drift in compose.yaml is drift


def test_prisma_names_its_database_and_its_variable(tree) -> None:
    schema = 'datasource db {\n  provider  = "postgresql"\n  url       = env("PG_DSN")\n}\n'
    files = {
        "package.json": {
            "name": "a",
            "main": "server.js",
            "dependencies": {"express": "5", "@prisma/client": "6"},
        },
        "server.js": "const prisma = new PrismaClient();\n",
        "prisma/schema.prisma": schema,
    }
    result = node.plan(Project(tree(files)))
    assert [(s.name, s.package) for s in result.services] == [("PostgreSQL", "@prisma/client")]
    assert result["service_env"] == {"PG_DSN": "postgres.url"}
    sqlite = {**files, "prisma/schema.prisma": schema.replace("postgresql", "sqlite")}
    assert node.plan(Project(tree(sqlite))).services == ()


def test_a_mongodb_app_gets_its_entry_and_hears_that_the_test_build_needs_the_image(tree) -> None:
    files = {
        "package.json": {"name": "a", "main": "server.js", "dependencies": {"express": "5", "mongoose": "8"}},
        "server.js": "mongoose.connect(process.env.MONGO_URL);\n",
    }
    result = node.plan(Project(tree(files)))
    assert result["service_env"] == {"MONGO_URL": "mongodb.url"}
    assert any(
        w.startswith("MongoDB runs from the image mongo:8: the test build needs it") for w in result.warnings
    )
    compose = yaml.safe_load(
        rendered({"services": ["mongodb"], "service_env": result["service_env"]})["compose.yaml"]
    )
    SCHEMA.validate(compose)
    assert compose["services"]["mongodb"]["image"] == "mongo:8"


def test_a_project_with_its_own_compose_file_still_gets_its_servers_in_the_test_build(tmp_path: Path) -> None:
    from dockgen._stack import servers_from_answers

    project = tmp_path / "app"
    shutil.copytree(FIXTURES / "node-express-pg" / "app", project)
    (project / "docker-compose.yml").write_text("services:\n  web:\n    build: .\n")
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert not (project / "compose.yaml").exists()
    data = servers_from_answers(Project(project))
    assert data is not None and sorted(data["services"]) == ["app", "postgres"]
    assert read_compose(Project(project)) is None  # the user's own file is never run


def test_celery_with_a_redis_broker_needs_redis(tree) -> None:
    files = {
        "requirements.txt": "flask==3\ncelery==5\n",
        "app.py": "app = Flask(__name__)\n",
        "tasks.py": "import os\nfrom celery import Celery\n"
        "celery = Celery('tasks', broker=os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0'))\n",
    }
    result = python.plan(Project(tree(files)))
    assert [(s.name, s.package) for s in result.services] == [("Redis", "celery")]
    assert result["service_env"] == {"CELERY_BROKER_URL": "redis.url"}
    amqp = {**files, "tasks.py": "celery = Celery('tasks', broker='amqp://guest@localhost//')\n"}
    assert python.plan(Project(tree(amqp))).services == ()


def test_drivers_of_two_databases_and_a_dialect_variable_run_the_one_it_names(tree) -> None:
    """w3tecch/express-typescript-boilerplate: pg and mysql, TYPEORM_CONNECTION=postgres."""
    example = "TYPEORM_CONNECTION=postgres\nTYPEORM_HOST=localhost\nTYPEORM_PASSWORD=\n"
    project = Project(tree({".env.example": example}))
    found = dict.fromkeys(["TYPEORM_CONNECTION", "TYPEORM_HOST", "TYPEORM_PASSWORD"], ".env.example")
    wiring = wire((PG, Service("MySQL", "mysql"), REDIS), found, project, "package.json")
    assert wiring.answers["services"] == ["postgres", "redis"]
    assert wiring.answers["service_env"] == {
        "TYPEORM_HOST": "postgres.host",
        "TYPEORM_PASSWORD": "postgres.password",
        "REDIS_URL": "redis.url",
    }
    assert wiring.reasons["services"] == (
        "pg in package.json: PostgreSQL; mysql in package.json: MySQL; ioredis in package.json: Redis; "
        "postgres only: the env example file's dialect variable names it"
    )
    # without the variable, both run: dockgen cannot tell which one the app uses
    unnamed = wire((PG, Service("MySQL", "mysql")), {}, Project(tree({"x": ""})), "package.json")
    assert unnamed.answers["services"] == ["postgres", "mysql"]


def test_the_env_example_stands_in_for_dotenv_as_dotenv_reads_it(tree) -> None:
    """The test build's stand-in for the `.env` compose.yaml loads (fastify/demo needs COOKIE_NAME)."""
    from dockgen.detectors._env import example_values

    example = (
        "COOKIE_NAME=session_id\nRATE_LIMIT_MAX=4 # 4 is for tests\nexport GREETING='hi # there'\n"
        "COOKIE_SECRET=\n# COMMENTED=1\n"
    )
    assert example_values(Project(tree({".env.example": example}))) == {
        "COOKIE_NAME": "session_id",
        "RATE_LIMIT_MAX": "4",
        "GREETING": "hi # there",
    }
