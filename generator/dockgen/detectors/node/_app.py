"""The app itself: framework, build step, production start command, port and health route."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dockgen._project import Project
from dockgen.detectors._base import Assumed
from dockgen.detectors._comments import read_config
from dockgen.detectors._env import example_variables, read_variables
from dockgen.detectors._writable import Writable
from dockgen.detectors.node._context import SOURCE_SUFFIXES, Context
from dockgen.detectors.node._frameworks import SERVE_BINARIES, ServerFramework, find_framework
from dockgen.detectors.node._lifecycle import scripts_to_skip
from dockgen.detectors.node._lock import LockInfo
from dockgen.detectors.node._nx import NxApp
from dockgen.detectors.node._script import resolve_script
from dockgen.detectors.node._serve import fastify_on_localhost, find_health_path, find_port, host_from_env
from dockgen.detectors.node._start import find_start_command, start_env
from dockgen.detectors.node._state import sources, writable_paths
from dockgen.detectors.node._static import (
    BUILD_BINARIES,
    STATIC_HEALTH_PATH,
    STATIC_PORT,
    STATIC_START,
    StaticSite,
    config_file,
    find_static_site,
)

__all__ = ["App", "detect_app"]

_SERVERS = {
    "@nestjs/core": "nestjs",
    "fastify": "fastify",
    "express": "express",
    "koa": "koa",
    "@hapi/hapi": "hapi",
    "hapi": "hapi",
    # Hono runs on Node.js through its adapter (hono alone may target Workers or Bun)
    "@hono/node-server": "hono",
    "restify": "restify",
    "polka": "polka",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class App:
    """What the app runs and serves, with a reason per field."""

    framework: str | None
    build_command: tuple[str, ...] | None
    build_output: tuple[str, ...]
    start_command: tuple[str, ...]
    #: the variables the start script sets for the app (`NAME=value`), ENV in the image
    start_env: tuple[str, ...] = ()
    #: the root package's install scripts that the production install skips (they call dev tools)
    skip_scripts: tuple[str, ...] = ()
    port: int
    health_path: str | None
    next_standalone: bool = False
    static_site: bool = False
    #: the build output runs alone (Nitro's .output): no node_modules, no sources in the image
    self_contained: bool = False
    #: what the server writes inside its folder at run time (kept in the volume /data)
    writable: tuple[Writable, ...] = ()
    #: the environment variables the code reads, each with the file that reads it
    variables: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def detect_app(
    project: Project,
    manifest: dict[str, Any],
    pm: str,
    lock: LockInfo,
    *,
    folder: str = "",
    nx: NxApp | None = None,
) -> App:
    """Everything about how the app is built, started and probed.

    `folder`: the app is the package in this folder of a workspace, built from the root.
    `nx`: the app is this app of the Nx workspace at the root.
    """
    in_workspace = bool(folder)
    ctx = Context(project, manifest, pm, lock, f"{folder}/package.json" if folder else "package.json")
    if nx is not None:
        return _nx_app(ctx, nx)
    site = find_static_site(ctx, set(_SERVERS))
    if site is not None:
        return _static(ctx, site)
    found = find_framework(ctx)
    if found is not None:
        return _server_framework(ctx, *found, in_workspace=in_workspace)
    framework = _framework(ctx)
    standalone = framework == "nextjs" and _next_standalone(ctx)
    if standalone and in_workspace:
        # standalone output nests the server under the app's path inside .next/standalone
        ctx.warnings.append(
            "output: 'standalone' inside a workspace is not used yet: the image runs `next start` "
            "with the app's production dependencies"
        )
        ctx.reasons["next_standalone"] += " (not used for a workspace app)"
        standalone = False
    build_command, build_output = _build(ctx, framework, standalone)
    if framework == "nextjs":
        _google_fonts(ctx)
    start = find_start_command(ctx, framework, standalone, build_output)
    start_env, listen = _port_from_env(ctx, start.env)
    listen = listen or find_port(ctx, framework, start.command)
    entry = tuple(a.removeprefix("./") for a in start.command[1:] if not a.startswith("-"))
    if not any(v.startswith("HOST=") for v in start_env) and host_from_env(ctx, entry):
        start_env = (*start_env, "HOST=0.0.0.0")
    if _fastify_cli_on_localhost(start.command) and not any(
        v.startswith("FASTIFY_ADDRESS=") for v in start_env
    ):
        start_env = (*start_env, "FASTIFY_ADDRESS=0.0.0.0")
        ctx.reasons["start_env"] = (
            "`fastify start` listens on localhost unless FASTIFY_ADDRESS (or -a) says otherwise"
        )
    cli = _fastify_cli_on_localhost(start.command)
    if framework == "fastify" and not cli and (file := fastify_on_localhost(ctx, entry)) is not None:
        ctx.warnings.append(
            f"{ctx.shown(file)}: Fastify's listen() is given no host, so it listens on localhost "
            "only and the image's published port answers nothing; add host: '0.0.0.0' there"
        )
    health = find_health_path(ctx, framework)
    # a workspace app's install runs at the root; Bun's image has no npm to edit package.json
    skip = scripts_to_skip(ctx) if not in_workspace and pm != "bun" else ()
    return App(
        framework=framework,
        build_command=build_command,
        build_output=build_output,
        start_command=start.command,
        start_env=start_env,
        skip_scripts=skip,
        port=listen,
        health_path=health,
        next_standalone=standalone,
        writable=_writable(ctx, start.command, build_output),
        variables=_variables(ctx, start.command),
        reasons=ctx.reasons,
        warnings=tuple(ctx.warnings),
    )


def _port_from_env(ctx: Context, env: tuple[str, ...]) -> tuple[tuple[str, ...], int | None]:
    """The other variables, and the PORT the start script sets (the image sets PORT to the port answer)."""
    rest = tuple(item for item in env if not item.startswith("PORT="))
    value = next((item[5:] for item in env if item.startswith("PORT=")), None)
    if value is None:
        return rest, None
    if re.fullmatch(r"[0-9]{1,5}", value) and 1 <= int(value) <= 65535:
        ctx.reasons["port"] = f"scripts.start in {ctx.manifest_path} sets PORT={value}"
        return rest, int(value)
    ctx.warnings.append(
        f"{ctx.manifest_path}: scripts.start sets PORT={value!r}, which is not a TCP port; ignored"
    )
    return rest, None


def _static(ctx: Context, site: StaticSite) -> App:
    """A static site: built with Node.js, served by nginx from the build output."""
    ctx.reasons["framework"] = site.reason
    if "build" in ctx.scripts:
        command = _run(ctx, "build")
        ctx.reasons["build_command"] = f"scripts.build in package.json ({ctx.scripts['build']!r})"
    else:
        binary, *args = BUILD_BINARIES[site.framework]
        command = (f"node_modules/.bin/{binary}", *args)
        ctx.reasons["build_command"] = (
            f"no scripts.build in package.json; {site.framework} builds with {binary}"
        )
    ctx.reasons["build_output"] = site.output_reason
    return _served_by_nginx(ctx, site.framework, command, site.output, site.reason)


def _served_by_nginx(
    ctx: Context,
    framework: str | None,
    command: tuple[str, ...],
    output: str,
    why: str,
    skip: tuple[str, ...] = (),
) -> App:
    """A static site's app: the build writes `output`, nginx serves it (`why` says it is a site)."""
    ctx.reasons["static_site"] = f"{why}: nginx serves {output}/, no Node.js at run time"
    ctx.reasons["start_command"] = "nginx serves the site (the configuration is .dockgen/nginx.conf)"
    ctx.reasons["port"] = f"nginx listens on {STATIC_PORT} (a non-root port)"
    ctx.reasons["health_path"] = f"nginx answers {STATIC_HEALTH_PATH} itself (.dockgen/nginx.conf)"
    return App(
        framework=framework,
        build_command=command,
        build_output=(output,),
        start_command=STATIC_START,
        port=STATIC_PORT,
        health_path=STATIC_HEALTH_PATH,
        static_site=True,
        skip_scripts=skip,
        reasons=ctx.reasons,
        warnings=tuple(ctx.warnings),
    )


def _server_framework(ctx: Context, row: ServerFramework, why: str, *, in_workspace: bool) -> App:
    """A framework of the table: its build, its output and the server it writes."""
    ctx.reasons["framework"] = why
    if "build" in ctx.scripts:
        command = _run(ctx, "build")
        ctx.reasons["build_command"] = f"scripts.build in {ctx.manifest_path} ({ctx.scripts['build']!r})"
    else:
        binary, *args = row.build
        command = (binary if binary == "node" else f"node_modules/.bin/{binary}", *args)
        ctx.reasons["build_command"] = (
            f"no scripts.build in {ctx.manifest_path}; {row.name} builds with {binary}"
        )
    ctx.reasons.setdefault("build_output", row.note)
    self_contained = row.self_contained and not in_workspace
    start, env = row.start, row.env
    script = ctx.scripts.get("start")
    if script is not None and not self_contained:
        resolved = resolve_script(ctx, script, "start", 0, {}, quiet=True)
        serve = {f"node_modules/.bin/{b}" for b in SERVE_BINARIES}
        if resolved.command and (resolved.command[0] == "node" or resolved.command[0] in serve):
            start = resolved.command
            env = (*env, *start_env(ctx, resolved.env))
            ctx.reasons["start_command"] = f"scripts.start in {ctx.manifest_path} ({script!r})"
    ctx.reasons.setdefault("start_command", f"{row.note}: `{' '.join(start)}`")
    if self_contained:
        ctx.reasons["self_contained"] = f"{row.note}: the image gets {', '.join(row.output)} only"
    variables, listen = _port_from_env(ctx, tuple(dict.fromkeys(env)))
    if listen is None:
        listen = row.port
        ctx.reasons["port"] = f"{row.name} listens on PORT (the image sets it; {row.port} by default)"
    if row.env:
        ctx.reasons["start_env"] = "; ".join(
            filter(
                None,
                (
                    f"{row.name} listens on localhost unless {', '.join(row.env)}",
                    ctx.reasons.get("start_env"),
                ),
            )
        )
    return App(
        framework=row.name,
        build_command=command,
        build_output=row.output,
        start_command=tuple(start),
        start_env=variables,
        port=listen,
        health_path=find_health_path(ctx, row.name),
        self_contained=self_contained,
        writable=_writable(ctx, tuple(start), row.output),
        variables=_variables(ctx, tuple(start)),
        reasons=ctx.reasons,
        warnings=tuple(ctx.warnings),
    )


def _fastify_cli_on_localhost(command: tuple[str, ...]) -> bool:
    """`fastify start app.js` (fastify-cli) without `-a`/`--address`: it listens on localhost."""
    runs_cli = bool(command) and command[0].endswith("/fastify") and "start" in command[1:2]
    return runs_cli and not any(a in ("-a", "--address") or a.startswith("--address=") for a in command)


def _variables(ctx: Context, start: tuple[str, ...]) -> dict[str, str]:
    """The environment variables the code reads (the start command's files first), then its env example."""
    entry = tuple(a.removeprefix("./") for a in start[1:] if not a.startswith("-"))
    folder = ctx.manifest_path.rpartition("/")[0]
    shown = f"{folder}/" if folder else ""
    found = read_variables(ctx.project, sources(ctx, entry), "js", shown)
    for name, where in example_variables(ctx.project).items():
        found.setdefault(name, shown + where)
    return found


def _writable(ctx: Context, start: tuple[str, ...], build_output: tuple[str, ...]) -> tuple[Writable, ...]:
    """What the server writes in its folder, with the reason (the start command's files first)."""
    entry = tuple(a.removeprefix("./") for a in start[1:] if not a.startswith("-"))
    compiled = None
    if "typescript" in ctx.deps | ctx.dev_deps:
        out_dir, root_dir = ctx.tsconfig()
        if out_dir and any(e.startswith(out_dir + "/") for e in entry):
            compiled = (out_dir, root_dir)
    found = tuple(writable_paths(ctx, entry, build_output, compiled))
    if found:
        ctx.reasons["writable_paths"] = "; ".join(f"{w.path}: {w.reason}" for w in found)
    return found


def _nx_app(ctx: Context, nx: NxApp) -> App:
    """A server app of an Nx workspace: `nx run <project>:build`, then node runs what it wrote.

    The dependencies are the root package.json's (an integrated Nx repository has one), so the
    image gets the root's production dependencies and the app's build output.
    """
    skip = scripts_to_skip(ctx) if ctx.pm != "bun" else ()
    # Nx's daemon and its cloud cache have no place in a one-off build in a container
    nx_run = ("node_modules/.bin/nx", "run", f"{nx.name}:build")
    command = ("env", "NX_DAEMON=false", "NX_NO_CLOUD=true", *nx_run)
    ctx.reasons["build_command"] = f"{nx.reason}; nx builds it"
    ctx.reasons["build_output"] = f"the build of Nx project {nx.name} writes {nx.output}/"
    if nx.static:
        ctx.reasons["framework"] = nx.reason
        return _served_by_nginx(ctx, _web_framework(ctx), command, nx.output, nx.reason, skip)
    framework = _framework(ctx)
    start = ("node", nx.entry)
    ctx.reasons["start_command"] = f"node runs the bundle the build writes ({nx.entry})"
    source = (nx.source,) if nx.source else ()
    listen = find_port(ctx, framework, ("node", *source))
    env = ("HOST=0.0.0.0",) if host_from_env(ctx, source) else ()
    if "nx" not in ctx.deps | ctx.dev_deps:
        ctx.warnings.append("nx.json but no nx in package.json: the build step needs the nx package")
    return App(
        framework=framework,
        build_command=command,
        build_output=(nx.output,),
        start_command=start,
        start_env=env,
        skip_scripts=skip,
        port=listen,
        health_path=find_health_path(ctx, framework),
        reasons=ctx.reasons,
        warnings=tuple(ctx.warnings),
    )


def _web_framework(ctx: Context) -> str | None:
    for package, name in (("@angular/core", "angular"), ("react", "react"), ("vue", "vue")):
        if package in ctx.deps | ctx.dev_deps:
            return name
    return None


# ---- framework and build ----------------------------------------------------------------------
def _framework(ctx: Context) -> str | None:
    if "next" in ctx.deps:
        ctx.reasons["framework"] = "next in dependencies"
        return "nextjs"
    for package, name in _SERVERS.items():
        if package in ctx.deps:
            ctx.reasons["framework"] = f"{package} in dependencies"
            return name
    return None


def _google_fonts(ctx: Context) -> None:
    """`next/font/google` downloads the fonts during `next build`: the build needs that host."""
    for file in ctx.project.files(*SOURCE_SUFFIXES, max_depth=6)[:400]:
        text = ctx.project.read_source(file) or ""
        if "next/font/google" in text and re.search(r"""from\s+['"]next/font/google['"]""", text):
            ctx.warnings.append(
                f"{file} uses next/font/google, which downloads the fonts from Google's font servers "
                "during `next build`: the build needs to reach them (or use next/font/local)"
            )
            return


def _next_standalone(ctx: Context) -> bool:
    found = config_file(ctx, "next")
    if found and re.search(r"""\boutput\s*:\s*['"`]standalone['"`]""", found[1]):
        ctx.reasons["next_standalone"] = f"output: 'standalone' in {found[0]}"
        return True
    ctx.reasons["next_standalone"] = "no output: 'standalone' in next.config (comments aside)"
    return False


def _run(ctx: Context, script: str) -> tuple[str, ...]:
    return (ctx.pm, "run", script)


_VITE_BUILD = re.compile(r"\bvite\s+build\b(?:[^&|;]*?--config[ =](\S+))?")
_VITE_OUT_DIR = re.compile(r"""\boutDir\s*:\s*['"`]([\w./-]+)['"`]""")


def _vite_output(ctx: Context, script: str) -> tuple[str, ...]:
    """What `vite build` in the build script writes: build.outDir of its config, or dist/.

    A `tsc` the script also runs adds the tsconfig's outDir (a server compiled beside its front-end).
    """
    match = _VITE_BUILD.search(script)
    if match is None:
        return ()
    configs = [match[1].removeprefix("./")] if match[1] else []
    configs += [f"vite.config.{ext}" for ext in ("ts", "mts", "js", "mjs", "cjs")]
    out, source = "dist", "vite's default"
    for config in configs:
        text = read_config(ctx.project, config) or ""
        if found := _VITE_OUT_DIR.search(text):
            out, source = found[1].removeprefix("./").rstrip("/"), f"build.outDir in {config}"
            break
        if text:
            source = f"{config} sets no build.outDir: vite's default"
            break
    outputs = [out]
    if re.search(r"\btsc\b", script) and ctx.project.has("tsconfig.json"):
        out_dir, _root = ctx.tsconfig()
        if out_dir and out_dir not in outputs:
            outputs.append(out_dir)
    ctx.reasons["build_output"] = f"scripts.build runs vite build, which writes {out}/ ({source})"
    return tuple(outputs)


def _build(
    ctx: Context, framework: str | None, standalone: bool
) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    if "build" in ctx.scripts:
        command = _run(ctx, "build")
        ctx.reasons["build_command"] = f"scripts.build in package.json ({ctx.scripts['build']!r})"
    elif framework == "nextjs":  # `next start` and the standalone server both need what `next build` writes
        command = ("node_modules/.bin/next", "build")
        ctx.reasons["build_command"] = (
            "no scripts.build in package.json; a Next.js app is built with `next build`"
        )
    else:
        return None, ()
    if framework == "nextjs":
        if standalone:
            output = ("public",) if ctx.project.is_dir("public") else ()
            ctx.reasons["build_output"] = (
                "output: 'standalone' in next.config: the traced server, .next/static and public/"
            )
            return command, output
        ctx.warnings.append(
            "Next.js without `output: 'standalone'`: the image ships all production node_modules; "
            "add output: 'standalone' to next.config for a much smaller image"
        )
        ctx.reasons["build_output"] = "next build writes .next"
        return command, (".next",)
    # a server that serves a Vite front-end (uptime-kuma): vite build writes build.outDir (dist/)
    if vite := _vite_output(ctx, ctx.scripts["build"]):
        return command, vite
    if ctx.project.has("tsconfig.json") and "typescript" in ctx.deps | ctx.dev_deps:
        out_dir, _root = ctx.tsconfig()
        if out_dir:
            ctx.reasons["build_output"] = f"compilerOptions.outDir in the tsconfig the build uses ({out_dir})"
            return command, (out_dir,)
        ctx.warnings.append(
            "tsconfig has no outDir: the compiled files sit next to the sources and are not copied"
        )
        return command, ()
    for folder in ("dist", "build", "lib"):
        if re.search(rf"\b{folder}\b", ctx.scripts["build"]):
            ctx.reasons["build_output"] = f"scripts.build mentions {folder}/"
            return command, (folder,)
    ctx.reasons["build_output"] = Assumed("assumed dist/ (the build script names no folder)")
    return command, ("dist",)
