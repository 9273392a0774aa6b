"""The production start command: exec form, never a package manager, never a development tool."""

from __future__ import annotations

import re
import shlex

from dockgen.detectors.node._context import SOURCE_SUFFIXES, Context, norm

__all__ = ["find_start_command"]

_DEV_TOOLS = {
    "nodemon",
    "ts-node",
    "ts-node-dev",
    "tsx",
    "node-dev",
    "supervisor",
    "vite",
    "webpack-dev-server",
    "nest",
}
_DEV_TOOL_PACKAGES = {"nest": "@nestjs/cli", "ts-node-dev": "ts-node-dev", "node-dev": "node-dev"}
_PRODUCTION_SCRIPTS = ("start:prod", "start:production", "prod", "production", "serve")
_ENTRY_CANDIDATES = (
    "server.js", "index.js", "app.js", "main.js", "server.mjs", "index.mjs",
    "src/server.js", "src/index.js", "src/app.js", "src/main.js",
)  # fmt: skip


def find_start_command(
    ctx: Context, framework: str | None, standalone: bool, build_output: tuple[str, ...]
) -> tuple[str, ...]:
    if standalone:
        ctx.reasons["start_command"] = "Next.js standalone output runs as `node server.js`"
        return ("node", "server.js")
    start = ctx.scripts.get("start")
    if start is not None:
        resolved, dev_tool = _resolve_script(ctx, start, "start", 0)
        if resolved is not None:
            ctx.reasons["start_command"] = f"scripts.start in package.json ({start!r})"
            return resolved
        for name in _PRODUCTION_SCRIPTS:
            if name in ctx.scripts:
                candidate, candidate_dev = _resolve_script(ctx, ctx.scripts[name], name, 0)
                if candidate is not None and not candidate_dev:
                    ctx.warnings.append(_dev_tool_warning(dev_tool, f"scripts.{name}"))
                    ctx.reasons["start_command"] = f"scripts.{name} in package.json ({ctx.scripts[name]!r})"
                    return candidate
        entry = _entry_from_dev_command(ctx, start, build_output)
        if entry:
            ctx.warnings.append(_dev_tool_warning(dev_tool, f"`node {entry}`"))
            ctx.reasons["start_command"] = f"the file scripts.start ({start!r}) runs, without {dev_tool}"
            return ("node", entry)
    if framework == "nextjs":
        ctx.reasons["start_command"] = "`next start` serves the .next build"
        return ("node_modules/.bin/next", "start")
    entry = _main_entry(ctx, build_output)
    if entry:
        return ("node", entry)
    ctx.warnings.append("no start script, main field or index/server file found: set start_command")
    ctx.reasons["start_command"] = "nothing found; index.js assumed"
    return ("node", "index.js")


def _dev_tool_warning(tool: str | None, instead: str) -> str:
    return (
        f"scripts.start runs {tool}, a development tool that is not installed in production "
        f"(the container would exit 127); dockgen runs {instead} instead"
    )


def _resolve_script(
    ctx: Context, script: str, name: str, depth: int
) -> tuple[tuple[str, ...] | None, str | None]:
    """A package.json script as an exec-form command, or (None, dev tool) when it cannot run in production."""
    try:
        words = shlex.split(script)
    except ValueError:
        ctx.warnings.append(f"scripts.{name}: cannot parse {script!r}")
        return None, None
    segments: list[list[str]] = [[]]
    for word in words:
        if word in ("&&", ";", "||"):
            segments.append([])
        elif word in ("|", "&") or "$(" in word or "`" in word:
            return None, None
        else:
            segments[-1].append(word)
    segments = [s for s in segments if s]
    if not segments:
        return None, None
    if len(segments) > 1:
        dropped = " && ".join(" ".join(s) for s in segments[:-1])
        ctx.warnings.append(
            f"scripts.{name} also runs `{dropped}` before the app; the image starts only the app "
            "(run the rest as a release or init step)"
        )
    command = segments[-1]
    if command[0] == "cross-env":
        command = command[1:]
    while command and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", command[0]):
        command = command[1:]
    if not command:
        return None, None
    tool, args = command[0], command[1:]
    if tool in ("npm", "pnpm", "yarn", "bun") and depth < 5:
        target = (
            args[1]
            if args[:1] == ["run"] and len(args) > 1
            else (args[0] if args and tool != "npm" else None)
        )
        if tool == "npm" and args[:1] == ["start"]:
            target = "start" if name != "start" else None
        if target and target in ctx.scripts:
            return _resolve_script(ctx, ctx.scripts[target], target, depth + 1)
        return None, None
    if tool == "node":
        return tuple(command), None
    if (
        tool in _DEV_TOOLS
        or any(a in ("--watch", "-w", "watch", "dev") for a in args[:1])
        or "--watch" in args
    ):
        tool_package = _DEV_TOOL_PACKAGES.get(tool, tool)
        if (
            tool in _DEV_TOOLS
            and tool_package in ctx.deps
            and "--watch" not in args
            and args[:1] != ["watch"]
        ):
            return (f"node_modules/.bin/{tool}", *args), None
        return None, tool
    provider: str | None = ctx.lock.bins.get(tool)
    if provider is None and tool in ctx.deps:
        provider = tool
    if provider is not None and provider in ctx.deps:
        return (f"node_modules/.bin/{tool}", *args), None
    if provider is not None:
        return None, tool
    return None, tool


def _compiled(ctx: Context, source: str, build_output: tuple[str, ...]) -> str | None:
    """The JavaScript file the build writes for a TypeScript `source`."""
    out_dir, root_dir = ctx.tsconfig()
    out_dir = out_dir or (build_output[0] if build_output else "dist")
    root_dir = root_dir or ("src" if source.startswith("src/") else "")
    rel = source[len(root_dir) + 1 :] if root_dir and source.startswith(root_dir + "/") else source
    stem, _, ext = rel.rpartition(".")
    return f"{out_dir}/{stem}.{ {'ts': 'js', 'tsx': 'js', 'mts': 'mjs', 'cts': 'cjs'}.get(ext, 'js') }"


def _entry_from_dev_command(ctx: Context, script: str, build_output: tuple[str, ...]) -> str | None:
    try:
        words = shlex.split(script)
    except ValueError:
        return None
    if (words and words[0] == "nest") or (
        "@nestjs/core" in ctx.deps and not any(w.endswith(SOURCE_SUFFIXES) for w in words)
    ):
        nest = ctx.project.read_json("nest-cli.json") if ctx.project.is_file("nest-cli.json") else None
        entry = nest.get("entryFile", "main") if isinstance(nest, dict) else "main"
        root = nest.get("sourceRoot", "src") if isinstance(nest, dict) else "src"
        return _compiled(ctx, f"{norm(str(root))}/{entry}.ts", build_output)
    for word in words:
        if word.endswith((".js", ".mjs", ".cjs")) and ctx.project.is_file(word.removeprefix("./")):
            return word.removeprefix("./")
        if word.endswith((".ts", ".mts", ".cts", ".tsx")) and ctx.project.is_file(word.removeprefix("./")):
            if ctx.scripts.get("build"):
                return _compiled(ctx, word.removeprefix("./"), build_output)
            ctx.warnings.append(f"{word} is TypeScript and there is no build script to compile it")
            return None
    return _main_entry(ctx, build_output)


def _main_entry(ctx: Context, build_output: tuple[str, ...]) -> str | None:
    main = ctx.manifest.get("main")
    if isinstance(main, str) and main.strip():
        path = norm(main)
        if path.endswith((".ts", ".mts", ".cts")):
            path = _compiled(ctx, path, build_output) or path
        elif not path.endswith((".js", ".mjs", ".cjs")) and ctx.project.is_file(path + ".js"):
            path += ".js"
        ctx.reasons.setdefault("start_command", f"main field in package.json ({main!r})")
        return path
    for candidate in _ENTRY_CANDIDATES:
        if ctx.project.is_file(candidate):
            ctx.reasons.setdefault("start_command", f"{candidate} exists (no start script or main field)")
            return candidate
    return None
