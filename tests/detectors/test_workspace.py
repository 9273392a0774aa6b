"""Node.js workspaces (monorepos): which app to build, and what an app of a workspace reads."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, node
from dockgen.errors import AmbiguousProjectError, InputError

ROOT = {"name": "mono", "private": True, "packageManager": "pnpm@9.15.0"}
API = {
    "name": "@m/api",
    "scripts": {"start": "node server.js"},
    "dependencies": {"express": "5", "@m/lib": "workspace:*"},
}
WORKER = {"name": "@m/worker", "scripts": {"start": "node worker.js"}}
LIB = {"name": "@m/lib", "main": "index.js"}
PNPM = {
    "package.json": ROOT,
    "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n  - '!apps/legacy'\n",
    "apps/api/package.json": API,
    "apps/api/server.js": "require('express')().listen(process.env.PORT || 4000); // '/health'\n",
    "packages/lib/package.json": LIB,
}


def plan(tree, files: dict[str, Any], **hints: Any) -> Detection:
    return node.plan(Project(tree(files)), hints)


def test_the_one_app_of_a_pnpm_workspace_is_chosen(tree) -> None:
    detection = plan(tree, PNPM)
    assert {"start_env": [], "app_path": "apps/api"}.items() <= detection.values().items()
    assert detection["start_command"] == ["node", "server.js"] and detection["port"] == 4000
    assert detection["framework"] == "express"
    assert detection["dependency_files"] == [
        "package.json",
        "pnpm-lock.yaml",
        "pnpm-workspace.yaml",
        "apps/api/package.json",
        "packages/lib/package.json",
    ]
    assert detection["build_command"] == ["pnpm", "--filter", "{apps/api}...", "run", "--if-present", "build"]


def test_several_apps_are_an_error_with_choices(tree) -> None:
    files = {**PNPM, "apps/worker/package.json": WORKER}
    with pytest.raises(AmbiguousProjectError, match=r"--path apps/api\|apps/worker") as caught:
        plan(tree, files)
    assert caught.value.answer == "app_path" and caught.value.choices == ("apps/api", "apps/worker")
    assert plan(tree, files, app_path="apps/worker")["start_command"] == ["node", "worker.js"]


def test_a_negated_pattern_leaves_a_folder_out(tree) -> None:
    files = {**PNPM, "apps/legacy/package.json": {**WORKER, "name": "@m/legacy"}}
    assert {"start_env": [], "app_path": "apps/api"}.items() <= plan(tree, files).values().items()


def test_a_path_outside_the_workspace_is_refused(tree) -> None:
    with pytest.raises(InputError, match="not a package of the workspace"):
        plan(tree, PNPM, app_path="apps/nope")


NPM = {
    "package.json": {"name": "mono", "workspaces": ["apps/*", "packages/*"]},
    "package-lock.json": {"lockfileVersion": 3, "packages": {}},
    "apps/api/package.json": {**API, "dependencies": {"express": "5", "@m/lib": "1.0.0"}},
    "apps/api/server.js": "require('express')().listen(process.env.PORT || 4000); // '/health'\n",
    "apps/worker/package.json": {**WORKER, "dependencies": {"@m/lib": "*"}},
    # lib uses core at run time and config only to build; core has a build script, lib too
    "packages/lib/package.json": {
        **LIB,
        "scripts": {"build": "tsc"},
        "dependencies": {"@m/core": "^1"},
        "devDependencies": {"@m/config": "*"},
    },
    "packages/core/package.json": {"name": "@m/core", "scripts": {"build": "tsc"}},
    "packages/config/package.json": {"name": "@m/config", "scripts": {"build": "node gen.js"}},
    "packages/unused/package.json": {"name": "@m/unused", "scripts": {"build": "tsc"}},
}


def test_one_app_of_an_npm_workspace(tree) -> None:
    with pytest.raises(
        AmbiguousProjectError, match="an npm workspace with apps apps/api, apps/worker and none at the root"
    ):
        plan(tree, NPM)
    detection = plan(tree, NPM, app_path="apps/api")
    # run time: the packages the app uses, and theirs; never devDependencies or unused packages
    assert {
        "start_env": [],
        "app_path": "apps/api",
        "workspace_packages": ["packages/core", "packages/lib"],
    }.items() <= detection.values().items()
    # the build: every build script the app's build links, dependencies first; the app has none
    assert detection["build_command"] == [
        "npm", "run", "build", "--workspace", "packages/core", "--workspace", "packages/config",
        "--workspace", "packages/lib",
    ]  # fmt: skip
    assert detection["dependency_files"][:2] == ["package.json", "package-lock.json"]
    assert "packages/unused/package.json" in detection["dependency_files"]  # npm ci checks the whole lock
    assert detection["start_command"] == ["node", "server.js"] and detection["port"] == 4000


def test_an_app_needing_a_build_without_a_build_script_is_an_error(tree) -> None:
    web = {"name": "@m/web", "dependencies": {"next": "15"}}
    with pytest.raises(InputError, match=r"apps/web/package\.json: apps/web needs a build step"):
        plan(tree, {**NPM, "apps/web/package.json": web}, app_path="apps/web")


def test_one_app_of_a_yarn_workspace(tree) -> None:
    files = {**NPM, "package.json": {**NPM["package.json"], "packageManager": "yarn@4.9.2"}, "yarn.lock": ""}
    del files["package-lock.json"]
    detection = plan(tree, files, app_path="apps/api")
    assert detection["package_manager"] == "yarn"
    assert detection["workspace_packages"] == ["packages/core", "packages/lib"]
    assert detection["build_command"] == [
        "sh", "-c",
        "yarn workspace @m/core run build && yarn workspace @m/config run build"
        " && yarn workspace @m/lib run build",
    ]  # fmt: skip
    assert not any("Yarn 1" in w for w in detection.warnings)
    classic = {**files, "package.json": {**NPM["package.json"], "packageManager": "yarn@1.22.22"}}
    classic["packages/lib/package.json"] = {**LIB, "scripts": {"build": "tsc"}}
    detection = plan(tree, classic, app_path="apps/api")
    assert detection["build_command"] == ["yarn", "workspace", "@m/lib", "run", "build"]
    assert any("Yarn 1 cannot install one workspace's dependencies" in w for w in detection.warnings)


def test_yarn3_without_the_workspace_tools_plugin_is_named(tree) -> None:
    files = {**NPM, "package.json": {**NPM["package.json"], "packageManager": "yarn@3.8.7"}, "yarn.lock": ""}
    del files["package-lock.json"]
    (warning,) = [w for w in plan(tree, files, app_path="apps/api").warnings if "workspace-tools" in w]
    assert warning.startswith(".yarnrc.yml: Yarn 3 installs one workspace's dependencies only with")
    plugin = ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs"
    files |= {".yarnrc.yml": f"plugins:\n  - path: {plugin}\n", plugin: "module.exports = {};\n"}
    detection = plan(tree, files, app_path="apps/api")
    assert plugin in detection["dependency_files"]
    assert not any("workspace-tools" in w for w in detection.warnings)


def test_a_workspace_name_unsafe_for_the_shell_is_refused(tree) -> None:
    files = {**NPM, "package.json": {**NPM["package.json"], "packageManager": "yarn@4.9.2"}, "yarn.lock": ""}
    files["packages/core/package.json"] = {"name": "@m/core;reboot", "scripts": {"build": "tsc"}}
    files["packages/lib/package.json"] = {
        **LIB,
        "dependencies": {"@m/core;reboot": "*"},
        "scripts": {"build": "x"},
    }
    with pytest.raises(InputError, match=r"packages/core/package.json: .*'@m/core;reboot'"):
        plan(tree, files, app_path="apps/api")


def test_a_dependency_cycle_between_workspace_packages_ends(tree) -> None:
    files = dict(NPM)
    files["packages/core/package.json"] = {"name": "@m/core", "dependencies": {"@m/lib": "*"}}
    detection = plan(tree, files, app_path="apps/api")
    assert detection["workspace_packages"] == ["packages/core", "packages/lib"]


def test_bun_workspaces_are_not_built_per_app_yet(tree) -> None:
    files = {**NPM, "bun.lock": "{}"}
    del files["package-lock.json"]
    with pytest.raises(InputError, match="bun workspace is not supported yet"):
        plan(tree, files, app_path="apps/api")


def test_a_root_that_is_an_app_is_built_with_a_hint(tree) -> None:
    files = {
        "package.json": {
            "name": "site",
            "workspaces": {"packages": ["apps/*"]},
            "scripts": {"start": "node index.js"},
        },
        "index.js": "",
        "apps/api/package.json": API,
    }
    detection = plan(tree, files)
    assert {"start_env": [], "skip_scripts": []}.items() <= detection.values().items()
    assert detection["start_command"] == ["node", "index.js"]
    assert any("pass --path (apps/api)" in w for w in detection.warnings)


def test_path_for_an_ecosystem_without_workspaces_is_an_error(tree) -> None:
    from dockgen.detectors import detect
    from dockgen.errors import NoProjectError

    root = tree({"pom.xml": "<project><artifactId>a</artifactId></project>"})
    with pytest.raises(NoProjectError, match="this is a Java app"):
        detect(Project(root), hints={"app_path": "apps/api"})


def test_path_in_a_go_module_names_a_folder_with_a_main_package(tree) -> None:
    from dockgen.detectors import detect
    from dockgen.errors import NoProjectError

    root = tree({"go.mod": "module m\ngo 1.24\n", "main.go": "package main\n\nfunc main() {}\n"})
    with pytest.raises(NoProjectError, match="--path apps/api: no main package in that folder"):
        detect(Project(root), hints={"app_path": "apps/api"})


def test_a_double_star_pattern_never_reaches_into_node_modules(tree) -> None:
    files = {
        **PNPM,
        "pnpm-workspace.yaml": "packages:\n  - '**'\n",
        "apps/api/node_modules/evil/package.json": {"name": "evil", "scripts": {"start": "x"}},
        "node_modules/.pnpm/y/package.json": {"name": "y", "scripts": {"start": "x"}},
    }
    project = Project(tree(files))
    assert project.folders_with("package.json", "**") == ["apps/api", "packages/lib"]
    assert project.folders_with("package.json", "apps/*") == ["apps/api"]
    assert {"start_env": [], "app_path": "apps/api"}.items() <= plan(tree, files).values().items()


def test_a_static_site_in_a_workspace_is_built_at_the_root(tree) -> None:
    web = {"name": "@m/web", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "7"}}
    files = {**PNPM, "apps/web/package.json": web, ".npmrc": "x\n"}
    detection = plan(tree, files, app_path="apps/web")
    assert {"static_site": True, "app_path": "apps/web"}.items() <= detection.values().items()
    assert detection["build_output"] == ["apps/web/dist"]
    assert any(".npmrc is left out" in w for w in detection.warnings)  # as for a root app


def test_next_standalone_in_a_workspace_falls_back_to_next_start(tree) -> None:
    web = {
        "name": "@m/web",
        "scripts": {"build": "next build", "start": "next start"},
        "dependencies": {"next": "15"},
    }
    files = {
        **NPM,
        "apps/web/package.json": web,
        "apps/web/next.config.js": "module.exports = { output: 'standalone' }",
    }
    detection = plan(tree, files, app_path="apps/web")
    assert detection["next_standalone"] is False and detection["framework"] == "nextjs"
    assert detection["start_command"][-1] != "server.js"
    assert any("standalone' inside a workspace is not used yet" in w for w in detection.warnings)


# ---- uv workspaces (Python) -------------------------------------------------------------------
UV_ROOT = '[project]\nname = "shop"\nversion = "0"\n\n[tool.uv.workspace]\nmembers = ["apps/*", "libs/*"]\n'
UV = {
    "pyproject.toml": UV_ROOT,
    "uv.lock": 'version = 1\n\n[[package]]\nname = "fastapi"\nversion = "0.115.0"\n',
    "apps/api/pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi", "uvicorn", "core"]\n',
    "apps/api/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "libs/core/pyproject.toml": '[project]\nname = "core"\n\n[build-system]\nrequires = ["hatchling"]\n',
    "libs/core/src/core/__init__.py": "",
}


def python_plan(tree, files: dict[str, Any], **hints: Any) -> Detection:
    from dockgen.detectors import python

    return python.plan(Project(tree(files)), hints)


def test_the_one_app_of_a_uv_workspace_is_chosen(tree) -> None:
    detection = python_plan(tree, UV)
    assert {"app_path": "apps/api"}.items() <= detection.values().items()
    assert detection["framework"] == "fastapi"
    assert detection["start_command"][:2] == ["uvicorn", "app.main:app"]  # relative to the member
    assert detection["dependency_files"] == [
        "pyproject.toml", "uv.lock", "apps/api/pyproject.toml", "libs/core/pyproject.toml",
    ]  # fmt: skip


def test_several_uv_apps_are_an_error_with_choices(tree) -> None:
    files = {**UV, "apps/worker/pyproject.toml": '[project]\nname = "worker"\n', "apps/worker/main.py": ""}
    with pytest.raises(
        AmbiguousProjectError, match=r"uv workspace with apps .* --path apps/api\|apps/worker"
    ) as caught:
        python_plan(tree, files)
    assert caught.value.answer == "app_path" and caught.value.choices == ("apps/api", "apps/worker")
    assert python_plan(tree, files, app_path="apps/worker")["start_command"] == ["python", "main.py"]


def test_uv_members_honour_exclude_and_a_root_app_wins_with_a_hint(tree) -> None:
    excluded = {**UV, "pyproject.toml": UV_ROOT + 'exclude = ["apps/api"]\n'}
    detection = python_plan(tree, excluded)
    assert "app_path" not in detection.answers
    with pytest.raises(InputError, match="not a member of the uv workspace"):
        python_plan(tree, excluded, app_path="apps/api")
    rooted = {**UV, "main.py": "print('root')\n"}
    detection = python_plan(tree, rooted)
    assert "app_path" not in detection.answers and detection["start_command"] == ["python", "main.py"]
    assert any("to build a member instead, pass --path (apps/api)" in w for w in detection.warnings)


def test_path_for_a_python_project_without_a_uv_workspace_is_an_error(tree) -> None:
    poetry = {"pyproject.toml": '[tool.poetry]\nname = "x"\n', "poetry.lock": "", "main.py": ""}
    with pytest.raises(InputError, match="Poetry has no workspaces"):
        python_plan(tree, poetry, app_path="apps/api")
    with pytest.raises(InputError, match="declares no uv workspace"):
        python_plan(tree, {"requirements.txt": "flask\n", "app.py": ""}, app_path="apps/api")


def test_a_yarn_workspace_package_without_a_name_is_refused(tree) -> None:
    files = {**NPM, "package.json": {**NPM["package.json"], "packageManager": "yarn@4.9.2"}, "yarn.lock": ""}
    # the app itself has a build script and no name: the workspace lists it by its folder
    files["apps/api/package.json"] = {k: v for k, v in NPM["apps/api/package.json"].items() if k != "name"}
    files["apps/api/package.json"]["scripts"] = {"start": "node server.js", "build": "tsc"}
    with pytest.raises(InputError, match=r'apps/api/package\.json: .*give the package a "name"'):
        plan(tree, files, app_path="apps/api")


def test_a_workspace_package_name_with_a_trailing_line_break_is_refused(tree) -> None:
    """Issue 18, class 11: `$` accepted "shared\\n" as a safe name; the yarn build command then held it."""
    from dockgen._project import Project
    from dockgen.detectors import detect
    from dockgen.errors import InputError

    root = tree(
        {
            "package.json": {"private": True, "workspaces": ["apps/*", "packages/*"]},
            "yarn.lock": "__metadata:\n  version: 8\n",
            ".yarnrc.yml": "nodeLinker: node-modules\n",
            "apps/api/package.json": {
                "name": "api",
                "dependencies": {"express": "^4", "shared\n": "workspace:*"},
                "scripts": {"start": "node server.js"},
            },
            "apps/api/server.js": "require('express')().listen(3000)\n",
            "packages/shared/package.json": {"name": "shared\n", "scripts": {"build": "tsc"}},
        }
    )
    with pytest.raises(InputError, match="not a valid package name"):
        detect(Project(root), hints={"app_path": "apps/api"})


def test_a_pnpm_workspace_needs_no_root_package_json(tree) -> None:
    """pnpm-workspace.yaml alone makes a workspace (react-router-templates has no root package.json)."""
    files = {k: v for k, v in PNPM.items() if k != "package.json"}
    detection = plan(tree, files)
    assert detection["app_path"] == "apps/api" and detection["package_manager"] == "pnpm"
    assert "package.json" not in detection["dependency_files"]  # nothing to copy that is not there
    assert detection["dependency_files"][:2] == ["pnpm-lock.yaml", "pnpm-workspace.yaml"]
    assert detection.reasons["kind"].startswith("apps/api/package.json, an app of the workspace")


def test_path_picks_the_ecosystem_of_its_folder(tree) -> None:
    """A bun workspace (the frontend) beside a uv workspace (the backend): --path backend is Python."""
    from dockgen.detectors import detect

    root = tree({
        "package.json": {"name": "mono", "workspaces": ["frontend"]},
        "frontend/package.json": {"name": "frontend", "scripts": {"start": "vite"}},
        "pyproject.toml": '[project]\nname = "mono"\nversion = "0"\n[tool.uv.workspace]\nmembers = ["backend"]\n',
        "backend/pyproject.toml": '[project]\nname = "app"\nversion = "0"\ndependencies = ["fastapi"]\n',
        "backend/app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    })  # fmt: skip
    with pytest.raises(AmbiguousProjectError, match=r"found both a Node\.js and Python app"):
        detect(Project(root))
    assert detect(Project(root), hints={"app_path": "backend"}).kind == "python"


@pytest.mark.parametrize("manager", ["pnpm@9.15.0", "npm@10.9.2", "yarn@4.9.2"])
def test_the_roots_install_scripts_are_skipped_for_a_workspace_app(tree, manager: str) -> None:
    """Husky at the root of a monorepo: every workspace install runs the root's prepare."""
    root = {
        **ROOT,
        "packageManager": manager,
        "scripts": {"prepare": "husky"},
        "devDependencies": {"husky": "9"},
    }
    detection = plan(tree, {**PNPM, "package.json": root})
    assert detection["skip_scripts"] == ["prepare"]
    assert "the build skips them too" in detection.reasons["skip_scripts"]


def test_the_roots_patch_package_is_named_for_a_workspace_app(tree) -> None:
    root = {
        **ROOT,
        "packageManager": "pnpm@9.15.0",
        "scripts": {"postinstall": "patch-package"},
        "devDependencies": {"patch-package": "8"},
    }
    detection = plan(tree, {**PNPM, "package.json": root})
    assert detection["skip_scripts"] == ["postinstall"]
    assert any(w.startswith("package.json: postinstall runs patch-package") for w in detection.warnings)
