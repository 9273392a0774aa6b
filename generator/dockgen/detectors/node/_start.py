"""The production start command: exec form, never a package manager, never a development tool.

A script is taken only as sh would run it (`split_script`): a command that needs a shell (a pipe,
a redirection, `$VAR`...) is refused with a warning, never rewritten. The variables a script sets
before the app (`NODE_OPTIONS=... node server.js`, cross-env, env, export) come with the command,
as the `start_env` answer (ENV in the image), or are named in a warning when they cannot.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from dockgen.detectors._shell import ShellCommand, ShellSyntaxError, split_script
from dockgen.detectors.node._context import SOURCE_SUFFIXES, Context, norm

__all__ = ["Start", "find_start_command"]

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
#: Commands that change the shell the app starts in (its folder, its options): no exec form has that.
_SHELL_STATE = frozenset(
    {"cd", "pushd", "popd", "source", ".", "set", "unset", "export", "umask", "ulimit", "alias", "eval",
     "exec", "shift", "trap", "readonly", "local", "declare", "typeset", "hash", "wait", "shopt", "builtin"}
)  # fmt: skip
#: Package-manager options that change only what it prints.
_QUIET = frozenset({"--silent", "-s", "--quiet", "-q"})
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)
#: A value an ENV line holds as it is, between double quotes (copier.yml's start_env validator):
#: printable ASCII without quotes, `$`, backslash or backtick.
SAFE_ENV_VALUE = re.compile(r"[ !#%&(-\[\]-_a-~]*")


@dataclass(frozen=True, slots=True)
class Start:
    """The start command, and the variables the script sets for it (`NAME=value`, for ENV)."""

    command: tuple[str, ...]
    env: tuple[str, ...] = ()


@dataclass(slots=True)
class _Resolved:
    """A script followed to its command; `env`: NAME -> (value, the script that sets it)."""

    command: tuple[str, ...] | None = None
    dev_tool: str | None = None  # the development tool it runs instead of the app
    needs_shell: bool = False  # refused: only a shell can run it as written
    env: dict[str, tuple[str, str]] = field(default_factory=dict)


def find_start_command(
    ctx: Context, framework: str | None, standalone: bool, build_output: tuple[str, ...]
) -> Start:
    start = ctx.scripts.get("start")
    if standalone:
        ctx.reasons["start_command"] = "Next.js standalone output runs as `node server.js`"
        env = _resolve_script(ctx, start, "start", 0, {}, quiet=True).env if start is not None else {}
        return Start(("node", "server.js"), _start_env(ctx, env))
    if start is not None:
        resolved = _resolve_script(ctx, start, "start", 0, {})
        if resolved.command is not None:
            ctx.reasons["start_command"] = f"scripts.start in {ctx.manifest_path} ({start!r})"
            return Start(resolved.command, _start_env(ctx, resolved.env))
        for name in _PRODUCTION_SCRIPTS:
            if name in ctx.scripts:
                candidate = _resolve_script(ctx, ctx.scripts[name], name, 0, {})
                if candidate.command is not None:
                    ctx.warnings.append(_instead_warning(ctx, resolved, f"scripts.{name}"))
                    ctx.reasons["start_command"] = (
                        f"scripts.{name} in {ctx.manifest_path} ({ctx.scripts[name]!r})"
                    )
                    return Start(candidate.command, _start_env(ctx, candidate.env))
        entry = _entry_from_dev_command(ctx, start, build_output) if resolved.dev_tool else None
        if entry:
            ctx.warnings.append(_instead_warning(ctx, resolved, f"`node {entry}`"))
            ctx.reasons["start_command"] = (
                f"the file scripts.start ({start!r}) runs, without {resolved.dev_tool}"
            )
            return Start(("node", entry), _start_env(ctx, resolved.env))
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
    ctx.reasons["start_command"] = "nothing found; index.js assumed"
    return Start(("node", "index.js"))


def _instead_warning(ctx: Context, resolved: _Resolved, instead: str) -> str:
    if resolved.dev_tool is None:  # (the script was refused, with its own warning)
        return f"{ctx.manifest_path}: dockgen runs {instead} instead of scripts.start"
    return (
        f"{ctx.manifest_path}: scripts.start runs {resolved.dev_tool}, a development tool that is not "
        f"installed in production (the container would exit 127); dockgen runs {instead} instead"
    )


def _start_env(ctx: Context, env: dict[str, tuple[str, str]]) -> tuple[str, ...]:
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


def _usable(words: list[str]) -> bool:
    """Whether the words can be arguments of the image's command (start_command's validator)."""
    return all(word and "\t" not in word and "\n" not in word for word in words)


def _show(command: ShellCommand) -> str:
    return shlex.join([*(f"{n}={v}" for n, v in command.env), *command.words])


def _resolve_script(
    ctx: Context,
    script: str,
    name: str,
    depth: int,
    env: dict[str, tuple[str, str]],
    *,
    quiet: bool = False,
) -> _Resolved:
    """A package.json script as an exec-form command, or why it is none (a dev tool, a shell).

    `env`: the variables the scripts that run this one set; `quiet`: no warnings (only the env is used).
    """
    warnings: list[str] = [] if quiet else ctx.warnings
    where = f"{ctx.manifest_path}: scripts.{name}"
    env = dict(env)
    try:
        commands = split_script(script)
    except ShellSyntaxError as error:
        warnings.append(
            f"{where} ({script!r}) needs a shell ({error}); the image starts the app without one, so "
            "dockgen does not take the start command from it (set start_command, or move the shell "
            "part into a file the script runs)"
        )
        return _Resolved(needs_shell=True, env=env)
    if not commands:
        return _Resolved(env=env)
    *before, last = commands
    dropped = []
    for command in before:
        if command.words[:1] == ("export",) and all(
            _ASSIGNMENT.fullmatch(w) or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", w) for w in command.words[1:]
        ):
            for word in command.words[1:]:
                if "=" in word:
                    key, value = word.split("=", 1)
                    env[key] = (value, name)
            continue
        if command.words[:1] and command.words[0] in _SHELL_STATE:
            warnings.append(
                f"{where} ({script!r}) runs `{_show(command)}` before the app, which changes the shell "
                "the app starts in: dockgen does not take the start command from it (set start_command)"
            )
            return _Resolved(needs_shell=True, env=env)
        dropped.append(command)
    if dropped:
        warnings.append(
            f"{where} also runs `{' && '.join(map(_show, dropped))}` before the app; the image starts "
            "only the app (run the rest as a release or init step)"
        )
    env |= {key: (value, name) for key, value in last.env}
    argv = list(last.words)
    # `env A=1 node x`, `cross-env A=1 node x`, `exec node x`: the command they run, with the variables
    while argv and argv[0] in ("env", "cross-env", "exec"):
        prefix = argv.pop(0)
        while prefix != "exec" and argv and (assignment := _ASSIGNMENT.fullmatch(argv[0])):
            env[assignment[1]] = (assignment[2], name)
            argv.pop(0)
        if argv and argv[0].startswith("-"):
            warnings.append(
                f"{where} ({script!r}) runs `{prefix} {argv[0]}`, which dockgen cannot carry into "
                "an exec-form command (set start_command)"
            )
            return _Resolved(needs_shell=True, env=env)
    if not argv:
        return _Resolved(env=env)
    if not _usable(argv):
        warnings.append(
            f"{where} ({script!r}) passes an empty argument, or a tab or line break inside quotes: "
            "dockgen does not take the start command from it (set start_command)"
        )
        return _Resolved(needs_shell=True, env=env)
    tool, args = argv[0], argv[1:]
    if tool in ("npm", "pnpm", "yarn", "bun") and depth < 5:
        return _run_script(ctx, script, name, depth, env, tool, args, quiet=quiet)
    if tool == "node":
        return _Resolved(command=tuple(argv), env=env)
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
            return _Resolved(command=(f"node_modules/.bin/{tool}", *args), env=env)
        return _Resolved(dev_tool=tool, env=env)
    provider: str | None = ctx.lock.bins.get(tool)
    if provider is None and tool in ctx.deps:
        provider = tool
    if provider is not None and provider in ctx.deps:
        return _Resolved(command=(f"node_modules/.bin/{tool}", *args), env=env)
    return _Resolved(dev_tool=tool, env=env)


def _run_script(
    ctx: Context,
    script: str,
    name: str,
    depth: int,
    env: dict[str, tuple[str, str]],
    tool: str,
    args: list[str],
    *,
    quiet: bool,
) -> _Resolved:
    """`npm run serve`, `yarn serve`, `npm start`...: the script it runs, followed."""
    split = args.index("--") if "--" in args else len(args)
    args = [a for a in args[:split] if a not in _QUIET] + args[split:]
    if args[:1] == ["run"] and len(args) > 1:
        target, extra = args[1], args[2:]
    elif args and tool != "npm":
        target, extra = args[0], args[1:]
    elif tool == "npm" and args[:1] == ["start"] and name != "start":
        target, extra = "start", args[1:]
    else:
        return _Resolved(env=env)
    if target not in ctx.scripts:
        return _Resolved(env=env)
    where = f"{ctx.manifest_path}: scripts.{name} ({script!r})"
    problem = None
    if extra[:1] == ["--"]:
        extra = extra[1:]
    elif extra:  # how each manager passes other arguments on differs: not guessed
        problem = f"{where} passes arguments to scripts.{target} without `--`"
    if not _usable(extra):
        problem = f"{where} passes an empty argument, or a tab or line break inside quotes"
    if problem:
        if not quiet:
            ctx.warnings.append(
                f"{problem}: dockgen does not take the start command from it (set start_command)"
            )
        return _Resolved(needs_shell=True, env=env)
    resolved = _resolve_script(ctx, ctx.scripts[target], target, depth + 1, env, quiet=quiet)
    if resolved.command is not None and extra:
        resolved.command = (*resolved.command, *extra)
    return resolved


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
