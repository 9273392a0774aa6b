"""Nx workspaces at the root (integrated repositories): which project, its build, output and entry."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, node
from dockgen.errors import AmbiguousProjectError, InputError

ROOT = {
    "name": "@acme/source",
    "private": True,
    "dependencies": {"express": "^4.21.0"},
    "devDependencies": {"nx": "23.2.1", "@nx/webpack": "23.2.1", "typescript": "5.8.3"},
}
WEBPACK_API = {
    "name": "api",
    "projectType": "application",
    "targets": {
        "build": {
            "executor": "@nx/webpack:webpack",
            "options": {
                "target": "node",
                "outputPath": "dist/apps/api",
                "main": "apps/api/src/main.ts",
            },
        },
        "serve": {"executor": "@nx/js:node", "options": {"buildTarget": "api:build"}},
    },
}
MAIN = "const port = process.env.PORT || 3333;\napp.get('/api/health', ok);\napp.listen(port);\n"
NX = {
    "package.json": ROOT,
    "package-lock.json": {"lockfileVersion": 3, "packages": {}},
    "nx.json": {"targetDefaults": {}},
    "apps/api/project.json": WEBPACK_API,
    "apps/api/src/main.ts": MAIN,
    "apps/api-e2e/project.json": {"name": "api-e2e", "projectType": "application", "targets": {}},
    "libs/util/project.json": {"name": "util", "projectType": "library"},
}


def plan(tree, files: dict[str, Any], **hints: Any) -> Detection:
    return node.plan(Project(tree(files)), hints)


def test_the_server_app_of_an_nx_workspace_is_built_with_nx(tree) -> None:
    detection = plan(tree, NX)
    assert detection["build_command"] == [
        "env", "NX_DAEMON=false", "NX_NO_CLOUD=true", "node_modules/.bin/nx", "run", "api:build",
    ]  # fmt: skip
    assert detection["build_output"] == ["dist/apps/api"]
    assert detection["start_command"] == ["node", "dist/apps/api/main.js"]
    assert detection["port"] == 3333 and detection["health_path"] == "/api/health"
    assert detection["framework"] == "express"
    assert detection["app_path"] == "apps/api" and detection["nx_project"] == "api"
    assert "workspace_packages" not in detection.answers  # one package.json: the root's install
    assert detection["dependency_files"] == ["package.json", "package-lock.json"]


def test_without_nx_json_project_files_mean_nothing(tree) -> None:
    files = {k: v for k, v in NX.items() if k != "nx.json"}
    files["package.json"] = {**ROOT, "scripts": {"start": "node server.js"}}
    detection = plan(tree, files)
    assert detection["start_command"] == ["node", "server.js"] and "nx_project" not in detection.answers


def test_several_server_apps_are_a_choice(tree) -> None:
    worker = {**WEBPACK_API, "name": "worker"}
    worker["targets"] = {"build": {"executor": "@nx/esbuild:esbuild", "options": {
        "outputPath": "dist/apps/worker", "main": "apps/worker/src/index.ts", "platform": "node",
    }}, "serve": {"executor": "@nx/js:node"}}  # fmt: skip
    files = {**NX, "apps/worker/project.json": worker, "apps/worker/src/index.ts": "listen(8080)"}
    with pytest.raises(AmbiguousProjectError, match=r"--path apps/api\|apps/worker") as caught:
        plan(tree, files)
    assert caught.value.answer == "app_path" and caught.value.choices == ("apps/api", "apps/worker")
    chosen = plan(tree, files, app_path="apps/worker")
    assert chosen["start_command"] == ["node", "dist/apps/worker/index.js"]  # esbuild names it after main
    assert chosen["nx_project"] == "worker"
    with pytest.raises(InputError, match=r"--path libs/util: not an app of the Nx workspace"):
        plan(tree, files, app_path="libs/util")


def test_inferred_webpack_build_reads_the_config(tree) -> None:
    """Nx 18+ infers the build target from webpack.config.js: the output and main come from there."""
    config = (
        "const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');\n"
        "const { join } = require('path');\n"
        "module.exports = {\n"
        "  output: { path: join(__dirname, '../../dist/apps/api') },\n"
        "  plugins: [new NxAppWebpackPlugin({ target: 'node', compiler: 'tsc', main: './src/main.ts' })],\n"
        "};\n"
    )
    files = {**NX, "apps/api/project.json": {"name": "api"}, "apps/api/webpack.config.js": config}
    detection = plan(tree, files)
    assert detection["build_output"] == ["dist/apps/api"]
    assert detection["start_command"] == ["node", "dist/apps/api/main.js"] and detection["port"] == 3333


def test_tsc_keeps_the_source_layout(tree) -> None:
    api = {"name": "api", "targets": {
        "build": {"executor": "@nx/js:tsc", "options": {"outputPath": "dist/apps/api", "main": "apps/api/src/main.ts"}},
        "serve": {"executor": "@nx/js:node"},
    }}  # fmt: skip
    assert plan(tree, {**NX, "apps/api/project.json": api})["start_command"] == [
        "node",
        "dist/apps/api/src/main.js",
    ]


def test_a_web_app_is_a_static_site_built_with_nx(tree) -> None:
    web = {"name": "web", "projectType": "application", "targets": {
        "build": {"executor": "@nx/vite:build", "options": {"outputPath": "dist/apps/web"}},
    }}  # fmt: skip
    files = {k: v for k, v in NX.items() if not k.startswith("apps/api/")}
    files |= {"apps/web/project.json": web, "package.json": {**ROOT, "scripts": {"start": "nx serve"}}}
    detection = plan(tree, files)
    assert detection["static_site"] is True and detection["nx_project"] == "web"
    assert detection["build_output"] == ["dist/apps/web"]
    assert detection["build_command"] is not None and detection["build_command"][-1] == "web:build"


@pytest.mark.parametrize(
    ("output_path", "served"),
    [
        ({"base": "dist/apps/shop", "browser": ""}, "dist/apps/shop"),
        ({"base": "dist/apps/shop"}, "dist/apps/shop/browser"),
        ("dist/apps/shop", "dist/apps/shop/browser"),  # the application builder's own subfolder
    ],
)
def test_angular_output_folders(tree, output_path: Any, served: str) -> None:
    shop = {"name": "shop", "projectType": "application", "targets": {
        "build": {"executor": "@nx/angular:application", "options": {"outputPath": output_path}},
    }}  # fmt: skip
    files = {k: v for k, v in NX.items() if not k.startswith("apps/api/")}
    files["apps/shop/project.json"] = shop
    assert plan(tree, files)["build_output"] == [served]


def test_a_project_run_by_commands_is_not_guessed(tree) -> None:
    """nx:run-commands runs anything: neither a server nor pages dockgen can name."""
    cart = {"name": "cart", "targets": {"build": {"executor": "nx:run-commands"}}}
    files = {**NX, "apps/cart/project.json": cart}
    assert plan(tree, files)["nx_project"] == "api"


def test_an_output_path_outside_the_repository_is_not_taken(tree) -> None:
    api = {**WEBPACK_API, "targets": {**WEBPACK_API["targets"]}}
    api["targets"]["build"] = {"executor": "@nx/webpack:webpack", "options": {"outputPath": "../../../etc"}}
    detection = plan(tree, {**NX, "apps/api/project.json": api})
    assert detection["build_output"] == ["dist/apps/api"]  # Nx's default for the project's folder


def test_nx_listens_on_host_when_the_code_reads_it(tree) -> None:
    main = "const host = process.env.HOST ?? 'localhost';\nconst port = process.env.PORT ? Number(process.env.PORT) : 3000;\n"
    detection = plan(tree, {**NX, "apps/api/src/main.ts": main})
    assert detection["start_env"] == ["HOST=0.0.0.0"] and detection["port"] == 3000


def test_a_package_based_nx_repository_is_a_workspace(tree) -> None:
    """npm workspaces with nx.json: each app has its package.json; the workspace code builds it."""
    files = {
        "package.json": {"name": "mono", "workspaces": ["apps/*"], "devDependencies": {"nx": "23.2.1"}},
        "package-lock.json": {"lockfileVersion": 3, "packages": {}},
        "nx.json": {},
        "apps/api/package.json": {
            "name": "api",
            "scripts": {"start": "node main.js"},
            "dependencies": {"express": "4"},
        },
        "apps/api/project.json": WEBPACK_API,
    }
    detection = plan(tree, files)
    assert "nx_project" not in detection.answers and detection["app_path"] == "apps/api"
    assert detection["start_command"] == ["node", "main.js"]


def test_workspace_manifests_are_copied_before_the_install(tree) -> None:
    """nx-examples: Yarn workspaces for the libraries' package.json, the apps built by Nx."""
    files = {
        **NX,
        "package.json": {**ROOT, "workspaces": ["libs/*"]},
        "libs/util/package.json": {"name": "@acme/util", "main": "index.js"},
    }
    detection = plan(tree, files)
    assert detection["nx_project"] == "api"
    assert detection["dependency_files"] == ["package.json", "package-lock.json", "libs/util/package.json"]
