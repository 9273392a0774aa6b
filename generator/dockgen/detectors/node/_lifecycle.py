"""The project's own install scripts that the image's installs must not run.

`npm ci --omit=dev`, `pnpm install --prod` and `yarn install --production` run the root package's
lifecycle scripts (prepare, postinstall...). Those that call a development tool (`husky`,
`patch-package`, `svelte-kit sync`, `npm run build`...) fail there with "not found": the tool is a
devDependency, which that install leaves out. Those that run a file of the project
(`node scripts/x.js`) fail in both installs: they run before the source is copied, for the cache's
sake. Both installs skip exactly those scripts (`npm pkg delete` in their own copy of
package.json), and the build stage runs them once the source is there. Dependencies' own install
scripts (native addons) run as before. A script whose commands the image and the production
dependencies provide (`npm rebuild x`, a tool that is a dependency) is kept.
"""

from __future__ import annotations

from dockgen.detectors._shell import ShellSyntaxError, split_script
from dockgen.detectors.node._context import Context

__all__ = ["LIFECYCLE_SCRIPTS", "scripts_to_skip"]

#: The root package's scripts that npm, pnpm and Yarn run during an install, in npm's order.
LIFECYCLE_SCRIPTS = (
    "preinstall",
    "install",
    "postinstall",
    "prepublish",
    "preprepare",
    "prepare",
    "postprepare",
    "dependencies",
)
#: Commands every Node.js image has: node itself and the shell's own utilities.
_IN_EVERY_IMAGE = frozenset(
    {"node", "sh", "echo", "printf", "true", "false", ":", "exit", "test", "[", "cd", "mkdir", "cp",
     "mv", "rm", "ln", "ls", "cat", "touch", "chmod", "env"}
)  # fmt: skip
_PACKAGE_MANAGERS = frozenset({"npm", "pnpm", "yarn", "bun"})
_RUNNERS = frozenset({"npx", "pnpx"})


def scripts_to_skip(ctx: Context) -> tuple[str, ...]:
    """The lifecycle scripts of `ctx.manifest` that call a tool or a file the installs do not have.

    Sets `ctx.reasons["skip_scripts"]` to what each one runs.
    """
    skipped: list[str] = []
    why: list[str] = []
    for name in LIFECYCLE_SCRIPTS:
        script = ctx.scripts.get(name)
        if script is None:
            continue
        tool = _missing_tool(ctx, script, depth=0)
        if tool is not None:
            skipped.append(name)
            why.append(f"{name} runs {tool}")
            if tool == "patch-package":
                ctx.warnings.append(
                    f"{ctx.manifest_path}: {name} runs patch-package, which production installs leave "
                    "out: the image's production dependencies are unpatched (make patch-package a "
                    "dependency, as its README advises, to patch them)"
                )
    if skipped:
        ctx.reasons["skip_scripts"] = (
            f"{ctx.manifest_path}: {', '.join(why)}, which the installs do not have (a devDependency is "
            "left out of the production one; neither has the source yet): they skip these scripts and "
            "the build stage runs them once the source is copied"
        )
    else:
        ctx.reasons["skip_scripts"] = (
            f"{ctx.manifest_path}: no install script calls a development tool or a project file"
            if any(name in ctx.scripts for name in LIFECYCLE_SCRIPTS)
            else f"{ctx.manifest_path}: no install scripts"
        )
    return tuple(skipped)


def _missing_tool(ctx: Context, script: str, depth: int) -> str | None:
    """The first tool `script` runs that production dependencies do not provide, or None."""
    try:
        commands = split_script(script)
    except ShellSyntaxError:
        # only a shell runs it: judge it by its first word
        words = script.split()
        return _tool_missing(ctx, words[0]) if words else None
    for command in commands:
        words = list(command.words)
        while words and words[0] in ("env", "cross-env"):  # `cross-env A=1 tool`: the tool
            if words[0] == "cross-env" and (missing := _tool_missing(ctx, "cross-env")):
                return missing
            words = words[1:]
            while words and "=" in words[0] and not words[0].startswith("-"):
                words = words[1:]
        if not words:
            continue
        tool, args = words[0], words[1:]
        if tool in _RUNNERS or (tool in _PACKAGE_MANAGERS and args[:1] in (["exec"], ["dlx"], ["x"])):
            rest = [a for a in (args if tool in _RUNNERS else args[1:]) if not a.startswith("-")]
            if rest and (missing := _tool_missing(ctx, rest[0])):
                return missing
            continue
        if tool == "node":
            if script_file := _node_script(args):
                return f"{script_file} (the project's own file)"
            continue
        if tool in _PACKAGE_MANAGERS:
            missing = _package_manager_step(ctx, tool, args, depth)
            if missing:
                return missing
            continue
        if missing := _tool_missing(ctx, tool):
            return missing
    return None


def _package_manager_step(ctx: Context, tool: str, args: list[str], depth: int) -> str | None:
    """`npm run x`, `yarn x`...: the tool script x runs; other subcommands run in every image."""
    positional = [a for a in args if not a.startswith("-")]
    if not positional:
        return None
    if positional[0] in ("run", "run-script") and len(positional) > 1:
        target = positional[1]
    elif tool in ("yarn", "pnpm", "bun") and positional[0] in ctx.scripts:
        target = positional[0]
    else:
        return None  # install, rebuild, config...: the package manager itself is there
    script = ctx.scripts.get(target)
    if script is None or depth >= 5:
        return None
    return _missing_tool(ctx, script, depth + 1)


def _tool_missing(ctx: Context, tool: str) -> str | None:
    """`tool` when neither the image nor a production dependency provides it."""
    name = tool.removeprefix("./node_modules/.bin/").removeprefix("node_modules/.bin/")
    if name in _IN_EVERY_IMAGE or name.startswith("/"):
        return None
    if "/" in name:
        return f"{name} (the project's own file)"
    provider = ctx.lock.bins.get(name) or name
    if provider in ctx.deps:
        return None
    return name


def _node_script(args: list[str]) -> str | None:
    """The file `node ARGS` runs; None for inline code (`node -e`)."""
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
        elif arg in ("-e", "--eval", "-p", "--print"):
            return None
        elif arg in ("-r", "--require", "--import", "--loader"):
            skip_next = True
        elif not arg.startswith("-"):
            return arg
    return None
