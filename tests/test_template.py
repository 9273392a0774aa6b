"""The copier template on its own (pytest-copie): every shape it can render is valid and lint-clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dockerfile
import pytest

from conftest import hadolint_findings

NODE = {
    "kind": "node",
    "package_manager": "npm",
    "runtime_version": "22",
    "dependency_files": ["package.json", "package-lock.json"],
    "start_command": ["node", "server.js"],
    "port": 3000,
    "health_path": "/health",
}
PYTHON = {
    "kind": "python",
    "package_manager": "pip",
    "runtime_version": "3.13",
    "dependency_files": ["requirements.txt"],
    "start_command": ["gunicorn", "app:app"],
    "port": 8000,
    "health_path": "/health",
}
GO = {
    "kind": "go",
    "package_manager": "go",
    "runtime_version": "1.26",
    "dependency_files": ["go.mod", "go.sum"],
    "go_main": "./cmd/api",
    "start_command": ["/usr/local/bin/api"],
    "port": 8080,
    "health_path": "/healthz",
}
PM_FILES = {
    "npm": ["package.json", "package-lock.json"],
    "pnpm": ["package.json", "pnpm-lock.yaml"],
    "yarn": ["package.json", "yarn.lock"],
    "bun": ["package.json", "bun.lock"],
    "pip": ["requirements.txt", "requirements/base.txt"],
    "poetry": ["pyproject.toml", "poetry.lock"],
    "uv": ["pyproject.toml", "uv.lock"],
    "pdm": ["pyproject.toml", "pdm.lock"],
    "pipenv": ["Pipfile", "Pipfile.lock"],
}

# (base answers, extra answers): every package manager, both bases, with and without native deps/build
CASES: list[tuple[str, dict[str, Any]]] = []
for pm in ("npm", "pnpm", "yarn", "bun"):
    for base in ("slim", "alpine"):
        CASES.append(
            (
                f"node-{pm}-{base}",
                {**NODE, "package_manager": pm, "dependency_files": PM_FILES[pm], "base": base},
            )
        )
CASES += [
    (
        "node-yarn-berry",
        {
            **NODE,
            "package_manager": "yarn",
            "package_manager_version": "4.5.1",
            "dependency_files": ["package.json", "yarn.lock", ".yarnrc.yml"],
        },
    ),
    ("node-npm-pinned", {**NODE, "package_manager_version": "10.9.2"}),
    (
        "node-build-native",
        {
            **NODE,
            "build_command": ["npm", "run", "build"],
            "build_output": ["dist"],
            "native_deps": ["bcrypt", "canvas"],
            "base": "slim",
        },
    ),
    ("node-alpine-canvas", {**NODE, "native_deps": ["canvas"], "base": "alpine"}),
    ("node-prisma", {**NODE, "native_deps": ["@prisma/client"], "base": "slim"}),
    ("node-puppeteer", {**NODE, "native_deps": ["puppeteer"], "base": "slim"}),
    ("node-cypress-dev", {**NODE, "native_deps": ["cypress"], "base": "alpine"}),
    ("node-unknown-native", {**NODE, "native_deps": ["mystery-addon"], "base": "slim"}),
    (
        "node-next-standalone",
        {
            **NODE,
            "framework": "nextjs",
            "next_standalone": True,
            "build_command": ["npm", "run", "build"],
            "build_output": ["public"],
            "base": "slim",
        },
    ),
    (
        "node-next-server",
        {
            **NODE,
            "framework": "nextjs",
            "build_command": ["npm", "run", "build"],
            "build_output": [".next"],
            "start_command": ["node_modules/.bin/next", "start"],
        },
    ),
    (
        "node-next-server-pnpm-alpine",
        {
            **NODE,
            "package_manager": "pnpm",
            "dependency_files": PM_FILES["pnpm"],
            "framework": "nextjs",
            "build_command": ["pnpm", "run", "build"],
            "build_output": [".next"],
            "start_command": ["node_modules/.bin/next", "start"],
            "base": "alpine",
        },
    ),
    (
        "node-nuxt-self-contained",
        {
            **NODE,
            "framework": "nuxt",
            "self_contained": True,
            "build_command": ["npm", "run", "build"],
            "build_output": [".output"],
            "start_command": ["node", ".output/server/index.mjs"],
        },
    ),
    ("node-no-lockfile", {**NODE, "dependency_files": ["package.json"]}),
    (
        "node-start-env",
        {
            **NODE,
            "start_env": ["NODE_OPTIONS=--max-old-space-size=4096 --enable-source-maps", "TZ=UTC", "E="],
        },
    ),
    ("node-start-env-alpine", {**NODE, "start_env": ["DEBUG=app:*,-app:db"], "base": "alpine"}),
    ("node-root-probe", {**NODE, "health_path": "/"}),
    (
        "node-corporate-ca",
        {
            **NODE,
            "corporate_ca": True,
            "package_manager": "pnpm",
            "dependency_files": PM_FILES["pnpm"],
            "native_deps": ["bcrypt"],
        },
    ),
    ("node-corporate-ca-npm", {**NODE, "corporate_ca": True}),
]
for pm in ("pip", "poetry", "uv", "pdm", "pipenv"):
    CASES.append((f"python-{pm}", {**PYTHON, "package_manager": pm, "dependency_files": PM_FILES[pm]}))
CASES += [
    ("python-alpine", {**PYTHON, "base": "alpine", "native_deps": ["psycopg2"]}),
    ("python-writable", {**PYTHON, "writable_paths": ["db.sqlite3", "media/", "instance/", "app/data/x.db"]}),
    ("python-writable-alpine", {**PYTHON, "base": "alpine", "writable_paths": ["logs/"]}),
    ("python-native-slim", {**PYTHON, "native_deps": ["psycopg2", "mysqlclient", "python-magic", "lxml"]}),
    (
        "python-django",
        {
            **PYTHON,
            "framework": "django",
            "build_command": ["python", "manage.py", "collectstatic", "--noinput"],
        },
    ),
    ("python-uv-unlocked", {**PYTHON, "package_manager": "uv", "dependency_files": ["pyproject.toml"]}),
    (
        "python-corporate-ca",
        {**PYTHON, "corporate_ca": True, "package_manager": "poetry", "dependency_files": PM_FILES["poetry"]},
    ),
]

RUST = {
    "kind": "rust",
    "package_manager": "cargo",
    "runtime_version": "1",
    "dependency_files": ["Cargo.toml", "Cargo.lock"],
    "rust_bin": "api",
    "start_command": ["/usr/local/bin/api"],
    "port": 8080,
    "health_path": "/health",
}
JAVA = {
    "kind": "java",
    "package_manager": "maven",
    "runtime_version": "21",
    "framework": "spring-boot",
    "dependency_files": ["pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties"],
    "start_command": ["java", "org.springframework.boot.loader.launch.JarLauncher"],
    "port": 8080,
    "health_path": "/actuator/health",
}
STATIC = {
    **NODE,
    "framework": "vite",
    "static_site": True,
    "build_command": ["npm", "run", "build"],
    "build_output": ["dist"],
    "start_command": ["nginx", "-g", "daemon off;"],
    "port": 8080,
    "health_path": "/healthz",
}
CASES += [
    ("static-alpine", {**STATIC, "base": "alpine"}),
    ("static-slim-native", {**STATIC, "base": "slim", "native_deps": ["sharp"], "framework": "astro"}),
    ("static-pnpm", {**STATIC, "package_manager": "pnpm", "dependency_files": PM_FILES["pnpm"]}),
]
CASES += [
    ("rust", RUST),
    ("rust-pinned-unlocked", {**RUST, "runtime_version": "1.85", "dependency_files": ["Cargo.toml"]}),
    ("rust-native", {**RUST, "native_deps": ["openssl-sys", "pq-sys"]}),
    ("rust-corporate-ca", {**RUST, "corporate_ca": True}),
]
CASES += [
    (
        "node-pnpm-workspace-app",
        {
            **NODE,
            "package_manager": "pnpm",
            "package_manager_version": "9.15.0",
            "app_path": "apps/api",
            "dependency_files": [
                "package.json",
                "pnpm-lock.yaml",
                "pnpm-workspace.yaml",
                "apps/api/package.json",
            ],
            "build_command": ["pnpm", "--filter", "{apps/api}...", "run", "--if-present", "build"],
        },
    ),
]
NPM_WORKSPACE = {
    **NODE,
    "app_path": "apps/api",
    "workspace_packages": ["packages/lib"],
    "dependency_files": [
        "package.json",
        "package-lock.json",
        "apps/api/package.json",
        "packages/lib/package.json",
    ],
    "build_command": ["npm", "run", "build", "--workspace", "packages/lib", "--workspace", "apps/api"],
    "build_output": ["apps/api/dist"],
}
YARN_WORKSPACE = {
    **NPM_WORKSPACE,
    "package_manager": "yarn",
    "package_manager_version": "4.9.2",
    "dependency_files": ["package.json", "yarn.lock", "apps/api/package.json", "packages/lib/package.json"],
    "build_command": ["sh", "-c", "yarn workspace @m/lib run build && yarn workspace @m/api run build"],
}
CASES += [
    ("node-npm-workspace-app", NPM_WORKSPACE),
    ("node-npm-workspace-app-unbuilt", {**NPM_WORKSPACE, "build_command": [], "build_output": []}),
    ("node-npm-workspace-app-slim-native", {**NPM_WORKSPACE, "base": "slim", "native_deps": ["bcrypt"]}),
    ("node-yarn-workspace-app", YARN_WORKSPACE),
    ("node-yarn1-workspace-app", {**YARN_WORKSPACE, "package_manager_version": "1.22.22"}),
    ("node-yarn3-workspace-app", {**YARN_WORKSPACE, "package_manager_version": "3.8.7"}),
    (
        "node-npm-workspace-static",
        {
            **NPM_WORKSPACE,
            **{k: STATIC[k] for k in STATIC if k not in NODE or k == "port"},
            "workspace_packages": [],
        },
    ),
]
PNPM_WORKSPACE = {
    **NPM_WORKSPACE,
    "package_manager": "pnpm",
    "package_manager_version": "9.15.0",
    "dependency_files": ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "apps/api/package.json"],
    "build_command": ["pnpm", "--filter", "{apps/api}...", "run", "--if-present", "build"],
}
CASES += [
    # husky at the root of the workspace: skipped by the installs, not run by the build
    ("node-npm-workspace-root-scripts", {**NPM_WORKSPACE, "skip_scripts": ["prepare"]}),
    ("node-yarn-workspace-root-scripts", {**YARN_WORKSPACE, "skip_scripts": ["prepare"]}),
    ("node-pnpm-workspace-root-scripts", {**PNPM_WORKSPACE, "skip_scripts": ["prepare"]}),
]
UV_MEMBER = {
    **PYTHON,
    "package_manager": "uv",
    "app_path": "apps/api",
    "dependency_files": ["pyproject.toml", "uv.lock", "apps/api/pyproject.toml", "libs/core/pyproject.toml"],
}
CASES += [
    ("python-uv-workspace-member", UV_MEMBER),
    (
        "python-uv-workspace-django",
        {
            **UV_MEMBER,
            "framework": "django",
            "build_command": ["python", "manage.py", "collectstatic", "--noinput"],
        },
    ),
]
CASES += [
    ("java-maven-boot", JAVA),
    ("java-maven-no-wrapper", {**JAVA, "dependency_files": ["pom.xml"]}),
    (
        "java-gradle-jar",
        {
            **JAVA,
            "package_manager": "gradle",
            "framework": "",
            "dependency_files": [
                "settings.gradle.kts",
                "build.gradle.kts",
                "gradlew",
                "gradle/wrapper/gradle-wrapper.properties",
            ],
            "start_command": ["java", "-jar", "app.jar"],
        },
    ),
    ("java-quarkus", {**JAVA, "framework": "quarkus", "start_command": ["java", "-jar", "quarkus-run.jar"]}),
    ("java-corporate-ca", {**JAVA, "corporate_ca": True}),
]
CASES += [
    ("go-scratch", GO),
    ("go-root-main", {**GO, "go_main": ".", "dependency_files": ["go.mod"]}),
    ("go-vendored", {**GO, "dependency_files": ["go.mod", "go.sum", "vendor/modules.txt"]}),
    ("go-cgo", {**GO, "native_deps": ["cgo"], "base": "slim"}),
    ("go-cgo-libvips", {**GO, "native_deps": ["github.com/h2non/bimg"], "base": "slim"}),
    ("go-corporate-ca", {**GO, "corporate_ca": True}),
]


def render(copie, answers: dict[str, Any]) -> Path:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code == 0, result.exception
    return result.project_dir


def stages(path: Path) -> list[list[dockerfile.Command]]:
    result: list[list[dockerfile.Command]] = []
    for command in dockerfile.parse_file(str(path)):
        if command.cmd == "FROM":
            result.append([])
        if result:
            result[-1].append(command)
    return result


def test_defaults_render(copie) -> None:
    project = render(copie, {})
    assert sorted(p.name for p in project.iterdir()) == [".copier-answers.yml", ".dockerignore", "Dockerfile"]
    assert hadolint_findings(project / "Dockerfile") == []


@pytest.mark.parametrize(("name", "answers"), CASES, ids=[c[0] for c in CASES])
def test_every_shape_is_lint_clean_and_well_formed(copie, name: str, answers: dict[str, Any]) -> None:
    project = render(copie, answers)
    assert hadolint_findings(project / "Dockerfile") == []
    parsed = stages(project / "Dockerfile")
    runtime = parsed[-1]
    assert runtime[0].value[-1] == "runtime"
    assert [c for c in runtime if c.cmd == "USER"][-1].value[0] in ("1000:1000", "10001:10001", "101:101")
    assert [c for c in runtime if c.cmd == "CMD"][-1].json
    text = (project / "Dockerfile").read_text()
    assert "# syntax" not in text
    # every COPY --from names a stage defined before it
    names = [s[0].value[-1] for s in parsed]
    for stage in parsed:
        for command in stage:
            for flag in command.flags:
                if flag.startswith("--from="):
                    assert flag.removeprefix("--from=") in names


def test_partials_and_data_never_reach_the_project(copie) -> None:
    project = render(copie, NODE)
    assert not list(project.rglob("_partials")) and not list(project.rglob("_data"))


def test_rendering_is_idempotent(copie) -> None:
    first = (render(copie, NODE) / "Dockerfile").read_text()
    assert (render(copie, NODE) / "Dockerfile").read_text() == first


def test_native_packages_come_from_the_table_per_base(copie) -> None:
    slim = (render(copie, {**PYTHON, "native_deps": ["psycopg2"]}) / "Dockerfile").read_text()
    build, runtime = slim.split("AS runtime")
    assert "libpq-dev" in build and "gcc" in build and "libpq5" in runtime and "gcc" not in runtime
    alpine = (
        render(copie, {**PYTHON, "native_deps": ["psycopg2"], "base": "alpine"}) / "Dockerfile"
    ).read_text()
    assert "apk add --no-cache gcc libpq-dev musl-dev" in alpine
    # apt only in the init stage (Debian's tini), never for the app's packages
    assert alpine.count("apt-get") == 2 and "apt-get install -y --no-install-recommends tini \\\n" in alpine


def test_unknown_native_dependency_gets_the_toolchain_in_build_stages_only(copie) -> None:
    text = (render(copie, {**NODE, "native_deps": ["mystery-addon"]}) / "Dockerfile").read_text()
    build, runtime = text.split("AS runtime")
    assert "g++ make python3" in build and "g++" not in runtime


def test_package_manager_pin_is_installed_exactly(copie) -> None:
    text = (
        render(
            copie,
            {
                **NODE,
                "package_manager": "pnpm",
                "package_manager_version": "9.15.0",
                "dependency_files": PM_FILES["pnpm"],
            },
        )
        / "Dockerfile"
    ).read_text()
    assert "npm install --global pnpm@9.15.0" in text
    assert "pnpm@latest" not in text


def test_dev_dependencies_only_in_the_build_stage(copie) -> None:
    text = (
        render(copie, {**NODE, "build_command": ["npm", "run", "build"], "build_output": ["dist"]})
        / "Dockerfile"
    ).read_text()
    assert "npm ci --omit=dev" in text.split("AS build\n")[0]
    assert "COPY --from=prod-deps /app/node_modules ./node_modules" in text


def test_pip_runtime_venv_has_no_pip(copie) -> None:
    text = (render(copie, PYTHON) / "Dockerfile").read_text()
    assert "python -m venv --without-pip /opt/venv" in text


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("start_command", ["node", "a.js\nRUN rm -rf /"]),
        ("start_command", "node server.js"),
        ("start_command", []),
        ("build_command", ["npm", "run", "build\r"]),
        ("build_command", ["npm", "run", "b\u2028x"]),
        ("health_path", "/health'); require('child_process')"),
        ("health_path", "health"),
        ("health_path", "/x\nRUN id"),
        ("dependency_files", ["../secrets.txt"]),
        ("dependency_files", ["-rf"]),
        ("dependency_files", ["package.json\nRUN id"]),
        ("build_output", ["../../etc"]),
        ("native_deps", ["bcrypt; rm -rf /"]),
        ("port", 0),
        ("port", 70000),
        ("runtime_version", "22\nRUN id"),
        ("runtime_version", "latest"),
        ("package_manager", "pip"),
        ("package_manager_version", "latest"),
        ("framework", "Next.js\n"),
        ("base", "busybox"),
    ],
)
def test_hostile_or_invalid_answers_are_rejected(copie, answer: str, value: Any) -> None:
    result = copie.copy(extra_answers={**NODE, "build_command": ["npm", "run", "build"], answer: value})
    assert result.exit_code != 0
    assert result.exception is not None


def test_registry_credentials_and_ca_come_as_build_secrets(copie) -> None:
    node = (render(copie, NODE) / "Dockerfile").read_text()
    assert node.count("--mount=type=secret,id=npmrc,target=/root/.npmrc") == 1  # the one install
    assert "id=ca" not in node
    berry = (
        render(
            copie,
            {
                **NODE,
                "package_manager": "yarn",
                "package_manager_version": "4.5.1",
                "dependency_files": PM_FILES["yarn"],
            },
        )
        / "Dockerfile"
    ).read_text()
    assert "--mount=type=secret,id=yarnrc,target=/root/.yarnrc.yml" in berry
    python = (render(copie, {**PYTHON, "corporate_ca": True}) / "Dockerfile").read_text()
    assert "--mount=type=secret,id=netrc,target=/root/.netrc" in python
    assert "--mount=type=secret,id=ca,required=true" in python and "ENV PIP_CERT=/run/secrets/ca" in python
    runtime = python.split("AS runtime")[1]
    assert "secret" not in runtime and "/run/secrets" not in runtime  # build stages only


def test_c48_template_settings_only_use_answers() -> None:
    """Detector output reaches copier only as data: copier.yml's own expressions name only questions."""
    import yaml
    from jinja2 import Environment, meta, nodes

    from conftest import ROOT

    spec = yaml.safe_load((ROOT / "copier.yml").read_text())
    questions = {name for name in spec if not name.startswith("_")}
    environment = Environment(extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"])
    for name, question in spec.items():
        if name.startswith("_"):
            continue
        for key in ("default", "when", "help", "validator"):
            value = question.get(key)
            if isinstance(value, str) and ("{{" in value or "{%" in value):
                parsed = environment.parse(value)
                # names the expression assigns itself (`{% set %}`) are its own, not outside data
                local = {n.target.name for n in parsed.find_all((nodes.Assign, nodes.AssignBlock))}
                names = meta.find_undeclared_variables(parsed) - local
                assert names <= questions, (name, key, names - questions)


def test_go_probe_is_written_for_go_only(copie) -> None:
    go = render(copie, GO)
    assert (go / ".dockgen" / "healthcheck.go").read_text().startswith("//go:build ignore\n")
    assert not (render(copie, NODE) / ".dockgen").exists()


def test_go_static_binary_on_scratch_and_cgo_on_debian(copie) -> None:
    static = (render(copie, GO) / "Dockerfile").read_text()
    assert "ENV CGO_ENABLED=0" in static and "FROM scratch AS runtime" in static
    cgo = (
        render(copie, {**GO, "native_deps": ["github.com/h2non/bimg"], "base": "slim"}) / "Dockerfile"
    ).read_text()
    build, runtime = cgo.split("AS runtime")
    assert "ENV CGO_ENABLED=1" in build and "libvips-dev" in build
    assert "FROM debian:trixie-slim" in build.splitlines()[-1] and "libvips42t64" in runtime
    assert "libvips-dev" not in runtime


def test_vendored_go_modules_are_not_downloaded(copie) -> None:
    text = (
        render(copie, {**GO, "dependency_files": ["go.mod", "vendor/modules.txt"]}) / "Dockerfile"
    ).read_text()
    lines = [line.strip() for line in text.splitlines() if not line.startswith("#")]
    assert "go mod download" not in lines
    assert not [line for line in lines if line.startswith("COPY") and "modules.txt" in line]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**NODE, "base": "scratch"}, "only a Go binary"),
        ({**GO, "native_deps": ["cgo"], "base": "scratch"}, "needs a C library"),
        ({**GO, "base": "alpine"}, "use scratch"),
        ({**GO, "go_main": "./../x"}, "use a folder of the module"),
        ({**GO, "go_main": "cmd/api"}, "use a folder of the module"),
        ({**GO, "runtime_version": "22"}, "use a Go release"),
        ({**GO, "package_manager": "npm"}, "not a go package manager"),
    ],
)
def test_go_answers_are_validated(copie, answers: dict[str, Any], message: str) -> None:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code != 0 and message in str(result.exception)


def test_start_env_is_one_env_line_of_the_runtime_stage(copie) -> None:
    env = ["NODE_OPTIONS=--max-old-space-size=4096 --enable-source-maps", "API=http://a:1/x?y=1&z=#f", "E="]
    project = render(copie, {**NODE, "start_env": env})
    runtime = stages(project / "Dockerfile")[-1]
    lines = [c for c in runtime if c.cmd == "ENV" and c.value[0] == "NODE_OPTIONS"]
    tail = ["ENV", "COPY", "ENTRYPOINT", "EXPOSE", "USER", "CMD"]  # COPY, ENTRYPOINT: tini
    assert len(lines) == 1 and [c.cmd for c in runtime][-6:] == tail
    assert lines[0].original == (
        'ENV NODE_OPTIONS="--max-old-space-size=4096 --enable-source-maps" API="http://a:1/x?y=1&z=#f" E=""'
    )
    text = (project / "Dockerfile").read_text()
    assert text.count("NODE_OPTIONS") == 1  # the runtime stage only
    assert (
        "start_env:\n- NODE_OPTIONS=--max-old-space-size=4096 --enable-source-maps\n"
        in (project / ".copier-answers.yml").read_text()
    )


def test_without_start_env_there_is_no_env_line(copie) -> None:
    text = (render(copie, NODE) / "Dockerfile").read_text()
    assert "start script" not in text and "ENV NODE_ENV=production\n" in text


@pytest.mark.parametrize(
    ("start_env", "message"),
    [
        (["A=$HOME"], "is not NAME=value"),
        (['A="x'], "is not NAME=value"),
        (["A='x"], "is not NAME=value"),
        (["A=x\\"], "is not NAME=value"),
        (["A=`id`"], "is not NAME=value"),
        (["A=1\n"], "is not NAME=value"),
        (["A=1\nRUN id"], "is not NAME=value"),
        (["A=1\rB"], "is not NAME=value"),
        (["A=\u2028"], "is not NAME=value"),
        (["A=caf\u00e9"], "is not NAME=value"),
        (["1A=x"], "is not NAME=value"),
        (["A B=x"], "is not NAME=value"),
        (["A"], "is not NAME=value"),
        ([1], "is not NAME=value"),
        (["PORT=8080"], "set port instead"),
        ("A=1", "give a list"),
        ({"A": "1"}, "give a list"),
    ],
)
def test_start_env_is_validated(copie, start_env: Any, message: str) -> None:
    result = copie.copy(extra_answers={**NODE, "start_env": start_env})
    assert result.exit_code != 0 and message in str(result.exception)


@pytest.mark.parametrize(
    "writable_paths",
    [["../db.sqlite3"], ["/data/db"], ["a b"], ["db;id"], ["x/../../y"], ["$(id)"], [""], "db.sqlite3", [1]],
)
def test_writable_paths_are_validated(copie, writable_paths: Any) -> None:
    result = copie.copy(extra_answers={**PYTHON, "writable_paths": writable_paths})
    assert result.exit_code != 0
    assert "plain relative path" in str(result.exception) or "give a list" in str(result.exception)


def test_writable_paths_live_in_the_data_volume(copie) -> None:
    paths = ["db.sqlite3", "media/", "app/data/x.db"]
    project = render(copie, {**PYTHON, "writable_paths": paths})
    runtime = (project / "Dockerfile").read_text().split("AS runtime")[1]
    assert "ln -s /data/db.sqlite3 db.sqlite3" in runtime
    assert "if [ -d media ]; then cp -a media/. /data/media/ && rm -rf media; fi" in runtime
    assert (
        "mkdir -p /data/app/data app/data" in runtime and "ln -s /data/app/data/x.db app/data/x.db" in runtime
    )
    assert "chown -R 10001:10001 /data" in runtime and 'VOLUME ["/data"]' in runtime
    assert runtime.index("VOLUME") < runtime.index("USER 10001:10001")
    ignored = (project / ".dockerignore").read_text().splitlines()
    assert "db.sqlite3" in ignored and "app/data/x.db" in ignored and "media/" not in ignored
    # the default renders no volume
    assert "VOLUME" not in (render(copie, PYTHON) / "Dockerfile").read_text()


def test_a_next_server_owns_its_next_folder(copie) -> None:
    answers = {
        **NODE,
        "framework": "nextjs",
        "build_command": ["npm", "run", "build"],
        "build_output": [".next"],
        "start_command": ["node_modules/.bin/next", "start"],
    }
    runtime = (render(copie, answers) / "Dockerfile").read_text().split("AS runtime")[1]
    assert "COPY --from=build --chown=1000:1000 /app/.next ./.next" in runtime
    assert "COPY . ." in runtime and "COPY --chown=1000:1000 . ." not in runtime


def test_a_self_contained_build_output_is_all_the_runtime_gets(copie) -> None:
    answers = dict(next(a for n, a in CASES if n == "node-nuxt-self-contained"))
    text = (render(copie, answers) / "Dockerfile").read_text()
    runtime = text.split("AS runtime")[1]
    assert "AS prod-deps" not in text and "COPY --from=prod-deps" not in runtime and "COPY . ." not in runtime
    assert 'COPY --from=build ["/app/.output", "./.output"]' in runtime
    # without the answer, the same app gets its production dependencies and sources
    text = (render(copie, {**answers, "self_contained": False}) / "Dockerfile").read_text()
    assert "COPY --from=prod-deps /app/node_modules ./node_modules" in text


@pytest.mark.parametrize(
    ("name", "removed"),
    [
        (
            "node-next-server",
            "rm -rf node_modules/@next/swc-* node_modules/@img/sharp-*linuxmusl-* node_modules/@img/sharp-wasm32",
        ),
        (
            "node-next-server-pnpm-alpine",
            "rm -rf node_modules/@next/swc-* node_modules/@img/sharp-*linux-* node_modules/@img/sharp-wasm32 "
            "node_modules/.pnpm/@next+swc-* node_modules/.pnpm/@img+sharp-*linux-* node_modules/.pnpm/@img+sharp-wasm32",
        ),
    ],
)
def test_next_start_gets_no_compiler_and_one_libcs_sharp(copie, name: str, removed: str) -> None:
    answers = {"base": "slim", **next(a for n, a in CASES if n == name)}
    text = (render(copie, answers) / "Dockerfile").read_text()
    prod_deps = text.split("AS prod-deps")[1].split("FROM ")[0]
    assert removed in prod_deps
    standalone = (render(copie, {**answers, "next_standalone": True}) / "Dockerfile").read_text()
    assert "swc" not in standalone  # the standalone server is traced without it


def test_yarn_classic_installs_never_share_the_cache_at_once(copie) -> None:
    answers = {**NODE, "package_manager": "yarn", "dependency_files": PM_FILES["yarn"]}
    answers |= {"build_command": ["yarn", "run", "build"], "build_output": ["dist"]}
    text = (render(copie, answers) / "Dockerfile").read_text()
    assert text.count("--mount=type=cache,target=/usr/local/share/.cache/yarn,sharing=locked") == 2


def test_a_static_site_is_served_by_nginx_without_node(copie) -> None:
    project = render(copie, STATIC)
    text = (project / "Dockerfile").read_text()
    runtime = text.split("AS runtime")[1]
    assert "FROM nginxinc/nginx-unprivileged:" in text.split("AS runtime")[0].splitlines()[-1]
    assert "node_modules" not in runtime and "prod-deps" not in text
    assert 'COPY --from=build ["/app/dist", "/usr/share/nginx/html"]' in runtime
    assert "STOPSIGNAL SIGQUIT" in runtime and "USER 101:101" in runtime
    conf = (project / ".dockgen" / "nginx.conf").read_text()
    assert "listen 8080;" in conf and 'location = "/healthz"' in conf
    assert "try_files $uri $uri/ /index.html;" in conf  # single-page app fallback
    assert not (project / ".dockgen" / "healthcheck.go").exists()


def test_pre_rendered_sites_get_their_404_page_not_the_spa_fallback(copie) -> None:
    conf = (render(copie, {**STATIC, "framework": "astro"}) / ".dockgen" / "nginx.conf").read_text()
    assert "try_files $uri $uri.html $uri/ =404;" in conf and "error_page 404 /404.html;" in conf
    assert "try_files $uri $uri/ /index.html;" not in conf


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**STATIC, "build_command": []}, "a static site needs its build step"),
        ({**STATIC, "build_output": ["dist", "public"]}, "a static site serves one folder"),
    ],
)
def test_static_answers_are_validated(copie, answers: dict[str, Any], message: str) -> None:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code != 0 and message in str(result.exception)


def test_rust_builds_in_cache_mounts_and_runs_on_debian_slim(copie) -> None:
    project = render(copie, {**RUST, "native_deps": ["openssl-sys"]})
    text = (project / "Dockerfile").read_text()
    build, runtime = text.split("AS runtime")
    assert "cargo build --release --locked --bin api" in build and "cp target/release/api /out/" in build
    assert "--mount=type=cache,target=/app/target" in build and "libssl-dev" in build
    assert "FROM debian:trixie-slim" in build.splitlines()[-1] and "libssl3t64" in runtime
    assert "libssl-dev" not in runtime and "cargo" not in runtime
    assert (project / ".dockgen" / "healthcheck.rs").is_file()
    assert not (project / ".dockgen" / "healthcheck.go").exists()
    assert "target" in (project / ".dockerignore").read_text().splitlines()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**RUST, "base": "alpine"}, "use slim"),
        ({**RUST, "rust_bin": "a b"}, "use a binary name"),
        ({**RUST, "runtime_version": "stable"}, "use a Rust release"),
    ],
)
def test_rust_answers_are_validated(copie, answers: dict[str, Any], message: str) -> None:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code != 0 and message in str(result.exception)


def test_spring_boot_layers_are_copied_dependencies_first(copie) -> None:
    text = (render(copie, JAVA) / "Dockerfile").read_text()
    build, runtime = text.split("AS runtime")
    assert "./mvnw --batch-mode --no-transfer-progress dependency:go-offline" in build
    assert build.index("dependency:go-offline") < build.index("COPY . .") < build.index("-DskipTests package")
    assert "java -Djarmode=tools -jar /out/app.jar extract --layers --launcher" in build
    layers = [line.split()[2] for line in runtime.splitlines() if line.startswith("COPY --from=build")]
    assert layers == [
        f"/out/layers/{n}/"
        for n in ("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")
    ]
    assert "FROM eclipse-temurin:${JAVA_VERSION}-jdk-noble AS base" in build
    assert "eclipse-temurin:${JAVA_VERSION}-jre-noble AS runtime" in text and "MaxRAMPercentage=75" in runtime


def test_without_a_wrapper_the_builder_image_brings_the_build_tool(copie) -> None:
    text = (render(copie, {**JAVA, "dependency_files": ["pom.xml"]}) / "Dockerfile").read_text()
    assert "FROM maven:3-eclipse-temurin-${JAVA_VERSION}-noble AS base" in text and "./mvnw" not in text
    gradle = {**JAVA, "package_manager": "gradle", "dependency_files": ["build.gradle"]}
    assert (
        "FROM gradle:jdk${JAVA_VERSION}-noble AS base" in (render(copie, gradle) / "Dockerfile").read_text()
    )


def test_the_java_probe_is_compiled_in_the_build(copie) -> None:
    project = render(copie, JAVA)
    assert (project / ".dockgen" / "HealthCheck.java").is_file()
    assert "javac --release 11 -d /opt/healthcheck" in (project / "Dockerfile").read_text()


def test_a_pnpm_workspace_app_is_deployed_alone(copie) -> None:
    answers = dict(next(a for n, a in CASES if n == "node-pnpm-workspace-app"))
    text = (render(copie, answers) / "Dockerfile").read_text()
    assert 'pnpm install --frozen-lockfile --filter "{apps/api}..."' in text
    assert 'pnpm --filter "{apps/api}" deploy --prod /out' in text and "prod-deps" not in text
    assert "COPY --from=build /out ./" in text.split("AS runtime")[1]
    pnpm10 = (render(copie, {**answers, "package_manager_version": "10.4.0"}) / "Dockerfile").read_text()
    assert "deploy --prod --legacy /out" in pnpm10
    # pnpm deploy packs like npm pack, leaving out a .gitignore'd dist/: it is copied beside the app
    built = (render(copie, {**answers, "build_output": ["apps/api/dist"]}) / "Dockerfile").read_text()
    assert (
        "COPY --from=build /out ./\n# the build output, which `pnpm deploy` leaves out when .gitignore"
        in built
    )
    assert 'COPY --from=build ["/app/apps/api/dist", "./dist"]\n' in built


def test_a_uv_workspace_member_gets_the_packages_it_uses_in_the_venv(copie) -> None:
    text = (render(copie, UV_MEMBER) / "Dockerfile").read_text()
    build, runtime = text.split("AS runtime")
    # third-party dependencies before the source; the workspace packages, built, after it
    deps = build.index("uv sync --frozen --no-dev --project apps/api --no-install-workspace\n")
    source = build.index("COPY . .\n")
    assert (
        deps
        < source
        < build.index("uv sync --frozen --no-dev --project apps/api --no-install-project --no-editable")
    )
    assert 'COPY ["libs/core/pyproject.toml", "libs/core/"]' in build
    assert "COPY apps/api ./\n" in runtime and "COPY . ." not in runtime
    django = (render(copie, dict(CASES)["python-uv-workspace-django"]) / "Dockerfile").read_text()
    assert 'WORKDIR /app/apps/api\nRUN ["python", "manage.py", "collectstatic", "--noinput"]' in django
    assert "COPY --from=build /app/apps/api ./\n" in django
    # a root project renders as before
    root = (render(copie, {**UV_MEMBER, "app_path": ""}) / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev --no-install-project\n" in root and "--project" not in root


def test_an_npm_workspace_app_gets_its_production_tree_and_its_packages(copie) -> None:
    text = (render(copie, NPM_WORKSPACE) / "Dockerfile").read_text()
    build, runtime = text.split("AS runtime")
    assert "npm ci --omit=dev --workspace=apps/api \\" in build  # prod-deps: the app's part only
    assert "npm ci --workspace=apps/api --include-workspace-root\n" in build  # root devDependencies build
    assert 'RUN ["npm", "run", "build", "--workspace", "packages/lib", "--workspace", "apps/api"]' in build
    # a stage drops the build's node_modules (devDependencies) before the runtime copies the folders
    assert "FROM build AS app-files\nRUN rm -rf packages/lib/node_modules apps/api/node_modules\n" in build
    copies = [
        line for line in runtime.splitlines() if line.startswith(("COPY", "WORKDIR")) and "tini" not in line
    ]
    assert copies[-4:] == [
        "COPY --from=prod-deps /app ./",
        "COPY --from=app-files /app/packages/lib ./packages/lib",
        "COPY --from=app-files /app/apps/api ./apps/api",
        "WORKDIR /app/apps/api",
    ]
    unbuilt = (
        render(copie, {**NPM_WORKSPACE, "build_command": [], "build_output": []}) / "Dockerfile"
    ).read_text()
    assert (
        "AS build\n" not in unbuilt
        and "COPY packages/lib ./packages/lib\nCOPY apps/api ./apps/api\n" in unbuilt
    )


def test_a_yarn_workspace_app_focuses_on_the_app(copie) -> None:
    text = (render(copie, YARN_WORKSPACE) / "Dockerfile").read_text()
    prod = text.split("AS prod-deps")[1].split("AS build")[0]
    assert "WORKDIR /app/apps/api\n" in prod and "yarn workspaces focus --production \\" in prod
    assert 'RUN ["sh", "-c", "yarn workspace @m/lib run build && yarn workspace @m/api run build"]' in text
    classic = (
        render(copie, {**YARN_WORKSPACE, "package_manager_version": "1.22.22"}) / "Dockerfile"
    ).read_text()
    assert "yarn install --frozen-lockfile --production" in classic and "focus" not in classic


def test_a_yarn3_workspace_app_focuses_only_with_the_plugin(copie) -> None:
    """Yarn 2 and 3 have `workspaces focus` only through the workspace-tools plugin."""
    yarn3 = {**YARN_WORKSPACE, "package_manager_version": "3.8.7"}
    bare = (render(copie, yarn3) / "Dockerfile").read_text().split("AS prod-deps")[1].split("AS build")[0]
    assert "focus" not in bare and "WORKDIR /app/apps/api" not in bare
    assert (
        "find . -name package.json -exec sh -c 'npm pkg delete devDependencies --prefix \"${1%/package.json}\"'"
        " sh {} \\; \\\n && yarn install --no-immutable \\\n" in bare
    )
    plugin = ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs"
    files = [*yarn3["dependency_files"], ".yarnrc.yml", plugin]
    focused = (render(copie, {**yarn3, "dependency_files": files}) / "Dockerfile").read_text()
    assert "WORKDIR /app/apps/api\n" in focused and "yarn workspaces focus --production \\" in focused


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**NODE, "app_path": "../x"}, "use a folder of the workspace"),
        ({**NODE, "app_path": "apps/a b"}, "use a folder of the workspace"),
        ({**NODE, "package_manager": "bun", "app_path": "apps/api"}, "supported for npm, pnpm and Yarn"),
        ({**NPM_WORKSPACE, "workspace_packages": ["../x"]}, "../x is not a folder of another workspace"),
        ({**NPM_WORKSPACE, "workspace_packages": ["apps/api"]}, "apps/api is not a folder of another"),
        ({**NPM_WORKSPACE, "workspace_packages": "packages/lib"}, "give a list of folders"),
    ],
)
def test_app_path_is_validated(copie, answers: dict[str, Any], message: str) -> None:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code != 0 and message in str(result.exception)


def test_a_static_site_in_a_pnpm_workspace_serves_the_apps_output(copie) -> None:
    answers = {
        **STATIC,
        "package_manager": "pnpm",
        "package_manager_version": "9.15.0",
        "app_path": "apps/web",
        "dependency_files": [
            "package.json",
            "pnpm-lock.yaml",
            "pnpm-workspace.yaml",
            "apps/web/package.json",
        ],
        "build_command": ["pnpm", "--filter", "{apps/web}...", "run", "--if-present", "build"],
        "build_output": ["apps/web/dist"],
    }
    text = (render(copie, answers) / "Dockerfile").read_text()
    assert 'COPY --from=build ["/app/apps/web/dist", "/usr/share/nginx/html"]' in text
    assert "deploy" not in text and 'pnpm install --frozen-lockfile --filter "{apps/web}..."' in text


def test_an_alpine_dockerfile_that_needs_apk_renders_lint_clean(tmp_path: Path) -> None:
    """canvas on alpine needs `apk add`. No Alpine repository is reachable from our machines, so
    this shape is rendered and linted, never built (tests/README.md says so); it is not a
    docker-tier test that skips."""
    from conftest import copy_fixture
    from dockgen.cli import main

    project = copy_fixture("node-fastify-pnpm", tmp_path)
    argv = ["init", str(project), "-y", "--no-build", "--set", "native_deps=[canvas]", "--set", "base=alpine"]
    assert main(argv) == 0
    text = (project / "Dockerfile").read_text()
    assert "apk add --no-cache" in text and "cairo" in text
    assert hadolint_findings(project / "Dockerfile") == []


@pytest.mark.parametrize(
    ("version", "prod_install"),
    [
        ("4.9.2", "yarn workspaces focus --all --production \\"),
        # Yarn 2 and 3 have no `workspaces focus` without the workspace-tools plugin
        ("3.6.1", "npm pkg delete devDependencies \\\n && yarn install --no-immutable \\"),
        ("2.4.3", "npm pkg delete devDependencies \\\n && yarn install --no-immutable \\"),
    ],
)
def test_yarn_berry_production_install_by_release(copie, version: str, prod_install: str) -> None:
    answers = {
        **NODE,
        "package_manager": "yarn",
        "package_manager_version": version,
        "dependency_files": ["package.json", "yarn.lock", ".yarnrc.yml"],
    }
    text = (render(copie, answers) / "Dockerfile").read_text()
    prod = text.split("AS prod-deps")[1].split("AS runtime")[0]
    assert prod_install in prod
    assert "yarn install --immutable" not in prod  # the build stage's install is the locked one


@pytest.mark.parametrize(
    ("answers", "delete"),
    [
        (NPM_WORKSPACE, "npm pkg delete scripts.prepare \\"),
        (PNPM_WORKSPACE, "npm pkg delete scripts.prepare \\"),
        # Yarn 2+ installs in the app's folder: the root's package.json is named
        (YARN_WORKSPACE, "npm pkg delete --prefix /app scripts.prepare \\"),
    ],
    ids=["npm", "pnpm", "yarn"],
)
def test_a_workspace_roots_install_scripts_are_skipped_everywhere(copie, answers: dict, delete: str) -> None:
    text = (render(copie, {**answers, "skip_scripts": ["prepare"]}) / "Dockerfile").read_text()
    stages = text.split("\nFROM ")
    installs = [stage for stage in stages if " AS prod-deps" in stage or " AS build\n" in stage]
    assert installs and all(delete in stage for stage in installs), installs
    assert "run prepare" not in text  # the root's git hooks are not the app's: the build skips them
    if answers is PNPM_WORKSPACE:  # pnpm deploy runs the root's scripts again, after COPY . .
        deploy = next(stage for stage in stages if " deploy --prod" in stage).split("COPY . .")[1]
        assert delete + "\n && pnpm --filter" in deploy


@pytest.mark.parametrize(("package", "variable"), [("cypress", "CYPRESS_INSTALL_BINARY=0"),
                                                   ("electron", "ELECTRON_SKIP_BINARY_DOWNLOAD=1")])  # fmt: skip
def test_test_tools_do_not_download_their_binaries(copie, package: str, variable: str) -> None:
    """Cypress and Electron fetch binaries from their own hosts at install; no image runs them."""
    text = (render(copie, {**NODE, "native_deps": [package], "base": "alpine"}) / "Dockerfile").read_text()
    build_base = text.split("AS build-base")[1].split("\nFROM ")[0]
    assert f"ENV {variable}" in build_base
    assert "FROM build-base AS prod-deps" in text  # the install runs with it
