"""Static sites: a front-end whose build writes files a web server serves, with no Node.js server.

Vite (React, Vue, Svelte, Solid, Preact...), Create React App, Angular, Vue CLI, Astro (static
output), SvelteKit with adapter-static, Gatsby and Next.js with `output: 'export'`. An app with a
server framework (express, fastify, nest...) or a server-side adapter is not static.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from dockgen.detectors._base import Assumed
from dockgen.detectors._comments import read_config
from dockgen.detectors.node._context import Context, read_jsonc

__all__ = [
    "BUILD_BINARIES",
    "STATIC_HEALTH_PATH",
    "STATIC_PORT",
    "STATIC_START",
    "StaticSite",
    "config_file",
    "find_static_site",
    "plain_folder",
]

#: What the generated nginx configuration serves, and how nginx starts.
STATIC_PORT = 8080
STATIC_HEALTH_PATH = "/healthz"
STATIC_START = ("nginx", "-g", "daemon off;")

_OUT_DIR = re.compile(r"""\boutDir\s*:\s*['"`]([^'"`]+)['"`]""")
_SERVER_ADAPTERS = ("@astrojs/node", "@astrojs/vercel", "@astrojs/netlify", "@astrojs/cloudflare")
#: Frameworks that build with Vite but render on a server.
_SSR = frozenset(
    {
        "nuxt",
        "@remix-run/node",
        "@remix-run/serve",
        "@react-router/node",
        "@react-router/serve",
        "@solidjs/start",
        "@builder.io/qwik-city",
        "@tanstack/react-start",
        "@tanstack/solid-start",
        "nitropack",
        "nitro",
        "@adonisjs/core",
        "vike",
        "@analogjs/platform",
    }
)
#: The command that builds each framework's site, for a package.json without scripts.build.
BUILD_BINARIES = {
    "vite": ("vite", "build"),
    "sveltekit": ("vite", "build"),
    "astro": ("astro", "build"),
    "gatsby": ("gatsby", "build"),
    "angular": ("ng", "build"),
    "create-react-app": ("react-scripts", "build"),
    "vue-cli": ("vue-cli-service", "build"),
    "nextjs": ("next", "build"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class StaticSite:
    """A static front-end: its framework, the folder its build writes, and why."""

    framework: str
    output: str
    reason: str
    output_reason: str


def config_file(ctx: Context, stem: str) -> tuple[str, str] | None:
    """(file, text without comments) of the first `<stem>.config.{js,mjs,cjs,ts,mts}` in the project."""
    for ext in ("js", "mjs", "cjs", "ts", "mts"):
        name = f"{stem}.config.{ext}"
        if ctx.project.is_file(name):
            return name, read_config(ctx.project, name) or ""
    return None


def plain_folder(folder: str) -> str | None:
    folder = folder.strip().removeprefix("./").rstrip("/")
    parts = folder.split("/")
    ok = folder and all(p and p not in (".", "..") and re.fullmatch(r"[A-Za-z0-9_.@+-]+", p) for p in parts)
    return folder if ok else None


def _vite(ctx: Context) -> StaticSite:
    flavour = next(
        (
            name
            for package, name in (
                ("react", "react"),
                ("vue", "vue"),
                ("svelte", "svelte"),
                ("solid-js", "solid"),
                ("preact", "preact"),
                ("lit", "lit"),
            )
            if package in ctx.deps | ctx.dev_deps
        ),
        None,
    )
    found = config_file(ctx, "vite")
    match = _OUT_DIR.search(found[1]) if found else None
    folder = plain_folder(match[1]) if match else None
    if match and not folder and found:
        ctx.warnings.append(
            f"{found[0]}: build.outDir {match[1]!r} is not a folder inside the project; "
            "dockgen serves dist/ (set build_output to the folder the build writes)"
        )
    output_reason = f"build.outDir in {found[0]}" if folder and found else "Vite's default outDir"
    return StaticSite(
        framework="vite",
        output=folder or "dist",
        reason=f"vite{f' ({flavour})' if flavour else ''} builds a static front-end (no server)",
        output_reason=output_reason,
    )


def _angular(ctx: Context) -> StaticSite | None:
    data: Any = None
    try:
        data = read_jsonc(ctx.project, "angular.json", ctx.shown("angular.json"))
    except json.JSONDecodeError as error:
        ctx.warnings.append(
            f"{ctx.shown('angular.json')}: cannot parse ({error}); build output assumed in dist/"
        )
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, dict) or not projects:
        return StaticSite(
            framework="angular",
            output="dist",
            reason="@angular/core without a readable angular.json",
            output_reason=Assumed("assumed dist/"),
        )
    name = data.get("defaultProject") if isinstance(data.get("defaultProject"), str) else None
    name = name if name in projects else next(iter(projects))
    build = (((projects.get(name) or {}).get("architect") or {}).get("build")) or {}
    if not isinstance(build, dict):
        build = {}
    options: dict[str, Any] = build["options"] if isinstance(build.get("options"), dict) else {}
    builder = str(build.get("builder", ""))
    output = options.get("outputPath")
    if isinstance(output, dict):  # {"base": "dist/app", "browser": ""}
        base = plain_folder(str(output.get("base", ""))) or f"dist/{name}"
        browser = output.get("browser", "browser")
        folder = f"{base}/{browser}".rstrip("/") if isinstance(browser, str) and browser else base
    else:
        base = (plain_folder(output) if isinstance(output, str) else None) or f"dist/{name}"
        # the application builder (Angular 17+) writes the browser files under browser/
        folder = f"{base}/browser" if builder.endswith(":application") else base
    if "server" in options or options.get("ssr"):
        return None  # server-side rendering: a Node.js server, not a static site
    declared = options.get("index")
    index = declared if isinstance(declared, str) else "src/index.html"
    page = ctx.project.read_source(index) if ctx.project.is_file(index) else None
    if page and "fonts.googleapis.com" in page:
        ctx.warnings.append(
            f"{index} links Google Fonts, and `ng build` inlines that stylesheet: the build needs to "
            "reach fonts.googleapis.com (or set optimization.fonts.inline to false in angular.json)"
        )
    return StaticSite(
        framework="angular",
        output=plain_folder(folder) or "dist",
        reason=f"@angular/core and angular.json (project {name}); no server in dependencies",
        output_reason=f"angular.json: the outputPath of {name}'s build ({builder or 'builder'})",
    )


def find_static_site(ctx: Context, servers: set[str]) -> StaticSite | None:
    """The static front-end this package builds, or None (a server, or not a front-end)."""
    every = ctx.deps | ctx.dev_deps
    if servers & ctx.deps or _SSR & every:
        return None
    if "next" in every:
        found = config_file(ctx, "next")
        if found and re.search(r"""\boutput\s*:\s*['"`]export['"`]""", found[1]):
            return StaticSite(
                framework="nextjs",
                output="out",
                reason=f"Next.js with output: 'export' in {found[0]}: a static export",
                output_reason="next build writes the export to out/",
            )
        return None
    if "astro" in every:
        found = config_file(ctx, "astro")
        text = found[1] if found else ""
        if re.search(r"""\boutput\s*:\s*['"`]server['"`]""", text) or any(
            a in every for a in _SERVER_ADAPTERS
        ):
            return None
        match = _OUT_DIR.search(text)
        folder = plain_folder(match[1]) if match else None
        return StaticSite(
            framework="astro",
            output=folder or "dist",
            reason="astro with static output (no server adapter)",
            output_reason=f"outDir in {found[0]}" if folder and found else "Astro's default outDir",
        )
    if "@sveltejs/kit" in every:
        if "@sveltejs/adapter-static" not in every:
            return None
        found = config_file(ctx, "svelte")
        match = re.search(r"""\bpages\s*:\s*['"`]([^'"`]+)['"`]""", found[1]) if found else None
        folder = plain_folder(match[1]) if match else None
        return StaticSite(
            framework="sveltekit",
            output=folder or "build",
            reason="SvelteKit with @sveltejs/adapter-static",
            output_reason=f"pages in {found[0]}"
            if folder and found
            else "adapter-static's default pages folder",
        )
    if "gatsby" in every:
        return StaticSite(
            framework="gatsby",
            output="public",
            reason="gatsby builds a static site",
            output_reason="gatsby build writes public/",
        )
    if "@angular/core" in every:
        return _angular(ctx)
    if "react-scripts" in every:
        return StaticSite(
            framework="create-react-app",
            output="build",
            reason="react-scripts (Create React App) builds a static front-end",
            output_reason="react-scripts build writes build/",
        )
    if "@vue/cli-service" in every:
        found = config_file(ctx, "vue")
        match = re.search(r"""\boutputDir\s*:\s*['"`]([^'"`]+)['"`]""", found[1]) if found else None
        folder = plain_folder(match[1]) if match else None
        return StaticSite(
            framework="vue-cli",
            output=folder or "dist",
            reason="@vue/cli-service builds a static front-end",
            output_reason=f"outputDir in {found[0]}" if folder and found else "Vue CLI's default outputDir",
        )
    if "vite" in every:
        return _vite(ctx)
    return None
