"""Install scripts the production install skips (issue 12, class 2): only those that call a tool
production dependencies do not provide."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, node


def plan(tree, files: dict[str, Any]) -> Detection:
    return node.plan(Project(tree(files)))


def app(
    scripts: dict[str, str], deps: dict[str, str] | None = None, dev: dict[str, str] | None = None
) -> dict:
    return {
        "package.json": {
            "name": "app",
            "version": "1.0.0",
            "main": "server.js",
            "scripts": {"start": "node server.js", **scripts},
            "dependencies": {"express": "^5.0.0", **(deps or {})},
            "devDependencies": dev or {},
        },
        "server.js": "require('express')().listen(process.env.PORT || 3000)\n",
    }


@pytest.mark.parametrize(
    ("scripts", "dev", "skipped"),
    [
        ({"prepare": "husky"}, {"husky": "^9"}, ["prepare"]),
        ({"prepare": "husky install"}, {"husky": "^8"}, ["prepare"]),
        ({"postinstall": "patch-package"}, {"patch-package": "^8"}, ["postinstall"]),
        ({"prepare": "lefthook install || echo ''"}, {"lefthook": "^1"}, ["prepare"]),
        # through another script, a runner, cross-env
        ({"postinstall": "npm run build", "build": "tsc -p ."}, {"typescript": "^5"}, ["postinstall"]),
        ({"postinstall": "yarn gen", "gen": "graphql-codegen"}, {}, ["postinstall"]),
        ({"prepare": "npx husky"}, {"husky": "^9"}, ["prepare"]),
        ({"prepare": "cross-env CI=1 node x.js"}, {"cross-env": "^7"}, ["prepare"]),
        # the project's own files: not copied yet where the installs run
        ({"postinstall": "node scripts/setup.js"}, {}, ["postinstall"]),
        ({"postinstall": "./scripts/fetch.sh"}, {}, ["postinstall"]),
        # a tool that is nowhere: not found in production either
        ({"preinstall": "only-allow pnpm", "prepare": "husky"}, {"husky": "^9"}, ["preinstall", "prepare"]),
    ],
)
def test_install_scripts_that_call_development_tools_are_skipped(
    tree, scripts: dict[str, str], dev: dict[str, str], skipped: list[str]
) -> None:
    detection = plan(tree, app(scripts, dev=dev))
    assert detection["skip_scripts"] == skipped
    assert "they skip these scripts" in detection.reasons["skip_scripts"]
    assert all(name in detection.reasons["skip_scripts"] for name in skipped)


@pytest.mark.parametrize(
    ("scripts", "deps"),
    [
        ({"postinstall": "prisma generate"}, {"prisma": "^6"}),  # a production dependency: kept
        ({"postinstall": "npm rebuild sharp"}, {}),  # the package manager is in the image
        ({"postinstall": 'node -e "console.log(1)"'}, {}),
        ({"test": "jest", "build": "tsc"}, {}),  # not install scripts
        ({}, {}),
    ],
)
def test_install_scripts_that_production_can_run_are_kept(
    tree, scripts: dict[str, str], deps: dict[str, str]
) -> None:
    detection = plan(tree, app(scripts, deps=deps, dev={"jest": "^29", "typescript": "^5"}))
    assert detection["skip_scripts"] == []


def test_a_script_that_only_a_shell_runs_is_judged_by_its_first_word(tree) -> None:
    detection = plan(tree, app({"prepare": "husky $(echo install)"}, dev={"husky": "^9"}))
    assert detection["skip_scripts"] == ["prepare"]


def test_a_script_loop_ends(tree) -> None:
    detection = plan(tree, app({"postinstall": "npm run a", "a": "npm run b", "b": "npm run a"}))
    assert detection["skip_scripts"] == []


def test_static_sites_and_workspace_apps_have_no_answer(tree) -> None:
    files = app({"prepare": "husky"}, dev={"husky": "^9", "vite": "^6"})
    files["package.json"]["dependencies"] = {}
    files["package.json"]["scripts"] = {"build": "vite build", "prepare": "husky"}
    files["index.html"] = "<html></html>"
    assert "skip_scripts" not in plan(tree, files).answers


def test_patch_package_as_a_devdependency_is_named_in_a_warning(tree) -> None:
    """Its patches never reach the production dependencies: say so, and how to change that."""
    detection = plan(tree, app({"postinstall": "patch-package"}, dev={"patch-package": "^8"}))
    (warning,) = [w for w in detection.warnings if "patch-package" in w]
    assert warning.startswith("package.json: postinstall runs patch-package")
    assert "unpatched" in warning and "make patch-package a dependency" in warning
    kept = plan(tree, app({"postinstall": "patch-package"}, deps={"patch-package": "^8"}))
    assert kept["skip_scripts"] == [] and not any("patch-package" in w for w in kept.warnings)
