"""The app itself: framework, build step, production start command, port and health route."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dockgen._project import Project
from dockgen.detectors.node._context import Context
from dockgen.detectors.node._lock import LockInfo
from dockgen.detectors.node._serve import find_health_path, find_port
from dockgen.detectors.node._start import find_start_command

__all__ = ["App", "detect_app"]

_SERVERS = {
    "@nestjs/core": "nestjs",
    "fastify": "fastify",
    "express": "express",
    "koa": "koa",
    "@hapi/hapi": "hapi",
    "hapi": "hapi",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class App:
    """What the app runs and serves, with a reason per field."""

    framework: str | None
    build_command: tuple[str, ...] | None
    build_output: tuple[str, ...]
    start_command: tuple[str, ...]
    port: int
    health_path: str | None
    next_standalone: bool = False
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def detect_app(project: Project, manifest: dict[str, Any], pm: str, lock: LockInfo) -> App:
    """Everything about how the app is built, started and probed."""
    ctx = Context(project, manifest, pm, lock)
    framework = _framework(ctx)
    standalone = framework == "nextjs" and _next_standalone(ctx)
    build_command, build_output = _build(ctx, framework, standalone)
    start = find_start_command(ctx, framework, standalone, build_output)
    listen = find_port(ctx, framework, start)
    health = find_health_path(ctx, framework)
    return App(
        framework=framework,
        build_command=build_command,
        build_output=build_output,
        start_command=start,
        port=listen,
        health_path=health,
        next_standalone=standalone,
        reasons=ctx.reasons,
        warnings=tuple(ctx.warnings),
    )


# ---- framework and build ----------------------------------------------------------------------
def _framework(ctx: Context) -> str | None:
    if "next" in ctx.deps:
        ctx.reasons["framework"] = "next in dependencies"
        return "nextjs"
    for package, name in _SERVERS.items():
        if package in ctx.deps:
            ctx.reasons["framework"] = f"{package} in dependencies"
            return name
    front_end = {"vite", "react-scripts", "@angular/cli", "@vue/cli-service", "astro"} & (
        ctx.deps | ctx.dev_deps
    )
    if front_end and "start" not in ctx.scripts:
        ctx.warnings.append(
            f"{', '.join(sorted(front_end))} without a server: this looks like a static front-end, "
            "which dockgen does not serve yet; the image runs Node.js"
        )
    return None


def _next_standalone(ctx: Context) -> bool:
    configs = ("next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts")
    for config in configs:
        text = ctx.project.read_text(config) if ctx.project.is_file(config) else None
        if text and re.search(r"""\boutput\s*:\s*['"`]standalone['"`]""", text):
            ctx.reasons["next_standalone"] = f"output: 'standalone' in {config}"
            return True
    ctx.reasons["next_standalone"] = "no output: 'standalone' in next.config"
    return False


def _run(ctx: Context, script: str) -> tuple[str, ...]:
    return (ctx.pm, "run", script)


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
    ctx.reasons["build_output"] = "assumed dist/ (the build script names no folder)"
    return command, ("dist",)
