"""Static sites: front-ends built with Node.js and served by nginx, and what is not one."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, node

NGINX = ["nginx", "-g", "daemon off;"]


def pkg(deps: dict[str, str] | None = None, dev: dict[str, str] | None = None, **fields: Any) -> dict:
    return {
        "name": "site",
        "version": "1.0.0",
        "scripts": {"build": "x build"},
        "dependencies": deps or {},
        "devDependencies": dev or {},
        **fields,
    }


def plan(tree, files: dict[str, Any]) -> Detection:
    return node.plan(Project(tree(files)))


def static(detection: Detection) -> bool:
    return bool(detection.get("static_site"))


@pytest.mark.parametrize(
    ("files", "framework", "output"),
    [
        ({"package.json": pkg({"react": "19"}, {"vite": "7"})}, "vite", "dist"),
        (
            {
                "package.json": pkg({"vue": "3"}, {"vite": "7"}),
                "vite.config.ts": "export default { build: { outDir: 'web/public' } }",
            },
            "vite",
            "web/public",
        ),
        ({"package.json": pkg({"react-scripts": "5", "react": "18"})}, "create-react-app", "build"),
        ({"package.json": pkg({"@vue/cli-service": "5"})}, "vue-cli", "dist"),
        (
            {
                "package.json": pkg({"@vue/cli-service": "5"}),
                "vue.config.js": "module.exports = { outputDir: 'www' }",
            },
            "vue-cli",
            "www",
        ),
        ({"package.json": pkg({"astro": "5"})}, "astro", "dist"),
        ({"package.json": pkg({"gatsby": "5"})}, "gatsby", "public"),
        (
            {"package.json": pkg(dev={"@sveltejs/kit": "2", "@sveltejs/adapter-static": "3", "vite": "7"})},
            "sveltekit",
            "build",
        ),
        (
            {"package.json": pkg({"next": "15"}), "next.config.mjs": "export default { output: 'export' }"},
            "nextjs",
            "out",
        ),
    ],
)
def test_static_front_ends(tree, files: dict[str, Any], framework: str, output: str) -> None:
    detection = plan(tree, files)
    assert static(detection) and detection["framework"] == framework
    assert detection["build_output"] == [output]
    assert (
        detection["start_command"] == NGINX
        and detection["port"] == 8080
        and detection["health_path"] == "/healthz"
    )
    assert detection["build_command"] == ["npm", "run", "build"]


def test_angular_application_builder_writes_under_browser(tree) -> None:
    angular = {
        "projects": {
            "shop": {
                "architect": {
                    "build": {"builder": "@angular/build:application", "options": {"outputPath": "dist/shop"}}
                }
            }
        }
    }
    detection = plan(
        tree, {"package.json": pkg({"@angular/core": "19"}, {"@angular/cli": "19"}), "angular.json": angular}
    )
    assert static(detection) and detection["build_output"] == ["dist/shop/browser"]


def test_angular_with_server_rendering_is_not_static(tree) -> None:
    angular = {
        "projects": {
            "shop": {
                "architect": {
                    "build": {
                        "builder": "@angular/build:application",
                        "options": {
                            "outputPath": "dist/shop",
                            "server": "src/main.server.ts",
                            "ssr": {"entry": "server.ts"},
                        },
                    }
                }
            }
        }
    }
    detection = plan(
        tree, {"package.json": pkg({"@angular/core": "19", "express": "4"}), "angular.json": angular}
    )
    assert not static(detection)


@pytest.mark.parametrize(
    "files",
    [
        {"package.json": pkg({"express": "5", "react": "19"}, {"vite": "7"})},  # a server serves it
        {"package.json": pkg({"@remix-run/node": "2"}, {"vite": "6"})},  # server rendering on Vite
        {"package.json": pkg({"@react-router/serve": "7"}, {"vite": "6"})},
        {"package.json": pkg({"nuxt": "3"}, {"vite": "6"})},
        {"package.json": pkg({"astro": "5", "@astrojs/node": "9"})},  # Astro with a server adapter
        {"package.json": pkg({"astro": "5"}), "astro.config.mjs": "export default { output: 'server' }"},
        {"package.json": pkg(dev={"@sveltejs/kit": "2", "@sveltejs/adapter-node": "5"})},
        {"package.json": pkg({"next": "15"})},  # next start
        {"package.json": pkg({"fastify": "5"})},
    ],
)
def test_servers_are_not_static_sites(tree, files: dict[str, Any]) -> None:
    assert not static(plan(tree, files))


def test_no_build_script_builds_with_the_frameworks_cli(tree) -> None:
    detection = plan(tree, {"package.json": pkg({"react": "19"}, {"vite": "7"}, scripts={"dev": "vite"})})
    assert detection["build_command"] == ["node_modules/.bin/vite", "build"]


def test_an_out_dir_outside_the_project_falls_back_to_the_default(tree) -> None:
    files = {
        "package.json": pkg(dev={"vite": "7"}),
        "vite.config.js": "export default { build: { outDir: '../server/static' } }",
    }
    detection = plan(tree, files)
    assert detection["build_output"] == ["dist"]
    assert any("not a folder inside the project" in w for w in detection.warnings)


def test_native_build_tools_still_choose_the_build_base(tree) -> None:
    """sharp at build time (image optimisation) needs glibc in the build stage."""
    detection = plan(tree, {"package.json": pkg({"astro": "5", "sharp": "0.34"})})
    assert static(detection) and detection["base"] == "slim"


def test_angular_inlining_google_fonts_needs_their_host_at_build_time(tree) -> None:
    angular = {"projects": {"shop": {"architect": {"build": {"builder": "@angular/build:application"}}}}}
    files = {
        "package.json": pkg({"@angular/core": "19"}, {"@angular/cli": "19"}),
        "angular.json": angular,
        "src/index.html": '<link href="//fonts.googleapis.com/css?family=Inter" rel="stylesheet">',
    }
    warnings = plan(tree, files).warnings
    assert any(w.startswith("src/index.html links Google Fonts") for w in warnings), warnings
    files["src/index.html"] = "<title>shop</title>"
    assert not any("Google Fonts" in w for w in plan(tree, files).warnings)
