"""Server-rendering frameworks: what each one builds, and how its build output starts.

One row a framework (issue 12, class 5). fly.io's @flydotio/dockerfile knows Next.js, Nuxt, Remix,
SvelteKit, Astro (@astrojs/node), AdonisJS, NestJS, Gatsby and Vite; this table adds React Router 7,
SolidStart, Analog, TanStack Start and plain Nitro, and the Next.js, NestJS and static-site cases
live in their own modules. A row is found by its marker packages (in dependencies or
devDependencies); the first row that matches wins, so more specific rows come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from dockgen.detectors.node._context import Context
from dockgen.detectors.node._static import config_file, plain_folder

__all__ = ["FRAMEWORKS", "SERVE_BINARIES", "ServerFramework", "find_framework"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerFramework:
    """A framework whose build writes a server, and how the image runs that server."""

    name: str
    #: any of these packages (dependencies or devDependencies) says the app uses it
    markers: tuple[str, ...]
    #: the build, when package.json has no scripts.build: a binary of node_modules/.bin and its args
    build: tuple[str, ...]
    #: the folders the build writes that the runtime needs
    output: tuple[str, ...]
    #: the production start command (relative to the app's folder)
    start: tuple[str, ...]
    port: int
    #: variables the server needs in a container (it listens on localhost otherwise)
    env: tuple[str, ...] = ()
    #: the build output runs alone: it bundles or traces its dependencies (Nitro's .output)
    self_contained: bool = False
    #: the reason shown for the build output and the start command
    note: str


_NITRO_START = ("node", ".output/server/index.mjs")
_NITRO_NOTE = "Nitro writes a self-contained server to .output (its dependencies traced into it)"

FRAMEWORKS: tuple[ServerFramework, ...] = (
    ServerFramework(
        name="sveltekit",
        markers=("@sveltejs/adapter-node",),
        build=("vite", "build"),
        output=("build",),
        start=("node", "build/index.js"),  # `node build` would run a build.js or build.json first
        port=3000,
        note="@sveltejs/adapter-node writes a Node.js server to build/ (it imports the production "
        "dependencies)",
    ),
    ServerFramework(
        name="nuxt",
        markers=("nuxt", "nuxt3"),
        build=("nuxt", "build"),
        output=(".output",),
        start=_NITRO_START,
        port=3000,
        self_contained=True,
        note=f"Nuxt 3+: {_NITRO_NOTE}",
    ),
    ServerFramework(
        name="solidstart",
        markers=("@solidjs/start",),
        build=("vinxi", "build"),
        output=(".output",),
        start=_NITRO_START,
        port=3000,
        self_contained=True,
        note=f"SolidStart: {_NITRO_NOTE}",
    ),
    ServerFramework(
        name="analog",
        markers=("@analogjs/platform",),
        build=("vite", "build"),
        output=("dist/analog",),
        start=("node", "dist/analog/server/index.mjs"),
        port=3000,
        self_contained=True,
        note="Analog: Nitro writes a self-contained server to dist/analog",
    ),
    ServerFramework(
        name="tanstack-start",
        markers=("@tanstack/react-start", "@tanstack/solid-start"),
        build=("vite", "build"),
        output=(".output",),
        start=_NITRO_START,
        port=3000,
        self_contained=True,
        note=f"TanStack Start: {_NITRO_NOTE}",
    ),
    ServerFramework(
        name="react-router",
        markers=("@react-router/serve",),
        build=("react-router", "build"),
        output=("build",),
        start=("node_modules/.bin/react-router-serve", "./build/server/index.js"),
        port=3000,
        note="React Router 7 (framework mode) builds build/server and build/client; "
        "react-router-serve serves them",
    ),
    ServerFramework(
        name="remix",
        markers=("@remix-run/serve",),
        build=("remix", "build"),
        output=("build", "public/build"),
        start=("node_modules/.bin/remix-serve", "./build/index.js"),
        port=3000,
        note="Remix builds build/ (and public/build); remix-serve serves them",
    ),
    ServerFramework(
        name="astro",
        markers=("@astrojs/node",),
        build=("astro", "build"),
        output=("dist",),
        start=("node", "./dist/server/entry.mjs"),
        port=4321,
        env=("HOST=0.0.0.0",),
        note="@astrojs/node in standalone mode writes its server to dist/server/entry.mjs",
    ),
    ServerFramework(
        name="adonisjs",
        markers=("@adonisjs/core",),
        build=("node", "ace", "build"),
        output=("build",),
        start=("node", "build/bin/server.js"),
        port=3333,
        env=("HOST=0.0.0.0",),
        note="AdonisJS 6 compiles to build/ and starts build/bin/server.js",
    ),
    ServerFramework(
        name="nitro",
        markers=("nitropack", "nitro"),
        build=("nitro", "build"),
        output=(".output",),
        start=_NITRO_START,
        port=3000,
        self_contained=True,
        note=_NITRO_NOTE,
    ),
)

#: The serve binaries of the table's start commands, by the package that installs them (the start
#: script names `react-router-serve`; without a lockfile, nothing else says which package has it).
SERVE_BINARIES = {"react-router-serve": "@react-router/serve", "remix-serve": "@remix-run/serve"}

#: Adapters that deploy to a platform rather than write a Node.js server, and the one-line fix.
_SVELTEKIT_FIX = (
    "replace it with @sveltejs/adapter-node (npm i -D @sveltejs/adapter-node, then "
    "`import adapter from '@sveltejs/adapter-node'` in {config}); the image runs `node build/index.js`"
)
_ASTRO_FIX = (
    "use @astrojs/node in standalone mode (npx astro add node, then adapter: node({{ mode: "
    "'standalone' }}) in {config}); the image runs `node ./dist/server/entry.mjs`"
)
_ASTRO_PLATFORM = ("@astrojs/vercel", "@astrojs/netlify", "@astrojs/cloudflare", "@astrojs/deno")


def _nuxt2(manifest: dict[str, Any]) -> bool:
    """Nuxt 2 (`nuxt start` of .nuxt, not Nitro's .output): its version range says 2."""
    for section in ("dependencies", "devDependencies"):
        deps = manifest.get(section)
        spec = deps.get("nuxt") if isinstance(deps, dict) else None
        if isinstance(spec, str) and re.match(r"\s*[~^=v]*\s*2(\.|\s*$)", spec):
            return True
    return False


def find_framework(ctx: Context) -> tuple[ServerFramework, str] | None:
    """The table's row for the app, with the reason; warnings for adapters that write no server."""
    every = ctx.deps | ctx.dev_deps
    if "@sveltejs/kit" in every:
        return _sveltekit(ctx, every)
    for row in FRAMEWORKS:
        marker = next((m for m in row.markers if m in every), None)
        if marker is None or (row.name == "nuxt" and _nuxt2(ctx.manifest)):
            continue
        if row.name == "astro":
            _astro_mode(ctx)
        section = "dependencies" if marker in ctx.deps else "devDependencies"
        return row, f"{marker} in {section}"
    if "astro" in every:
        found = config_file(ctx, "astro")
        platform = next((a for a in _ASTRO_PLATFORM if a in every), None)
        if platform:
            config = found[0] if found else "astro.config.mjs"
            ctx.warnings.append(
                f"{ctx.manifest_path}: {platform} builds for its platform, not a Node.js server: "
                + _ASTRO_FIX.format(config=config)
            )
            return _row("astro"), f"astro with {platform} (a platform adapter)"
    return None


def _row(name: str) -> ServerFramework:
    return next(row for row in FRAMEWORKS if row.name == name)


def _sveltekit(ctx: Context, every: set[str]) -> tuple[ServerFramework, str]:
    """SvelteKit: adapter-node's server; any other adapter gets the one-line fix."""
    row = _row("sveltekit")
    found = config_file(ctx, "svelte")
    config = found[0] if found else "svelte.config.js"
    text = found[1] if found else ""
    imported = re.findall(r"""['"](@sveltejs/adapter-[a-z-]+|svelte-adapter-[a-z-]+)['"]""", text)
    adapter = (
        imported[0]
        if imported
        else next((p for p in sorted(every) if p.startswith("@sveltejs/adapter-")), None)
    )
    if adapter != "@sveltejs/adapter-node":
        what = f"{config} uses {adapter}" if adapter else f"no SvelteKit adapter found in {config}"
        ctx.warnings.append(
            f"{what}, which writes no Node.js server for a container: " + _SVELTEKIT_FIX.format(config=config)
        )
        return row, f"@sveltejs/kit ({adapter or 'no adapter'}; the image expects adapter-node's build/)"
    out = re.search(r"""\bout\s*:\s*['"`]([^'"`]+)['"`]""", text)
    folder = plain_folder(out[1]) if out else None
    if folder and folder != "build":
        ctx.reasons["build_output"] = f"adapter-node's out option in {config} ({folder})"
        row = replace(row, output=(folder,), start=("node", f"{folder}/index.js"))
    where = f"imported in {config}" if imported else "in devDependencies"
    return row, f"@sveltejs/kit with @sveltejs/adapter-node ({where})"


def _astro_mode(ctx: Context) -> None:
    found = config_file(ctx, "astro")
    if found and re.search(r"""\bmode\s*:\s*['"`]middleware['"`]""", found[1]):
        ctx.warnings.append(
            f"{found[0]}: @astrojs/node in middleware mode writes a handler for your own server, not a "
            "server: set mode: 'standalone', or set start_command to the server that mounts it"
        )
