"""Node.js detector: one behaviour per test, on small inline repositories."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, node
from dockgen.detectors._base import CHOICES, NativeDep
from dockgen.detectors.node._native import distroless_fits
from dockgen.errors import AmbiguousProjectError, InputError

LTS = "26"  # pinned, not read from versions.yml: a wrong table must fail here


def plan(tree, files: dict[str, Any]) -> Detection:
    return node.plan(Project(tree(files)))


def pkg(**fields: Any) -> dict[str, Any]:
    return {"name": "app", "version": "1.0.0", **fields}


def npm_lock(packages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"name": "app", "lockfileVersion": 3, "packages": {"": {"name": "app"}, **packages}}


# ---- markers ------------------------------------------------------------------------------------
def test_detect_needs_package_json(tree) -> None:
    assert node.detect(Project(tree({"package.json": pkg()})))
    assert not node.detect(Project(tree({"index.js": ""})))


def test_invalid_package_json_names_the_file(tree) -> None:
    with pytest.raises(InputError, match=r"package\.json: invalid JSON"):
        plan(tree, {"package.json": "{nope"})


def test_package_json_must_be_an_object(tree) -> None:
    with pytest.raises(InputError, match=r"package\.json: expected a JSON object"):
        plan(tree, {"package.json": "[]"})


# ---- package manager ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lockfile", "content", "manager"),
    [
        ("package-lock.json", npm_lock({}), "npm"),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n", "pnpm"),
        ("yarn.lock", "# yarn lockfile v1\n", "yarn"),
        ("bun.lock", "{}", "bun"),
    ],
)
def test_manager_from_lockfile(tree, lockfile: str, content: Any, manager: str) -> None:
    result = plan(tree, {"package.json": pkg(), lockfile: content})
    assert result["package_manager"] == manager
    assert lockfile in result["dependency_files"]
    assert result.reasons["package_manager"] == f"{lockfile} found"


def test_package_manager_pin_wins_and_is_kept_exactly(tree) -> None:
    result = plan(
        tree,
        {"package.json": pkg(packageManager="pnpm@9.15.0"), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n"},
    )
    assert (result["package_manager"], result["package_manager_version"]) == ("pnpm", "9.15.0")
    assert "packageManager" in result.reasons["package_manager_version"]


def test_package_manager_pin_with_hash(tree) -> None:
    pin = "yarn@4.5.1+sha512.abcdef0123"
    result = plan(tree, {"package.json": pkg(packageManager=pin), "yarn.lock": "__metadata:\n  version: 8\n"})
    assert result["package_manager_version"] == "4.5.1+sha512.abcdef0123"


def test_pin_conflicting_with_another_lockfile_warns(tree) -> None:
    result = plan(
        tree, {"package.json": pkg(packageManager="pnpm@9.15.0"), "pnpm-lock.yaml": "", "yarn.lock": ""}
    )
    assert result["package_manager"] == "pnpm"
    assert any("yarn.lock" in w for w in result.warnings)


def test_conflicting_lockfiles_are_an_error_with_choices(tree) -> None:
    files = {"package.json": pkg(), "package-lock.json": npm_lock({}), "yarn.lock": "# yarn lockfile v1\n"}
    with pytest.raises(
        AmbiguousProjectError, match=r"conflicting lockfiles .*--set package_manager=yarn\|npm"
    ):
        plan(tree, files)
    result = node.plan(Project(tree(files)), {"package_manager": "npm"})
    assert result["package_manager"] == "npm" and "chosen" in result.reasons["package_manager"]


def test_no_lockfile_warns_and_uses_npm_install(tree) -> None:
    result = plan(tree, {"package.json": pkg()})
    assert result["package_manager"] == "npm"
    assert result["dependency_files"] == ["package.json"]
    assert any("no lockfile" in w for w in result.warnings)


def test_malformed_package_manager_field_is_ignored_with_a_warning(tree) -> None:
    result = plan(
        tree, {"package.json": pkg(packageManager="pnpm@latest"), "package-lock.json": npm_lock({})}
    )
    assert result["package_manager"] == "npm"
    assert any("packageManager" in w for w in result.warnings)


@pytest.mark.parametrize(("lock_version", "pnpm"), [("9.0", "9.15.9"), ("6.0", "8.15.9"), ("5.4", "7.33.7")])
def test_pnpm_version_follows_the_lockfile_format(tree, lock_version: str, pnpm: str) -> None:
    result = plan(tree, {"package.json": pkg(), "pnpm-lock.yaml": f"lockfileVersion: '{lock_version}'\n"})
    assert result["package_manager_version"] == pnpm


def test_yarn_classic_default_version(tree) -> None:
    result = plan(tree, {"package.json": pkg(), "yarn.lock": "# yarn lockfile v1\n"})
    assert result["package_manager_version"] == "1.22.22"


def test_yarn_berry_release_from_yarnrc(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(),
            "yarn.lock": "__metadata:\n  version: 8\n",
            ".yarnrc.yml": "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.1.cjs\n",
            ".yarn/releases/yarn-4.5.1.cjs": "// yarn",
        },
    )
    assert result["package_manager_version"] == "4.5.1"
    assert result["dependency_files"] == [
        "package.json",
        "yarn.lock",
        ".yarnrc.yml",
        ".yarn/releases/yarn-4.5.1.cjs",
    ]


def test_yarn_berry_without_release_uses_default_berry(tree) -> None:
    result = plan(tree, {"package.json": pkg(), "yarn.lock": "__metadata:\n  version: 8\n"})
    assert result["package_manager_version"] == "4.18.1"


def test_pnpm_workspace_file_is_a_dependency_file(tree) -> None:
    result = plan(
        tree, {"package.json": pkg(), "pnpm-lock.yaml": "", "pnpm-workspace.yaml": "packages: []\n"}
    )
    assert "pnpm-workspace.yaml" in result["dependency_files"]


def test_patch_package_patches_are_dependency_files(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(dependencies={"patch-package": "8"}),
            "package-lock.json": npm_lock({}),
            "patches/left-pad+1.0.0.patch": "diff",
        },
    )
    assert "patches/left-pad+1.0.0.patch" in result["dependency_files"]


def test_prisma_schema_is_a_dependency_file(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(dependencies={"@prisma/client": "6"}),
            "package-lock.json": npm_lock({}),
            "prisma/schema.prisma": "",
        },
    )
    assert result["dependency_files"] == ["package.json", "package-lock.json", "prisma/schema.prisma"]


def test_a_root_app_with_workspace_apps_warns(tree) -> None:
    files = {
        "package.json": pkg(workspaces=["apps/*"], scripts={"start": "node index.js"}),
        "index.js": "",
        "apps/api/package.json": {"name": "api", "scripts": {"start": "node a.js"}},
    }
    result = plan(tree, files)
    assert any("declares a workspace" in w and "--path" in w for w in result.warnings)


def test_env_file_flag_warns(tree) -> None:
    result = plan(tree, {"package.json": pkg(scripts={"start": "node --env-file=.env server.js"})})
    assert result["start_command"] == ["node", "--env-file=.env", "server.js"]
    assert any("--env-file" in w for w in result.warnings)


def test_npmrc_is_excluded_with_a_warning(tree) -> None:
    result = plan(tree, {"package.json": pkg(), ".npmrc": "//registry.example/:_authToken=x\n"})
    assert any(".npmrc" in w for w in result.warnings)


# ---- Node.js version ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("files", "major"),
    [
        ({".nvmrc": "22\n"}, "22"),
        ({".nvmrc": "v20.11.1"}, "20"),
        ({".nvmrc": "lts/iron"}, "20"),
        ({".nvmrc": "# pinned\nlts/jod\n"}, "22"),
        ({".node-version": "24.1.0"}, "24"),
    ],
)
def test_version_files(tree, files: dict[str, str], major: str) -> None:
    assert plan(tree, {"package.json": pkg(), **files})["runtime_version"] == major


def test_lts_star_is_the_newest_lts(tree) -> None:
    assert plan(tree, {"package.json": pkg(), ".nvmrc": "lts/*"})["runtime_version"] == "26"


@pytest.mark.parametrize(
    ("engines", "major"),
    [(">=20", LTS), ("^22.11.0", "22"), ("20 || 22", "22"), (">=18 <25", "24"), ("18.x", "18")],
)
def test_engines_range_resolves_to_highest_supported_major(tree, engines: str, major: str) -> None:
    result = plan(tree, {"package.json": pkg(engines={"node": engines})})
    assert result["runtime_version"] == major
    assert "engines.node" in result.reasons["runtime_version"]


def test_unmaintained_major_warns(tree) -> None:
    result = plan(tree, {"package.json": pkg(engines={"node": "18.x"})})
    assert any("no longer maintained" in w for w in result.warnings)


def test_volta_pin(tree) -> None:
    assert plan(tree, {"package.json": pkg(volta={"node": "22.12.0"})})["runtime_version"] == "22"


def test_nvmrc_wins_over_engines_and_disagreement_warns(tree) -> None:
    result = plan(tree, {"package.json": pkg(engines={"node": "^20"}), ".nvmrc": "22"})
    assert result["runtime_version"] == "22"
    assert any("engines.node" in w for w in result.warnings)


def test_no_version_pin_means_current_lts(tree) -> None:
    result = plan(tree, {"package.json": pkg()})
    assert result["runtime_version"] == LTS
    assert "current LTS" in result.reasons["runtime_version"]


def test_unreadable_version_file_warns(tree) -> None:
    result = plan(tree, {"package.json": pkg(), ".nvmrc": "system"})
    assert result["runtime_version"] == LTS
    assert any(".nvmrc" in w for w in result.warnings)


# ---- framework and commands --------------------------------------------------------------------
def test_plain_node_start_script_is_exec_form(tree) -> None:
    result = plan(
        tree, {"package.json": pkg(scripts={"start": "node server.js"}, dependencies={"express": "5"})}
    )
    assert result["framework"] == "express"
    assert result["start_command"] == ["node", "server.js"]


def test_start_script_running_a_dev_dependency_is_resolved_to_the_entry_point(tree) -> None:
    """The leading generator's image exits 127 here (nodemon is not installed in production)."""
    result = plan(
        tree,
        {
            "package.json": pkg(scripts={"start": "nodemon src/app.js"}, devDependencies={"nodemon": "3"}),
            "src/app.js": "",
        },
    )
    assert result["start_command"] == ["node", "src/app.js"]
    assert any("nodemon" in w and "127" in w for w in result.warnings)


def test_ts_node_start_uses_compiled_output(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"build": "tsc", "start": "ts-node src/index.ts"},
                devDependencies={"typescript": "5", "ts-node": "10"},
            ),
            "tsconfig.json": '{\n  // comment\n  "compilerOptions": {"outDir": "./build", "rootDir": "./src",},\n}',
            "src/index.ts": "",
        },
    )
    assert result["build_command"] == ["npm", "run", "build"]
    assert result["build_output"] == ["build"]
    assert result["start_command"] == ["node", "build/index.js"]
    assert any("ts-node" in w for w in result.warnings)


def test_tsx_watch_is_a_dev_command_even_when_tsx_is_a_dependency(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                main="dist/index.js", scripts={"start": "tsx watch src/index.ts"}, dependencies={"tsx": "4"}
            ),
        },
    )
    assert result["start_command"] == ["node", "dist/index.js"]


def test_tsx_in_dependencies_runs_through_node_modules_bin(tree) -> None:
    result = plan(
        tree, {"package.json": pkg(scripts={"start": "tsx src/index.ts"}, dependencies={"tsx": "4"})}
    )
    assert result["start_command"] == ["node_modules/.bin/tsx", "src/index.ts"]


def test_production_script_is_preferred_over_a_dev_start(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"start": "nest start", "start:prod": "node dist/main"},
                dependencies={"@nestjs/core": "11"},
            )
        },
    )
    assert result["framework"] == "nestjs"
    assert result["start_command"] == ["node", "dist/main"]


def test_nest_start_without_production_script_runs_dist_main(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"build": "nest build", "start": "nest start"}, dependencies={"@nestjs/core": "11"}
            ),
            "tsconfig.json": '{"compilerOptions": {"outDir": "./dist"}}',
        },
    )
    assert result["start_command"] == ["node", "dist/main.js"]


def test_npm_run_chains_are_followed(tree) -> None:
    result = plan(tree, {"package.json": pkg(scripts={"start": "npm run serve", "serve": "node app.js"})})
    assert result["start_command"] == ["node", "app.js"]


def test_env_assignments_are_stripped(tree) -> None:
    result = plan(
        tree, {"package.json": pkg(scripts={"start": "cross-env NODE_ENV=production node index.js"})}
    )
    assert result["start_command"] == ["node", "index.js"]


def test_commands_before_the_app_are_dropped_with_a_warning(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"start": "prisma migrate deploy && node server.js"}, dependencies={"prisma": "6"}
            )
        },
    )
    assert result["start_command"] == ["node", "server.js"]
    assert any("prisma migrate deploy" in w for w in result.warnings)


def test_binary_of_a_production_dependency_found_through_the_lockfile(tree) -> None:
    lock = npm_lock({"node_modules/fastify-cli": {"version": "7.0.0", "bin": {"fastify": "cli.js"}}})
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"start": "fastify start -l info app.js"}, dependencies={"fastify-cli": "7"}
            ),
            "package-lock.json": lock,
        },
    )
    assert result["start_command"] == ["node_modules/.bin/fastify", "start", "-l", "info", "app.js"]


def test_main_field_when_there_is_no_start_script(tree) -> None:
    assert plan(tree, {"package.json": pkg(main="lib/server")})["start_command"] == ["node", "lib/server"]


def test_entry_file_when_there_is_no_script_or_main(tree) -> None:
    result = plan(tree, {"package.json": pkg(), "server.js": ""})
    assert result["start_command"] == ["node", "server.js"]


def test_no_entry_point_warns(tree) -> None:
    result = plan(tree, {"package.json": pkg()})
    assert result["start_command"] == ["node", "index.js"]
    assert any("start_command" in w for w in result.warnings)


def test_next_standalone(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"build": "next build", "start": "next start"}, dependencies={"next": "16"}
            ),
            "next.config.mjs": "export default { output: 'standalone' };\n",
            "public/robots.txt": "",
        },
    )
    assert (result["framework"], result["next_standalone"]) == ("nextjs", True)
    assert result["start_command"] == ["node", "server.js"]
    assert result["build_output"] == ["public"]
    assert result["port"] == 3000


def test_next_without_standalone_uses_next_start_and_says_how_to_enable_it(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"build": "next build", "start": "next start"}, dependencies={"next": "16"}
            )
        },
    )
    assert not result["next_standalone"]
    assert result["start_command"] == ["node_modules/.bin/next", "start"]
    assert result["build_output"] == [".next"]
    assert any("standalone" in w for w in result.warnings)


def test_next_dev_start_is_not_used(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(
                scripts={"build": "next build", "start": "next dev"}, dependencies={"next": "16"}
            )
        },
    )
    assert result["start_command"] == ["node_modules/.bin/next", "start"]


# ---- port and health ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "port"),
    [
        ("app.listen(process.env.PORT || 8080)", 8080),
        ("const port = Number(process.env.PORT ?? 4000);", 4000),
        ("server.listen({ port: 5050, host: '0.0.0.0' })", 5050),
        ("const PORT = 7000; app.listen(PORT)", 7000),
        # the default of an environment schema (zod, Joi, envalid)
        ("export const Env = z.object({\n  PORT: z.coerce.number().default(3001),\n});", 3001),
        ("const schema = Joi.object({ PORT: Joi.number().default(4100) });", 4100),
        ("const env = cleanEnv(process.env, { PORT: port({ default: 5200 }) });", 5200),
    ],
)
def test_port_from_code(tree, source: str, port: int) -> None:
    result = plan(tree, {"package.json": pkg(main="index.js"), "index.js": source})
    assert result["port"] == port
    assert "index.js" in result.reasons["port"]


def test_port_from_an_extensionless_entry_file(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(scripts={"start": "node ./bin/www"}),
            "bin/www": "var port = normalizePort(process.env.PORT || '4500');",
        },
    )
    assert result["start_command"] == ["node", "./bin/www"]
    assert result["port"] == 4500


def test_a_vite_front_end_is_a_static_site(tree) -> None:
    result = plan(
        tree,
        {"package.json": pkg(scripts={"dev": "vite", "build": "vite build"}, devDependencies={"vite": "7"})},
    )
    assert {"static_site": True}.items() <= result.values().items() and result["framework"] == "vite"
    assert result["build_output"] == ["dist"] and result["start_command"] == ["nginx", "-g", "daemon off;"]


@pytest.mark.parametrize(
    "config",
    [
        "config/playwright.config.js",
        "playwright.config.ts",
        "vitest.config.mts",
        "e2e/server.js",
        "docs/api/api.js",
    ],
)
def test_a_test_servers_port_is_not_the_apps(tree, config: str) -> None:
    """uptime-kuma: `const port = 30001` in its Playwright config was taken for the app's port."""
    files = {
        "package.json": pkg(scripts={"start": "node server/server.js"}),
        "server/server.js": "const config = require('./config'); app.listen(config.port)",
        "server/config.js": "const port = [args.port, process.env.PORT, 3001].find((p) => p);",
        config: "const port = 30001;\nexport default { webServer: { port } };",
    }
    result = plan(tree, files)
    assert result["port"] == 3000 and result.reasons["port"] == "the app reads PORT; the image sets PORT=3000"


@pytest.mark.parametrize(
    ("build", "config", "output"),
    [
        (
            "vite build --config ./config/vite.config.js",
            {"config/vite.config.js": "export default {}"},
            ("dist",),
        ),
        (
            "vite build",
            {"vite.config.ts": "export default { build: { outDir: 'public/app' } }"},
            ("public/app",),
        ),
        ("vite build", {"vite.config.ts": "// build: { outDir: 'x' }\nexport default {}"}, ("dist",)),
        ("tsc && vite build", {}, ("dist", "server-dist")),
    ],
)
def test_a_server_with_a_vite_front_end_keeps_what_vite_builds(
    tree, build: str, config: dict[str, str], output: tuple[str, ...]
) -> None:
    """uptime-kuma: a tsconfig without outDir made the build output empty, so the image had no
    dist/index.html and the server exited at start."""
    files = {
        "package.json": pkg(
            scripts={"build": build, "start": "node server/server.js"},
            dependencies={"express": "5"},
            devDependencies={"vite": "7", "typescript": "5"},
        ),
        "server/server.js": "require('express')().listen(process.env.PORT || 3001)",
        "tsconfig.json": {"compilerOptions": {"outDir": "server-dist"} if "tsc" in build else {}},
        **config,
    }
    result = plan(tree, files)
    assert result["build_output"] == list(output) and "vite build" in result.reasons["build_output"]


def test_port_defaults_to_3000_and_says_so(tree) -> None:
    result = plan(tree, {"package.json": pkg(main="index.js"), "index.js": "console.log('hi')"})
    assert result["port"] == 3000
    assert any("3000" in w for w in result.warnings)


def test_node_modules_are_never_read(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(main="index.js"),
            "index.js": "",
            "node_modules/x/index.js": "app.listen(9999); get('/healthz')",
        },
    )
    assert result["port"] == 3000
    assert result["health_path"] == "/"


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ("app.get('/health', h)", "/health"),
        ("app.get('/healthz', h); app.get('/status', s)", "/healthz"),
        ('router.get("/api/health", h)', "/api/health"),
        ("fastify.get(`/ping`, h)", "/ping"),
    ],
)
def test_health_route_from_code(tree, source: str, path: str) -> None:
    assert plan(tree, {"package.json": pkg(main="index.js"), "index.js": source})["health_path"] == path


def test_a_route_only_a_test_asks_for_is_not_the_health_route(tree) -> None:
    files = {
        "package.json": pkg(main="index.js"),
        "index.js": "app.get('/users', h)",
        "test/health.test.js": "await request(app).get('/health')",
    }
    assert plan(tree, files)["health_path"] == "/"


def test_hono_on_node_is_a_server(tree) -> None:
    manifest = pkg(main="index.js", dependencies={"hono": "4", "@hono/node-server": "1"})
    files = {"package.json": manifest, "index.js": "serve({ fetch: app.fetch, port: 8787 })"}
    result = plan(tree, files)
    assert (result["framework"], result["port"]) == ("hono", 8787)
    assert result.reasons["framework"] == "@hono/node-server in dependencies"


def test_no_health_route_probes_root(tree) -> None:
    result = plan(tree, {"package.json": pkg(main="index.js"), "index.js": "app.get('/users', h)"})
    assert result["health_path"] == "/"
    assert "/" in result.reasons["health_path"]


def test_nest_health_controller_with_global_prefix(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(dependencies={"@nestjs/core": "11"}),
            "src/main.ts": "app.setGlobalPrefix('api');",
            "src/health.controller.ts": "@Controller('health')\nexport class H { @Get() check() {} }",
        },
    )
    assert result["health_path"] == "/api/health"


def test_next_app_router_health_route(tree) -> None:
    result = plan(
        tree,
        {
            "package.json": pkg(dependencies={"next": "16"}),
            "src/app/api/healthz/route.ts": "export function GET() {}",
        },
    )
    assert result["health_path"] == "/api/healthz"


# ---- native dependencies and base -------------------------------------------------------------
def test_pure_javascript_gets_alpine(tree) -> None:
    result = plan(tree, {"package.json": pkg(dependencies={"express": "5"})})
    assert (result["base"], result.native_deps) == ("alpine", ())
    assert "alpine" in result.reasons["base"]


@pytest.mark.parametrize(
    ("package", "base"),
    [
        ("bcrypt", "distroless"),
        ("sharp", "distroless"),
        ("sqlite3", "distroless"),
        ("better-sqlite3", "distroless"),
        ("argon2", "distroless"),
        # system libraries at run time: Cairo and Pango; OpenSSL for Prisma's engine
        ("canvas", "slim"),
        ("@prisma/client", "slim"),
    ],
)
def test_known_native_dependency_forces_glibc_with_a_reason(tree, package: str, base: str) -> None:
    result = plan(tree, {"package.json": pkg(dependencies={package: "1"}, main="server.js")})
    assert [d.name for d in result.native_deps] == [package]
    assert result["base"] == base
    assert package in result.reasons["base"]


def test_distroless_not_for_bun(tree) -> None:
    manifest = pkg(dependencies={"bcrypt": "6"}, main="server.js")
    result = plan(tree, {"package.json": manifest, "bun.lock": ""})
    assert result["base"] == "slim"


@pytest.mark.parametrize(
    ("start", "manager", "writable", "expected"),
    [
        (("node", "server.js"), "npm", False, "distroless"),
        (("npx", "serve"), "npm", False, "slim"),  # a launcher needs npm, which distroless lacks
        (("node", "server.js"), "bun", False, "slim"),
        (("node", "server.js"), "npm", True, "slim"),  # writable paths are prepared with a shell
    ],
)
def test_distroless_only_where_node_alone_runs_the_app(start, manager, writable, expected) -> None:
    deps = (NativeDep(name="bcrypt", reason="native addon"),)
    base = distroless_fits(
        ("slim", "slim (glibc): bcrypt needs it"),
        deps,
        start_command=start,
        manager=manager,
        writable=writable,
    )
    assert base[0] == expected


def test_distroless_reason_names_the_trade_off(tree) -> None:
    result = plan(tree, {"package.json": pkg(dependencies={"bcrypt": "6"}, main="server.js")})
    assert result["base"] == "distroless"
    assert "bcrypt" in result.reasons["base"] and "no shell" in result.reasons["base"]
    assert "--set base=slim" in result.reasons["base"]


def test_transitive_native_dependency_from_the_lockfile(tree) -> None:
    lock = npm_lock(
        {
            "node_modules/some-orm": {"version": "1.0.0"},
            "node_modules/better-sqlite3": {"version": "12.0.0", "hasInstallScript": True},
        }
    )
    result = plan(tree, {"package.json": pkg(dependencies={"some-orm": "1"}), "package-lock.json": lock})
    assert [d.name for d in result.native_deps] == ["better-sqlite3"]
    assert "package-lock.json" in result.native_deps[0].reason


def test_unknown_install_script_is_a_possible_native_dependency(tree) -> None:
    lock = npm_lock({"node_modules/weird-addon": {"version": "1.0.0", "hasInstallScript": True}})
    result = plan(tree, {"package.json": pkg(dependencies={"weird-addon": "1"}), "package-lock.json": lock})
    assert [d.name for d in result.native_deps] == ["weird-addon"]
    assert "install script" in result.native_deps[0].reason
    assert result["base"] == "distroless"  # glibc, and nothing at run time but the addon itself


def test_benign_install_scripts_and_other_platforms_are_ignored(tree) -> None:
    lock = npm_lock(
        {
            "node_modules/esbuild": {"version": "0.25.0", "hasInstallScript": True, "dev": True},
            "node_modules/fsevents": {
                "version": "2.3.3",
                "hasInstallScript": True,
                "optional": True,
                "os": ["darwin"],
            },
        }
    )
    result = plan(tree, {"package.json": pkg(devDependencies={"esbuild": "0.25"}), "package-lock.json": lock})
    assert result.native_deps == ()
    assert result["base"] == "alpine"


def test_dev_only_native_dependency_is_marked(tree) -> None:
    lock = npm_lock({"node_modules/sqlite3": {"version": "5.1.7", "hasInstallScript": True, "dev": True}})
    result = plan(tree, {"package.json": pkg(devDependencies={"sqlite3": "5"}), "package-lock.json": lock})
    assert "build stage only" in result.native_deps[0].reason


def test_prebuilt_native_dev_dependency_adds_no_toolchain(tree) -> None:
    # piscina's nice-napi loads a binary it ships (node-gyp-build): as a devDependency it neither
    # brings a compiler into the build nor ties the image to glibc
    lock = npm_lock(
        {
            "node_modules/piscina": {"version": "4.9.2", "dev": True},
            "node_modules/nice-napi": {
                "version": "1.0.2",
                "hasInstallScript": True,
                "dev": True,
                "optional": True,
            },
        }
    )
    result = plan(tree, {"package.json": pkg(devDependencies={"piscina": "4"}), "package-lock.json": lock})
    assert result.native_deps == ()
    assert result["base"] == "alpine"


def test_prebuilt_native_production_dependency_is_still_read(tree) -> None:
    lock = npm_lock({"node_modules/nice-napi": {"version": "1.0.2", "hasInstallScript": True}})
    result = plan(tree, {"package.json": pkg(dependencies={"nice-napi": "1"}), "package-lock.json": lock})
    assert [d.name for d in result.native_deps] == ["nice-napi"]


def test_pnpm_requires_build_signal(tree) -> None:
    lock = "lockfileVersion: '6.0'\npackages:\n  /odd-addon@1.0.0:\n    requiresBuild: true\n    dev: false\n"
    result = plan(tree, {"package.json": pkg(dependencies={"odd-addon": "1"}), "pnpm-lock.yaml": lock})
    assert [d.name for d in result.native_deps] == ["odd-addon"]


# pnpm 11 and later: an env document (pnpm itself), then the project's own lockfile.
PNPM_TWO_DOCUMENTS = """\
---
lockfileVersion: '9.0'

importers:

  .:
    packageManagerDependencies:
      pnpm:
        specifier: 12.0.0
        version: 12.0.0

packages:

  '@pnpm/exe@12.0.0':
    resolution: {integrity: sha512-x}
    requiresBuild: true

---
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      sharp:
        specifier: ^0.33.0
        version: 0.33.5

packages:

  sharp@0.33.5:
    resolution: {integrity: sha512-y}
    engines: {node: ^18.17.0 || ^20.3.0 || >=21.0.0}

snapshots:

  sharp@0.33.5: {}
"""


def test_a_two_document_pnpm_lockfile_is_read_from_its_last_document(tree) -> None:
    result = plan(tree, {"package.json": pkg(dependencies={"x": "1"}), "pnpm-lock.yaml": PNPM_TWO_DOCUMENTS})
    assert [d.name for d in result.native_deps] == ["sharp"]  # not pnpm's own @pnpm/exe
    assert result["package_manager_version"] == "9.15.9"


@pytest.mark.parametrize(
    "entry",
    [
        "  '@scope/odd-addon@1.0.0':\n    requiresBuild: true\n",
        '  "@scope/odd-addon@1.0.0":\n    requiresBuild: yes\n',
        "  ? /@scope/odd-addon@1.0.0(peer@1.0.0)\n  : resolution: {integrity: x}\n    requiresBuild: true\n",
        "  /@scope/odd-addon@1.0.0:\r\n    requiresBuild: true # a comment\r\n",
    ],
    ids=["single-quoted", "double-quoted", "explicit-key", "crlf-and-comment"],
)
def test_pnpm_lockfile_keys_as_pnpm_writes_them(tree, entry: str) -> None:
    lock = f"lockfileVersion: '6.0'\n\npackages:\n\n  /plain@1.0.0:\n    dev: false\n\n{entry}"
    result = plan(tree, {"package.json": pkg(dependencies={"x": "1"}), "pnpm-lock.yaml": lock})
    assert [d.name for d in result.native_deps] == ["@scope/odd-addon"]


def test_pnpm_lockfile_in_another_layout_is_read_as_yaml(tree) -> None:
    lock = "{lockfileVersion: '6.0', packages: {/odd-addon@1.0.0: {requiresBuild: true}}}\n"
    result = plan(tree, {"package.json": pkg(dependencies={"x": "1"}), "pnpm-lock.yaml": lock})
    assert [d.name for d in result.native_deps] == ["odd-addon"]
    assert result["package_manager_version"] == "8.15.9"


def test_a_large_pnpm_lockfile_in_another_layout_is_an_error(tree) -> None:
    entries = ", ".join(f"/p{i}@1.0.0: {{dev: true}}" for i in range(20_000))
    lock = f"{{lockfileVersion: '6.0', packages: {{{entries}}}}}\n"
    with pytest.raises(InputError, match=r"pnpm-lock\.yaml: not in the layout pnpm writes \(line 1\)"):
        plan(tree, {"package.json": pkg(), "pnpm-lock.yaml": lock})


def test_yarn_lock_names_count_for_the_table(tree) -> None:
    lock = '# yarn lockfile v1\n\n"sharp@^0.33.0":\n  version "0.33.5"\n'
    result = plan(tree, {"package.json": pkg(dependencies={"x": "1"}), "yarn.lock": lock})
    assert [d.name for d in result.native_deps] == ["sharp"]


def test_musl_friendly_native_dependency_keeps_alpine(tree) -> None:
    result = plan(tree, {"package.json": pkg(dependencies={"bufferutil": "4"})})
    assert result["base"] == "alpine"
    assert "bufferutil" in result.reasons["base"]


def test_next_font_google_needs_the_font_host_at_build_time(tree) -> None:
    files = {
        "package.json": {
            "scripts": {"build": "next build", "start": "next start"},
            "dependencies": {"next": "15"},
        },
        "app/layout.tsx": "import { Inter } from 'next/font/google'\nconst inter = Inter({ subsets: ['latin'] })\n",
    }
    warnings = plan(tree, files).warnings
    assert any(w.startswith("app/layout.tsx uses next/font/google") for w in warnings), warnings
    files["app/layout.tsx"] = "import localFont from 'next/font/local'\n// not next/font/google\n"
    assert not any("next/font/google" in w for w in plan(tree, files).warnings)


def test_cypress_as_a_dev_tool_keeps_alpine(tree) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "a", "devDependencies": {"cypress": "15"}},
            "node_modules/cypress": {"version": "15.15.0", "dev": True, "hasInstallScript": True},
        },
    }
    files = {
        "package.json": {"name": "a", "main": "server.js", "devDependencies": {"cypress": "15"}},
        "package-lock.json": lock,
        "server.js": "require('http').createServer().listen(process.env.PORT || 3000)",
    }
    detection = plan(tree, files)
    assert [d.name for d in detection.native_deps] == ["cypress"] and detection["base"] == "alpine"


def test_a_host_variable_with_a_localhost_fallback_is_set_to_all_interfaces(tree) -> None:
    server = "const host = process.env.HOST ?? 'localhost';\napp.listen(process.env.PORT || 3000, host);\n"
    files = {
        "package.json": {
            "name": "a",
            "scripts": {"start": "node server.js"},
            "dependencies": {"express": "5"},
        },
        "server.js": server,
    }
    detection = plan(tree, files)
    assert detection["start_env"] == ["HOST=0.0.0.0"]
    assert detection.reasons["start_env"].startswith("server.js listens on process.env.HOST")
    files["server.js"] = "const host = process.env.HOST || '0.0.0.0';\napp.listen(3000, host);\n"
    assert plan(tree, files)["start_env"] == []


def test_a_test_suites_host_variable_is_not_the_servers(tree) -> None:
    files = {
        "package.json": {
            "name": "a",
            "scripts": {"start": "node server.js"},
            "dependencies": {"express": "5"},
        },
        "server.js": "app.listen(process.env.PORT || 3000);\n",
        "e2e/src/support/test-setup.ts": "const host = process.env.HOST ?? 'localhost';\n",
    }
    assert plan(tree, files)["start_env"] == []


# ---- services ----------------------------------------------------------------------------------
def test_services_from_the_direct_dependencies(tree) -> None:
    deps = {"express": "5", "pg": "8", "ioredis": "5", "redis": "4", "dotenv": "16"}
    result = plan(tree, {"package.json": pkg(main="index.js", dependencies=deps), "index.js": ""})
    assert [(s.name, s.package) for s in result.services] == [("PostgreSQL", "pg"), ("Redis", "redis")]
    assert result.reasons["services"] == "pg in package.json: PostgreSQL; redis in package.json: Redis"
    assert result["services"] == ["postgres", "redis"]  # compose.yaml runs them beside the app
    assert result.to_json()["service_clients"] == [
        {"name": "PostgreSQL", "package": "pg"},
        {"name": "Redis", "package": "redis"},
    ]


def test_a_development_dependency_is_no_service(tree) -> None:
    manifest = pkg(
        main="index.js",
        dependencies={"express": "5"},
        devDependencies={"mongodb-memory-server": "9", "pg": "8"},
    )
    result = plan(tree, {"package.json": manifest, "index.js": ""})
    assert result.services == () and "services" not in result.reasons


@pytest.mark.parametrize(
    ("script", "env"),
    [
        ("fastify start -l info app.js", ["FASTIFY_ADDRESS=0.0.0.0"]),
        ("fastify start -a 0.0.0.0 -l info app.js", []),
        ("FASTIFY_ADDRESS=:: fastify start app.js", ["FASTIFY_ADDRESS=::"]),
    ],
)
def test_fastify_cli_listens_on_every_address(tree, script: str, env: list[str]) -> None:
    """`fastify generate`'s app runs `fastify start`, which listens on localhost by default."""
    manifest = pkg(scripts={"start": script}, dependencies={"fastify": "5", "fastify-cli": "7"})
    result = plan(tree, {"package.json": manifest, "app.js": "module.exports = async function (app) {}"})
    assert result["start_command"][:2] == ["node_modules/.bin/fastify", "start"]
    assert result["start_env"] == env


@pytest.mark.parametrize(
    ("listen", "warned"),
    [
        ("await app.listen({ port: Number(process.env.PORT ?? 3000) })", True),
        ("await app.listen({ port: 3000, host: '0.0.0.0' })", False),
        ("await app.listen({ host: '::', port })", False),
    ],
)
def test_fastify_listen_without_a_host_is_warned(tree, listen: str, warned: bool) -> None:
    """Fastify's listen() defaults to localhost (found on fastify/demo): no variable fixes it."""
    code = f"import Fastify from 'fastify'\nconst app = Fastify()\n{listen}\n"
    result = plan(
        tree, {"package.json": pkg(main="server.js", dependencies={"fastify": "5"}), "server.js": code}
    )
    hit = [w for w in result.warnings if "Fastify's listen() is given no host" in w]
    assert bool(hit) is warned, result.warnings
    assert not hit or hit[0].startswith("server.js: ")


# ---- .npmrc's install settings (npm_settings) --------------------------------------------------


def test_npmrc_install_settings_become_an_answer_and_secrets_stay_out(tree) -> None:
    npmrc = (
        "# peer conflicts\nlegacy-peer-deps = true\n//registry.example/:_authToken=${NPM_TOKEN}\n"
        "engine-strict='TRUE'\nregistry=https://mirror.example/\ninstall-strategy=weird\n"
    )
    result = plan(tree, {"package.json": pkg(main="index.js"), "package-lock.json": "{}", ".npmrc": npmrc})
    assert result["npm_settings"] == ["legacy-peer-deps=true", "engine-strict=true"]
    assert (
        result.answers["npm_settings"].file == ".npmrc" and "npm_settings" not in CHOICES
    )  # check compares it
    assert any("install-strategy='weird' is not one of hoisted" in w for w in result.warnings)
    assert not any("mirror.example" in w or "NPM_TOKEN" in w for w in result.warnings)


def test_npm_settings_only_for_npm(tree) -> None:
    files = {"package.json": pkg(main="index.js"), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n"}
    result = plan(tree, {**files, ".npmrc": "legacy-peer-deps=true\n"})
    assert "npm_settings" not in result.answers  # pnpm: the question is not asked
    assert plan(tree, {"package.json": pkg(main="index.js")})["npm_settings"] == []
