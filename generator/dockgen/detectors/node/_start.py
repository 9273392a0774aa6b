"""The production start command: exec form, never a package manager, never a development tool.

A script is taken only as sh would run it (`resolve_script`), never rewritten. The variables it sets
before the app come with the command, as the `start_env` answer (ENV in the image), or are named in
a warning when an ENV line cannot hold them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockgen.detectors._base import Assumed
from dockgen.detectors._shell import ShellSyntaxError, split_script
from dockgen.detectors.node._context import SOURCE_SUFFIXES, Context, norm
from dockgen.detectors.node._script import Resolved, resolve_script

__all__ = ["Start", "find_start_command", "start_env"]

_PRODUCTION_SCRIPTS = ("start:prod", "start:production", "prod", "production", "serve")
_ENTRY_CANDIDATES = (
    "server.js", "index.js", "app.js", "main.js", "server.mjs", "index.mjs",
    "src/server.js", "src/index.js", "src/app.js", "src/main.js",
)  # fmt: skip
#: A value an ENV line holds as it is, between double quotes (copier.yml's start_env validator):
#: printable ASCII without quotes, `$`, backslash or backtick.
SAFE_ENV_VALUE = re.compile(r"[ !#%&(-\[\]-_a-~]*")


@dataclass(frozen=True, slots=True)
class Start:
    """The start command, and the variables the script sets for it (`NAME=value`, for ENV)."""

    command: tuple[str, ...]
    env: tuple[str, ...] = ()


def find_start_command(
    ctx: Context, framework: str | None, standalone: bool, build_output: tuple[str, ...]
) -> Start:
    """The command that starts the app in production, and the variables its script sets.

    scripts.start, else a production script, the file a development command runs, `next start`,
    the main field or an entry file; a refused or development script is named in a warning.
    """
    start = ctx.scripts.get("start")
    if standalone:
        ctx.reasons["start_command"] = "Next.js standalone output runs as `node server.js`"
        # scripts.start (`next start`) is not run, but the variables it gives the server are kept
        resolved = resolve_script(ctx, start, "start", 0, {}, quiet=True) if start is not None else None
        env = resolved.env if resolved is not None and not resolved.needs_shell else {}
        return Start(("node", "server.js"), start_env(ctx, env))
    if start is not None:
        resolved = resolve_script(ctx, start, "start", 0, {})
        if resolved.command is not None:
            ctx.reasons["start_command"] = f"scripts.start in {ctx.manifest_path} ({start!r})"
            return Start(resolved.command, start_env(ctx, resolved.env))
        for name in _PRODUCTION_SCRIPTS:
            if name in ctx.scripts:
                candidate = resolve_script(ctx, ctx.scripts[name], name, 0, {})
                if candidate.command is not None:
                    ctx.warnings.append(_instead_warning(ctx, resolved, f"scripts.{name}"))
                    ctx.reasons["start_command"] = (
                        f"scripts.{name} in {ctx.manifest_path} ({ctx.scripts[name]!r})"
                    )
                    return Start(candidate.command, start_env(ctx, candidate.env))
        entry = _entry_from_dev_command(ctx, start, build_output) if resolved.dev_tool else None
        if entry:
            ctx.warnings.append(_instead_warning(ctx, resolved, f"`node {entry}`"))
            ctx.reasons["start_command"] = (
                f"the file scripts.start ({start!r}) runs, without {resolved.dev_tool}"
            )
            return Start(("node", entry), start_env(ctx, resolved.env))
        if not resolved.dev_tool and not resolved.needs_shell:
            ctx.warnings.append(
                f"{ctx.manifest_path}: scripts.start ({start!r}) runs no command dockgen can start "
                "directly; it looks for the app's entry file instead"
            )
    if framework == "nextjs":
        ctx.reasons["start_command"] = "`next start` serves the .next build"
        return Start(("node_modules/.bin/next", "start"))
    entry = _main_entry(ctx, build_output)
    if entry:
        return Start(("node", entry))
    ctx.warnings.append("no start script, main field or index/server file found: set start_command")
    ctx.reasons["start_command"] = Assumed("nothing found; index.js assumed")
    return Start(("node", "index.js"))


def _instead_warning(ctx: Context, resolved: Resolved, instead: str) -> str:
    if resolved.dev_tool is None:  # (the script was refused, with its own warning)
        return f"{ctx.manifest_path}: dockgen runs {instead} instead of scripts.start"
    return (
        f"{ctx.manifest_path}: scripts.start runs {resolved.dev_tool}, a development tool that is not "
        f"installed in production (the container would exit 127); dockgen runs {instead} instead"
    )


def start_env(ctx: Context, env: dict[str, tuple[str, str]]) -> tuple[str, ...]:
    """`NAME=value` for each variable an ENV line can hold; the others are named in a warning."""
    result = []
    for name, (value, script) in env.items():
        if name == "NODE_ENV" and value == "production":
            continue  # the image sets it already
        if name != "PORT" and not SAFE_ENV_VALUE.fullmatch(value):
            ctx.warnings.append(
                f"{ctx.manifest_path}: scripts.{script} sets {name} to a value dockgen does not write "
                f"into the Dockerfile (quotes, $, backslashes or non-ASCII text): the image runs without "
                f"it; set it with docker run -e {name}=... or an ENV line of your own"
            )
            continue
        result.append(f"{name}={value}")
    names = ", ".join(item.split("=", 1)[0] for item in result if not item.startswith("PORT="))
    if names:  # (PORT becomes the port answer)
        scripts = ", ".join(dict.fromkeys(f"scripts.{script}" for _, script in env.values()))
        ctx.reasons["start_env"] = f"{scripts} in {ctx.manifest_path} sets {names} for the app"
    return tuple(result)


def _compiled(ctx: Context, source: str, build_output: tuple[str, ...]) -> str | None:
    """The JavaScript file the build writes for a TypeScript `source`."""
    out_dir, root_dir = ctx.tsconfig()
    out_dir = out_dir or (build_output[0] if build_output else "dist")
    root_dir = root_dir or ("src" if source.startswith("src/") else "")
    rel = source[len(root_dir) + 1 :] if root_dir and source.startswith(root_dir + "/") else source
    stem, _, ext = rel.rpartition(".")
    return f"{out_dir}/{stem}.{ {'ts': 'js', 'tsx': 'js', 'mts': 'mjs', 'cts': 'cjs'}.get(ext, 'js') }"


def _entry_from_dev_command(ctx: Context, script: str, build_output: tuple[str, ...]) -> str | None:
    """The file a development command runs (`nodemon src/app.js`), as production runs it."""
    try:
        commands = split_script(script)
    except ShellSyntaxError:
        return None
    words = [word for command in commands for word in command.words]
    if (commands and commands[-1].words[:1] == ("nest",)) or (
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
