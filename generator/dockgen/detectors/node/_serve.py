"""Where the app listens and which route tells it is healthy, read from the source."""

from __future__ import annotations

import re

from dockgen.detectors._base import Assumed
from dockgen.detectors._bind import is_test_path
from dockgen.detectors._health import HEALTH_ROUTE, NO_HEALTH_ROUTE, pick_health_path
from dockgen.detectors.node._context import SOURCE_SUFFIXES, Context

__all__ = ["find_health_path", "find_port", "host_from_env"]

# No two `\s*` meet around an optional token (`\s*\)?\s*`): on a long whitespace run the engine
# would try every split of the run between them, quadratic in its length (issue 18).
_PORT_PATTERNS = (
    re.compile(r"process\.env\.PORT\s*(?:\)\s*)?(?:\|\||\?\?)\s*(?:\(\s*)?['\"]?(\d{2,5})\b"),
    re.compile(r"\.listen\(\s*(?:\{\s*port\s*:\s*)?['\"]?(\d{2,5})\b"),
    re.compile(r"\b(?:PORT|port)\s*=\s*['\"]?(\d{2,5})\b"),
    # Apollo's standalone server: startStandaloneServer(server, { listen: { port: 4000 } })
    re.compile(r"\blisten\s*:\s*\{\s*port\s*:\s*(\d{2,5})\b"),
    # `process.env.PORT ? Number(process.env.PORT) : 3333` (Nx's generators write this)
    re.compile(r"process\.env\.PORT\s*\?[^:;\n]{0,60}:\s*['\"]?(\d{2,5})\b"),
    # Hono's node-server (and Bun.serve): serve({ fetch: app.fetch, port: 8787 })
    re.compile(r"\bserve\(\s*\{[^}\n]{0,120}?\bport\s*:\s*['\"]?(\d{2,5})\b"),
    # an environment schema's default: zod `PORT: z.coerce.number().default(3001)`, Joi, yup;
    # envalid `PORT: port({ default: 3000 })`
    re.compile(r"\bPORT\s*:\s*[\w$.()]{1,60}?\.default\(\s*['\"]?(\d{2,5})\b"),
    re.compile(r"\bPORT\s*:\s*(?:port|num)\(\s*\{\s*default\s*:\s*(\d{2,5})\b"),
)


def _sources(ctx: Context, first: tuple[str, ...]) -> list[str]:
    files = [f for f in first if ctx.project.is_file(f)]
    return files + [f for f in ctx.project.files(*SOURCE_SUFFIXES, max_depth=5) if f not in files][:400]


#: a listen address read from HOST with a localhost fallback, as Nx's generators write it
_HOST_FALLBACK = re.compile(r"""process\.env\.HOST\s*(?:\|\||\?\?)\s*['"`](?:localhost|127\.0\.0\.1)['"`]""")


def host_from_env(ctx: Context, first: tuple[str, ...]) -> bool:
    """Whether the server listens on `process.env.HOST`, localhost when unset (`first`: entry files).

    In a container that default reaches nobody: the image sets HOST=0.0.0.0 (the reason says so).
    """
    for file in _sources(ctx, first):
        if is_test_path(file):
            continue
        text = ctx.project.read_source(file) or ""
        if "process.env.HOST" in text and _HOST_FALLBACK.search(text):
            ctx.reasons["start_env"] = (
                f"{file} listens on process.env.HOST, localhost when unset: the image sets HOST=0.0.0.0"
            )
            return True
    return False


#: Fastify's `listen({ port })`: the options object (group 1) of a listen call
_FASTIFY_LISTEN = re.compile(r"\.listen\([^\S\n]{0,20}\{([^{}]{0,400})\}")


def fastify_on_localhost(ctx: Context, first: tuple[str, ...]) -> str | None:
    """The file where Fastify's `listen({ port })` gives no host, or None.

    Fastify then listens on localhost only, which nothing outside the container reaches, and no
    variable changes it: the user has to add the host.
    """
    for file in _sources(ctx, first):
        if is_test_path(file):
            continue
        text = ctx.project.read_source(file) or ""
        if "fastify" not in text or ".listen(" not in text:
            continue
        for match in _FASTIFY_LISTEN.finditer(text):
            if "port" in match[1] and not re.search(r"\bhost\b", match[1]):
                return file
    return None


def find_port(ctx: Context, framework: str | None, start: tuple[str, ...]) -> int:
    if framework == "nextjs":
        ctx.reasons["port"] = "Next.js serves on 3000 unless PORT says otherwise"
        return 3000
    # the files the command runs come first, with or without an extension (express's bin/www)
    entry = tuple(a.removeprefix("./") for a in start[1:] if not a.startswith("-"))
    reads_port = False
    for file in _sources(ctx, entry):
        if is_test_path(file) and file not in entry:  # a test server's port is not the app's
            continue
        text = ctx.project.read_source(file) or ""
        reads_port = reads_port or "process.env.PORT" in text
        for pattern in _PORT_PATTERNS:
            match = pattern.search(text)
            if match and 1 <= int(match[1]) <= 65535:
                ctx.reasons["port"] = f"{file}: {match[0].strip()}"
                return int(match[1])
    if reads_port:
        ctx.reasons["port"] = "the app reads PORT; the image sets PORT=3000"
    else:
        ctx.reasons["port"] = Assumed("no port found in the code; 3000 is the Node.js convention")
        ctx.warnings.append(
            "no listening port found in the code: assuming 3000 (set port if the app uses another)"
        )
    return 3000


#: Frameworks whose routes are files: (folder, URL prefix) pairs, and the file name of a route.
_FILE_ROUTES = {
    "sveltekit": ((("src/routes", ""),), re.compile(r"(?:(.*)/)?\+server\.[a-z]+")),
    "nuxt": (
        (("server/api", "api/"), ("server/routes", "")),
        re.compile(r"(.*?)(?:\.(?:get|head))?\.[a-z]+"),
    ),
}
_FILE_ROUTES["nitro"] = _FILE_ROUTES["nuxt"]
#: Astro's endpoints: src/pages/api/health.ts serves /api/health
_FILE_ROUTES["astro"] = ((("src/pages", ""),), re.compile(r"(.*?)\.(?:[cm]?[jt]s)"))


def _file_route(framework: str, file: str) -> str | None:
    """The URL path (without its leading /) that a route file serves, or None."""
    folders, name = _FILE_ROUTES[framework]
    for folder, prefix in folders:
        if file.startswith(folder + "/"):
            match = name.fullmatch(file[len(folder) + 1 :])
            if match:
                parts = [p for p in (match[1] or "").split("/") if p and not p.startswith("(")]
                route = prefix + "/".join(parts)
                return route.removesuffix("/index").removesuffix("index")
    return None


def find_health_path(ctx: Context, framework: str | None) -> str | None:
    found: dict[str, str] = {}
    if framework == "nextjs":
        for root in ("app", "src/app", "pages", "src/pages"):
            if not ctx.project.is_dir(root):
                continue
            for file in ctx.project.files(*SOURCE_SUFFIXES, max_depth=6):
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
    if framework in _FILE_ROUTES:
        for file in ctx.project.files(*SOURCE_SUFFIXES, max_depth=6):
            file_route = _file_route(framework, file)
            if file_route is not None and re.fullmatch(HEALTH_ROUTE, file_route):
                found.setdefault("/" + file_route, file)
    if framework in ("react-router", "remix"):
        # app/routes.ts: route("healthz", "routes/healthz.ts"); flat routes: app/routes/api.health.ts
        for file in ctx.project.files(*SOURCE_SUFFIXES, max_depth=4):
            if file.startswith("app/routes."):
                text = ctx.project.read_source(file) or ""
                for match in re.finditer(rf"""\broute\(\s*['"`]/?({HEALTH_ROUTE})/?['"`]""", text):
                    found.setdefault("/" + match[1], file)
            elif file.startswith("app/routes/") and file.count("/") == 2:
                stem = file[len("app/routes/") :].rsplit(".", 1)[0].replace(".", "/")
                if re.fullmatch(HEALTH_ROUTE, stem):
                    found.setdefault("/" + stem, file)
    prefix = ""
    for file in _sources(ctx, ()):
        if is_test_path(file):  # a route a test asks for may be one the app does not serve
            continue
        text = ctx.project.read_source(file) or ""
        for match in re.finditer(rf"""['"`](/{HEALTH_ROUTE})/?['"`]""", text):
            found.setdefault(match[1], file)
        if framework == "nestjs":
            global_prefix = re.search(r"""setGlobalPrefix\(\s*['"`]/?([\w-]+)/?['"`]""", text)
            if global_prefix:
                prefix = "/" + global_prefix[1]
            controller = re.search(r"""@Controller\(\s*['"`]/?([\w/-]*?)/?['"`]\s*\)""", text)
            if controller:
                for get in re.finditer(r"""@Get\(\s*(?:['"`]/?([\w/-]*?)/?['"`]\s*)?\)""", text):
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
