"""The app itself: framework, build step, production start command, port and health route."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from dockgen._project import Project
from dockgen.detectors._health import HEALTH_ROUTE, NO_HEALTH_ROUTE, pick_health_path
from dockgen.detectors.node._lock import LockInfo

__all__ = ["App", "detect_app"]

#: Plain server frameworks, in the order dockgen names them when several are installed.
_SERVERS = {
    "@nestjs/core": "nestjs",
    "fastify": "fastify",
    "express": "express",
    "koa": "koa",
    "@hapi/hapi": "hapi",
    "hapi": "hapi",
}
#: Binaries that only belong in development: watchers, TypeScript runners, dev servers.
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
_SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_PORT_PATTERNS = (
    re.compile(r"process\.env\.PORT\s*\)?\s*(?:\|\||\?\?)\s*\(?\s*['\"]?(\d{2,5})\b"),
    re.compile(r"\.listen\(\s*(?:\{\s*port\s*:\s*)?['\"]?(\d{2,5})\b"),
    re.compile(r"\b(?:PORT|port)\s*=\s*['\"]?(\d{2,5})\b"),
)


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


def jsonc_loads(text: str) -> Any:
    """Parse JSON with comments and trailing commas (tsconfig.json, bun.lock)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", "".join(out)))


class _Context:
    """Shared inputs of the functions below."""

    def __init__(self, project: Project, manifest: dict[str, Any], pm: str, lock: LockInfo) -> None:
        self.project = project
        self.manifest = manifest
        self.pm = pm
        self.lock = lock
        scripts = manifest.get("scripts")
        self.scripts: dict[str, str] = (
            {k: v for k, v in scripts.items() if isinstance(v, str)} if isinstance(scripts, dict) else {}
        )
        self.deps = set(_names(manifest.get("dependencies")))
        self.dev_deps = set(_names(manifest.get("devDependencies"))) - self.deps
        self.warnings: list[str] = []
        self.reasons: dict[str, str] = {}

    def tsconfig(self) -> tuple[str | None, str]:
        """(outDir, rootDir) of the tsconfig the build uses."""
        build = self.scripts.get("build", "")
        match = re.search(r"(?:-p|--project)\s+(\S+)", build)
        path = match[1].removeprefix("./") if match else "tsconfig.json"
        options: dict[str, Any] = {}
        for _ in range(3):  # follow relative `extends` a couple of levels
            text = self.project.read_text(path) if self.project.is_file(path) else None
            if text is None:
                break
            try:
                config = jsonc_loads(text)
            except ValueError:
                self.warnings.append(f"{path}: cannot parse; build output assumed in dist/")
                break
            own = config.get("compilerOptions") if isinstance(config, dict) else None
            options = {**(own if isinstance(own, dict) else {}), **options}
            parent = config.get("extends") if isinstance(config, dict) else None
            if not (isinstance(parent, str) and parent.startswith(".")):
                break
            path = _join(_dirname(path), parent if parent.endswith(".json") else parent + ".json")
        out_dir = options.get("outDir")
        root_dir = options.get("rootDir")
        return (
            _norm(out_dir) if isinstance(out_dir, str) else None,
            _norm(root_dir) if isinstance(root_dir, str) else "",
        )


def _names(section: Any) -> list[str]:
    return [k for k in section if isinstance(k, str)] if isinstance(section, dict) else []


def _norm(path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def _dirname(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _join(base: str, rel: str) -> str:
    return _norm(f"{base}/{rel}" if base else rel)


def detect_app(project: Project, manifest: dict[str, Any], pm: str, lock: LockInfo) -> App:
    """Everything about how the app is built, started and probed."""
    ctx = _Context(project, manifest, pm, lock)
    framework = _framework(ctx)
    standalone = framework == "nextjs" and _next_standalone(ctx)
    build_command, build_output = _build(ctx, framework, standalone)
    start = _start_command(ctx, framework, standalone, build_output)
    port = _port(ctx, framework, start)
    health = _health_path(ctx, framework)
    return App(
        framework=framework,
        build_command=build_command,
        build_output=build_output,
        start_command=start,
        port=port,
        health_path=health,
        next_standalone=standalone,
        reasons=ctx.reasons,
        warnings=tuple(ctx.warnings),
    )


# ---- framework and build ----------------------------------------------------------------------
def _framework(ctx: _Context) -> str | None:
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


def _next_standalone(ctx: _Context) -> bool:
    configs = ("next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts")
    for config in configs:
        text = ctx.project.read_text(config) if ctx.project.is_file(config) else None
        if text and re.search(r"""\boutput\s*:\s*['"`]standalone['"`]""", text):
            ctx.reasons["next_standalone"] = f"output: 'standalone' in {config}"
            return True
    ctx.reasons["next_standalone"] = "no output: 'standalone' in next.config"
    return False


def _run(ctx: _Context, script: str) -> tuple[str, ...]:
    return (ctx.pm, "run", script)


def _build(
    ctx: _Context, framework: str | None, standalone: bool
) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    if "build" not in ctx.scripts:
        if framework == "nextjs":
            ctx.warnings.append("package.json has no build script; a Next.js app needs `next build`")
        return None, ()
    command = _run(ctx, "build")
    ctx.reasons["build_command"] = f"scripts.build in package.json ({ctx.scripts['build']!r})"
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


# ---- start command ------------------------------------------------------------------------------
def _start_command(
    ctx: _Context, framework: str | None, standalone: bool, build_output: tuple[str, ...]
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
    ctx: _Context, script: str, name: str, depth: int
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


def _compiled(ctx: _Context, source: str, build_output: tuple[str, ...]) -> str | None:
    """The JavaScript file the build writes for a TypeScript `source`."""
    out_dir, root_dir = ctx.tsconfig()
    out_dir = out_dir or (build_output[0] if build_output else "dist")
    root_dir = root_dir or ("src" if source.startswith("src/") else "")
    rel = source[len(root_dir) + 1 :] if root_dir and source.startswith(root_dir + "/") else source
    stem, _, ext = rel.rpartition(".")
    return f"{out_dir}/{stem}.{ {'ts': 'js', 'tsx': 'js', 'mts': 'mjs', 'cts': 'cjs'}.get(ext, 'js') }"


def _entry_from_dev_command(ctx: _Context, script: str, build_output: tuple[str, ...]) -> str | None:
    try:
        words = shlex.split(script)
    except ValueError:
        return None
    if (words and words[0] == "nest") or (
        "@nestjs/core" in ctx.deps and not any(w.endswith(_SOURCE_SUFFIXES) for w in words)
    ):
        nest = ctx.project.read_json("nest-cli.json") if ctx.project.is_file("nest-cli.json") else None
        entry = nest.get("entryFile", "main") if isinstance(nest, dict) else "main"
        root = nest.get("sourceRoot", "src") if isinstance(nest, dict) else "src"
        return _compiled(ctx, f"{_norm(str(root))}/{entry}.ts", build_output)
    for word in words:
        if word.endswith((".js", ".mjs", ".cjs")) and ctx.project.is_file(word.removeprefix("./")):
            return word.removeprefix("./")
        if word.endswith((".ts", ".mts", ".cts", ".tsx")) and ctx.project.is_file(word.removeprefix("./")):
            if ctx.scripts.get("build"):
                return _compiled(ctx, word.removeprefix("./"), build_output)
            ctx.warnings.append(f"{word} is TypeScript and there is no build script to compile it")
            return None
    return _main_entry(ctx, build_output)


def _main_entry(ctx: _Context, build_output: tuple[str, ...]) -> str | None:
    main = ctx.manifest.get("main")
    if isinstance(main, str) and main.strip():
        path = _norm(main)
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


# ---- port and health ---------------------------------------------------------------------------
def _sources(ctx: _Context, first: tuple[str, ...]) -> list[str]:
    files = [f for f in first if ctx.project.is_file(f)]
    return files + [f for f in ctx.project.files(*_SOURCE_SUFFIXES, max_depth=5) if f not in files][:400]


def _port(ctx: _Context, framework: str | None, start: tuple[str, ...]) -> int:
    if framework == "nextjs":
        ctx.reasons["port"] = "Next.js serves on 3000 unless PORT says otherwise"
        return 3000
    # the files the command runs come first, with or without an extension (express's bin/www)
    entry = tuple(a.removeprefix("./") for a in start[1:] if not a.startswith("-"))
    reads_port = False
    for file in _sources(ctx, entry):
        text = ctx.project.read_text(file, limit=512 * 1024) or ""
        reads_port = reads_port or "process.env.PORT" in text
        for pattern in _PORT_PATTERNS:
            match = pattern.search(text)
            if match and 1 <= int(match[1]) <= 65535:
                ctx.reasons["port"] = f"{file}: {match[0].strip()}"
                return int(match[1])
    if reads_port:
        ctx.reasons["port"] = "the app reads PORT; the image sets PORT=3000"
    else:
        ctx.reasons["port"] = "no port found in the code; 3000 is the Node.js convention"
        ctx.warnings.append(
            "no listening port found in the code: assuming 3000 (set port if the app uses another)"
        )
    return 3000


def _health_path(ctx: _Context, framework: str | None) -> str | None:
    found: dict[str, str] = {}
    if framework == "nextjs":
        for root in ("app", "src/app", "pages", "src/pages"):
            if not ctx.project.is_dir(root):
                continue
            for file in ctx.project.files(*_SOURCE_SUFFIXES, max_depth=6):
                if not file.startswith(root + "/"):
                    continue
                rel = file[len(root) + 1 :]
                route = (
                    re.sub(r"(^|/)(route|index)\.[a-z]+$", "", rel)
                    if root.endswith("app")
                    else rel.rsplit(".", 1)[0]
                )
                if root.endswith("app") and not re.search(r"(^|/)route\.[a-z]+$", rel):
                    continue
                route = "/".join(p for p in route.split("/") if not p.startswith("("))
                if re.fullmatch(HEALTH_ROUTE, route):
                    found.setdefault("/" + route, file)
    prefix = ""
    for file in _sources(ctx, ()):
        text = ctx.project.read_text(file, limit=512 * 1024) or ""
        for match in re.finditer(rf"""['"`](/{HEALTH_ROUTE})/?['"`]""", text):
            found.setdefault(match[1], file)
        if framework == "nestjs":
            global_prefix = re.search(r"""setGlobalPrefix\(\s*['"`]/?([\w-]+)/?['"`]""", text)
            if global_prefix:
                prefix = "/" + global_prefix[1]
            controller = re.search(r"""@Controller\(\s*['"`]/?([\w/-]*?)/?['"`]\s*\)""", text)
            if controller:
                for get in re.finditer(r"""@Get\(\s*(?:['"`]/?([\w/-]*?)/?['"`])?\s*\)""", text):
                    route = "/".join(p for p in (controller[1], get[1] or "") if p)
                    if re.fullmatch(HEALTH_ROUTE, route):
                        found.setdefault("/" + route, file)
    best = pick_health_path(found)
    if best is None:
        ctx.reasons["health_path"] = NO_HEALTH_ROUTE
        return None
    path = prefix + best if prefix and not best.startswith(prefix + "/") and framework == "nestjs" else best
    ctx.reasons["health_path"] = f"{found[best]} declares {path}"
    return path
