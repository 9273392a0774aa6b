"""The small Dockerfile reader the build report relies on."""

from __future__ import annotations

from conftest import FIXTURES
from dockgen.build._dockerfile import Dockerfile, is_dependency_install


def test_base_image_follows_args_and_stage_aliases() -> None:
    text = (FIXTURES / "python-fastapi-pip" / "expected" / "Dockerfile").read_text()
    assert Dockerfile.parse(text).base_image() == "python:3.13-slim-trixie"
    text = (FIXTURES / "node-express-bcrypt" / "expected" / "Dockerfile").read_text()
    assert Dockerfile.parse(text).base_image() == "scratch"  # distroless: glibc and node on scratch
    text = (FIXTURES / "node-nest-ts" / "expected" / "Dockerfile").read_text()
    assert Dockerfile.parse(text).base_image() == "alpine:3"  # the node binary on Alpine


def test_base_image_of_a_plain_file() -> None:
    text = "FROM --platform=$BUILDPLATFORM golang:1.24 AS build\nRUN go build\nFROM debian:trixie-slim\nCOPY --from=build /x /x\n"
    assert Dockerfile.parse(text).base_image() == "debian:trixie-slim"


def test_continuations_and_comments() -> None:
    parsed = Dockerfile.parse("FROM a\n# note\nRUN one \\\n  # inside\n  && two\n")
    assert parsed.instructions == (("FROM", "a"), ("RUN", "one  && two"))


def test_buildkit_only_syntax() -> None:
    assert Dockerfile.parse("FROM a\nRUN --mount=type=cache,target=/x true\n").buildkit_only()
    assert Dockerfile.parse("FROM a\nCOPY <<EOF /x\nhi\nEOF\n").buildkit_only()
    assert not Dockerfile.parse("FROM a\nRUN true\nCOPY . .\n").buildkit_only()


def test_dependency_installs() -> None:
    for command in (
        "npm ci --omit=dev",
        "RUN --mount=type=cache,target=/root/.npm     npm ci",
        "pnpm install --frozen-lockfile --prod",
        "yarn workspaces focus --all --production",
        "pip --python /opt/venv/bin/python install -r requirements.txt",
        "python -m venv --without-pip /opt/venv  && poetry install --only main --no-root",
        "uv sync --frozen --no-dev --no-install-project",
        "uv sync --frozen --no-dev --project apps/api --no-install-workspace",
        "npm ci --omit=dev --workspace apps/api",
        "npm ci --omit=dev --workspace=apps/api",
        "mvn --batch-mode --no-transfer-progress dependency:go-offline",
        "./mvnw --batch-mode --no-transfer-progress dependency:go-offline",
        "./gradlew --no-daemon --quiet dependencies",
    ):
        assert is_dependency_install(command), command
    for command in (
        "npm install --global pnpm@9.15.0",
        "pip install poetry==2.5.1",
        "npm run build",
        "apt-get install -y gcc",
        "mvn --batch-mode --no-transfer-progress -DskipTests package",
        # a uv workspace member's own packages, installed from the source after COPY . .
        "uv sync --frozen --no-dev --project apps/api --no-install-project --no-editable",
    ):
        assert not is_dependency_install(command), command
