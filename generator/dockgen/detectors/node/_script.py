"""A package.json script followed to the command it runs, as sh would run it, or why there is none.

`split_script` reads the script; a command that needs a shell (a pipe, a redirection, `$VAR`...) is
refused with a warning naming the manifest and the script, never rewritten. `npm run` chains are
followed, and the variables each script sets before the app (`NODE_OPTIONS=... node server.js`,
cross-env, env, export) are collected with the name of the script that sets them.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from dockgen.detectors._shell import ShellCommand, ShellSyntaxError, split_script
from dockgen.detectors.node._context import Context
from dockgen.detectors.node._frameworks import SERVE_BINARIES

__all__ = ["Resolved", "resolve_script"]

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
#: Commands that change the shell the app starts in (its folder, its options): no exec form has that.
_SHELL_STATE = frozenset(
    {"cd", "pushd", "popd", "source", ".", "set", "unset", "export", "umask", "ulimit", "alias", "eval",
     "exec", "shift", "trap", "readonly", "local", "declare", "typeset", "hash", "wait", "shopt", "builtin"}
)  # fmt: skip
#: Package-manager options that change only what it prints.
_QUIET = frozenset({"--silent", "-s", "--quiet", "-q"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)


@dataclass(slots=True)
class Resolved:
    """A script followed to its command; `env`: NAME -> (value, the script that sets it)."""

    command: tuple[str, ...] | None = None
    dev_tool: str | None = None  # the development tool it runs instead of the app
    needs_shell: bool = False  # refused: only a shell can run it as written
    env: dict[str, tuple[str, str]] = field(default_factory=dict)


def _usable(words: list[str]) -> bool:
    """Whether the words can be arguments of the image's command (start_command's validator)."""
    return all(word and "\t" not in word and "\n" not in word for word in words)


def _show(command: ShellCommand) -> str:
    return shlex.join([*(f"{n}={v}" for n, v in command.env), *command.words])


def resolve_script(
    ctx: Context,
    script: str,
    name: str,
    depth: int,
    env: dict[str, tuple[str, str]],
    *,
    quiet: bool = False,
) -> Resolved:
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
        return Resolved(needs_shell=True, env=env)
    if not commands:
        return Resolved(env=env)
    *before, last = commands
    dropped = []
    for command in before:
        if command.words[:1] == ("export",) and all(
            _ASSIGNMENT.fullmatch(w) or _NAME.fullmatch(w) for w in command.words[1:]
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
            return Resolved(needs_shell=True, env=env)
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
            return Resolved(needs_shell=True, env=env)
    if not argv:
        return Resolved(env=env)
    if not _usable(argv):
        warnings.append(
            f"{where} ({script!r}) passes an empty argument, or a tab or line break inside quotes: "
            "dockgen does not take the start command from it (set start_command)"
        )
        return Resolved(needs_shell=True, env=env)
    tool, args = argv[0], argv[1:]
    if tool in ("npm", "pnpm", "yarn", "bun") and depth < 5:
        return _run_script(ctx, script, name, depth, env, tool, args, quiet=quiet)
    if tool == "node":
        return Resolved(command=tuple(argv), env=env)
    if tool == "pm2" and args[:1] == ["start"]:
        return _pm2(ctx, where, args[1:], env, warnings)
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
            return Resolved(command=(f"node_modules/.bin/{tool}", *args), env=env)
        return Resolved(dev_tool=tool, env=env)
    provider: str | None = ctx.lock.bins.get(tool) or SERVE_BINARIES.get(tool)
    if provider is None and tool in ctx.deps:
        provider = tool
    if provider is not None and provider in ctx.deps:
        return Resolved(command=(f"node_modules/.bin/{tool}", *args), env=env)
    return Resolved(dev_tool=tool, env=env)


def _pm2(
    ctx: Context, where: str, args: list[str], env: dict[str, tuple[str, str]], warnings: list[str]
) -> Resolved:
    """`pm2 start app.js`: pm2 daemonizes and exits, so the container runs pm2-runtime instead.

    pm2-runtime keeps pm2 in the foreground as PID 1 and passes signals on (pm2's own advice for
    containers); without pm2 in dependencies, node runs the file itself.
    """
    args = [a for a in args if a != "--no-daemon"]
    if "pm2" in ctx.deps:
        warnings.append(
            f"{where} runs `pm2 start`; the image runs pm2-runtime, pm2's command for containers "
            "(in the foreground as PID 1, signals passed on)"
        )
        return Resolved(command=("node_modules/.bin/pm2-runtime", "start", *args), env=env)
    if (
        args[:1]
        and args[0].endswith((".js", ".mjs", ".cjs"))
        and ctx.project.is_file(args[0].removeprefix("./"))
    ):
        warnings.append(
            f"{where} runs `pm2 start`, and pm2 is not in dependencies: the image runs "
            f"`node {args[0]}` (add pm2 to dependencies to run it under pm2-runtime)"
        )
        return Resolved(command=("node", args[0]), env=env)
    return Resolved(dev_tool="pm2", env=env)


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
) -> Resolved:
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
        return Resolved(env=env)
    if target not in ctx.scripts:
        return Resolved(env=env)
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
        return Resolved(needs_shell=True, env=env)
    resolved = resolve_script(ctx, ctx.scripts[target], target, depth + 1, env, quiet=quiet)
    if resolved.command is not None and extra:
        resolved.command = (*resolved.command, *extra)
    return resolved
