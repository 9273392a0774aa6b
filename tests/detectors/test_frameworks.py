"""Server-rendering frameworks (issue 12, class 5): the build output and the server each writes."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, node


def pkg(deps: dict[str, str] | None = None, dev: dict[str, str] | None = None, **fields: Any) -> dict:
    return {"name": "app", "dependencies": deps or {}, "devDependencies": dev or {}, **fields}


def plan(tree, files: dict[str, Any]) -> Detection:
    return node.plan(Project(tree(files)))


SVELTE_NODE = (
    "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n"
)


@pytest.mark.parametrize(
    ("files", "framework", "output", "start", "port"),
    [
        (
            {
                "package.json": pkg(dev={"@sveltejs/kit": "2", "@sveltejs/adapter-node": "5", "vite": "7"}),
                "svelte.config.js": SVELTE_NODE,
            },
            "sveltekit",
            ("build",),
            ("node", "build/index.js"),
            3000,
        ),
        (
            {"package.json": pkg({"nuxt": "^3.8.0", "vue": "3"})},
            "nuxt",
            (".output",),
            ("node", ".output/server/index.mjs"),
            3000,
        ),
        (
            {"package.json": pkg({"@solidjs/start": "1", "vinxi": "0.5"})},
            "solidstart",
            (".output",),
            ("node", ".output/server/index.mjs"),
            3000,
        ),
        (
            {"package.json": pkg({"@react-router/serve": "7", "@react-router/node": "7"}, {"vite": "6"})},
            "react-router",
            ("build",),
            ("node_modules/.bin/react-router-serve", "./build/server/index.js"),
            3000,
        ),
        (
            {"package.json": pkg({"@remix-run/serve": "2", "@remix-run/node": "2"})},
            "remix",
            ("build", "public/build"),
            ("node_modules/.bin/remix-serve", "./build/index.js"),
            3000,
        ),
        (
            {"package.json": pkg({"astro": "5", "@astrojs/node": "9"})},
            "astro",
            ("dist",),
            ("node", "./dist/server/entry.mjs"),
            4321,
        ),
    ],
)
def test_each_framework_builds_and_starts_its_server(
    tree, files: dict[str, Any], framework: str, output: tuple[str, ...], start: tuple[str, ...], port: int
) -> None:
    detection = plan(tree, files)
    assert detection["framework"] == framework
    assert detection["build_output"] == list(output)
    assert detection["start_command"] == list(start)
    assert detection["port"] == port
    assert not detection.get("static_site")
    binary = {"sveltekit": "vite", "solidstart": "vinxi", "react-router": "react-router"}.get(
        framework, framework
    )
    assert detection["build_command"] == [f"node_modules/.bin/{binary}", "build"]  # no scripts.build


def test_nitro_output_is_self_contained(tree) -> None:
    detection = plan(tree, {"package.json": pkg({"nuxt": "3"}, scripts={"build": "nuxt build"})})
    assert detection["self_contained"] is True
    assert "traced" in detection.reasons["self_contained"]
    assert detection["build_command"] == ["npm", "run", "build"]


def test_nuxt_start_script_is_not_run_the_nitro_server_is(tree) -> None:
    detection = plan(tree, {"package.json": pkg({"nuxt": "latest"}, scripts={"start": "nuxt start"})})
    assert detection["start_command"] == ["node", ".output/server/index.mjs"]
    assert not any("nuxt" in w and "development tool" in w for w in detection.warnings)


def test_nuxt_2_is_not_a_nitro_app(tree) -> None:
    detection = plan(tree, {"package.json": pkg({"nuxt": "^2.15.8"}, scripts={"start": "nuxt start"})})
    assert detection["framework"] != "nuxt" and not detection.get("self_contained")


def test_astro_listens_on_all_interfaces(tree) -> None:
    detection = plan(tree, {"package.json": pkg({"astro": "5", "@astrojs/node": "9"})})
    assert detection["start_env"] == ["HOST=0.0.0.0"]
    assert "localhost" in detection.reasons["start_env"]


def test_a_start_script_that_runs_node_is_kept_with_its_variables(tree) -> None:
    files = {
        "package.json": pkg(
            {"@remix-run/serve": "2"},
            scripts={"start": "NODE_OPTIONS=--max-old-space-size=512 node server.js"},
        )
    }
    detection = plan(tree, files)
    assert detection["start_command"] == ["node", "server.js"]
    assert detection["start_env"] == ["NODE_OPTIONS=--max-old-space-size=512"]


def test_serve_binary_is_found_without_a_lockfile(tree) -> None:
    files = {
        "package.json": pkg(
            {"@react-router/serve": "7"}, scripts={"start": "react-router-serve ./build/server/index.js"}
        )
    }
    detection = plan(tree, files)
    assert detection["start_command"] == ["node_modules/.bin/react-router-serve", "./build/server/index.js"]
    assert "scripts.start" in detection.reasons["start_command"]


def test_sveltekit_out_option_moves_the_output(tree) -> None:
    config = "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter({ out: 'server' }) } };\n"
    files = {
        "package.json": pkg(dev={"@sveltejs/kit": "2", "@sveltejs/adapter-node": "5"}),
        "svelte.config.js": config,
    }
    detection = plan(tree, files)
    assert detection["build_output"] == ["server"] and detection["start_command"] == [
        "node",
        "server/index.js",
    ]


@pytest.mark.parametrize("adapter", ["@sveltejs/adapter-auto", "@sveltejs/adapter-vercel"])
def test_sveltekit_platform_adapter_says_what_to_change(tree, adapter: str) -> None:
    config = f"import adapter from '{adapter}';\n// import adapter from '@sveltejs/adapter-node';\nexport default {{}};\n"
    files = {"package.json": pkg(dev={"@sveltejs/kit": "2", adapter: "1"}), "svelte.config.js": config}
    detection = plan(tree, files)
    assert detection["framework"] == "sveltekit" and detection["start_command"] == ["node", "build/index.js"]
    [warning] = [w for w in detection.warnings if "adapter-node" in w]
    assert f"svelte.config.js uses {adapter}" in warning and "npm i -D @sveltejs/adapter-node" in warning


def test_astro_platform_adapter_says_what_to_change(tree) -> None:
    files = {"package.json": pkg({"astro": "5", "@astrojs/vercel": "8"})}
    detection = plan(tree, files)
    assert detection["framework"] == "astro"
    assert any(
        "@astrojs/vercel builds for its platform" in w and "astro add node" in w for w in detection.warnings
    )


def test_astro_middleware_mode_is_named(tree) -> None:
    config = "import node from '@astrojs/node';\nexport default { output: 'server', adapter: node({ mode: 'middleware' }) };\n"
    files = {"package.json": pkg({"astro": "5", "@astrojs/node": "9"}), "astro.config.mjs": config}
    assert any("middleware mode" in w for w in plan(tree, files).warnings)


def test_a_plain_express_app_is_not_a_table_framework(tree) -> None:
    detection = plan(tree, {"package.json": pkg({"express": "5"}, main="server.js"), "server.js": ""})
    assert detection["framework"] == "express" and "self_contained" not in detection.answers


@pytest.mark.parametrize(
    ("framework", "deps", "route_file", "path"),
    [
        (
            "sveltekit",
            {"@sveltejs/kit": "2", "@sveltejs/adapter-node": "5"},
            "src/routes/health/+server.js",
            "/health",
        ),
        (
            "sveltekit",
            {"@sveltejs/kit": "2", "@sveltejs/adapter-node": "5"},
            "src/routes/(app)/api/healthz/+server.ts",
            "/api/healthz",
        ),
        ("nuxt", {"nuxt": "3"}, "server/api/health.get.ts", "/api/health"),
        ("nuxt", {"nuxt": "3"}, "server/routes/healthz.ts", "/healthz"),
        ("astro", {"astro": "7", "@astrojs/node": "11"}, "src/pages/api/health.ts", "/api/health"),
        # Remix's flat routes: dots are slashes
        (
            "remix",
            {"@remix-run/serve": "2", "@remix-run/node": "2"},
            "app/routes/api.health.ts",
            "/api/health",
        ),
        ("astro", {"astro": "7", "@astrojs/node": "11"}, "src/pages/healthz/index.js", "/healthz"),
    ],
)
def test_health_route_from_route_files(tree, framework: str, deps: dict, route_file: str, path: str) -> None:
    files = {"package.json": pkg(deps), route_file: "export const GET = () => new Response('ok');\n"}
    detection = plan(tree, files)
    assert detection["framework"] == framework and detection["health_path"] == path
    assert route_file in detection.reasons["health_path"]


def test_pm2_start_runs_under_pm2_runtime(tree) -> None:
    files = {
        "package.json": pkg(
            {"pm2": "6", "express": "5"}, scripts={"start": "pm2 start ecosystem.config.js --env production"}
        ),
        "ecosystem.config.js": "module.exports = { apps: [{ script: 'server.js' }] };\n",
    }
    detection = plan(tree, files)
    assert detection["start_command"] == [
        "node_modules/.bin/pm2-runtime",
        "start",
        "ecosystem.config.js",
        "--env",
        "production",
    ]
    assert any("pm2-runtime" in w for w in detection.warnings)


def test_pm2_without_the_package_runs_the_file_with_node(tree) -> None:
    files = {
        "package.json": pkg({"express": "5"}, scripts={"start": "pm2 start server.js --no-daemon"}),
        "server.js": "",
    }
    detection = plan(tree, files)
    assert detection["start_command"] == ["node", "server.js"]
    assert any("pm2 is not in dependencies" in w for w in detection.warnings)


def test_react_router_routes_config_declares_the_health_route(tree) -> None:
    files = {
        "package.json": pkg({"@react-router/serve": "7", "react-router": "7"}),
        "app/routes.ts": "export default [index('routes/home.tsx'), route('healthz', 'routes/status.ts')];\n",
    }
    detection = plan(tree, files)
    assert detection["framework"] == "react-router" and detection["health_path"] == "/healthz"
    assert detection.reasons["health_path"] == "app/routes.ts declares /healthz"
