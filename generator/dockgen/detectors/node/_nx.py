"""Nx workspaces at the root (integrated repos): the apps declared by project.json files.

An integrated Nx repository keeps one package.json (and one lockfile) at the root and declares
each project in its own `project.json`; `nx run <project>:build` writes the app to `dist/...`.
A package-based Nx repository (npm, pnpm or Yarn workspaces) is a workspace: its apps have their
own package.json and build scripts, and the workspace code handles them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from dockgen._project import Project
from dockgen.detectors.node._workspace import SAFE_NAME
from dockgen.errors import AmbiguousProjectError, InputError

__all__ = ["NxApp", "choose_nx_app", "read_nx_apps"]

#: `serve` executors that run a built Node.js program (the app is a server, not a web page)
_NODE_SERVE = frozenset(
    {"@nx/js:node", "@nrwl/js:node", "@nx/node:execute", "@nrwl/node:execute", "@nrwl/node:node"}
)
#: build executors that compile file by file: `<outputPath>/<main relative to the project root>.js`
_COMPILERS = frozenset({"@nx/js:tsc", "@nrwl/js:tsc", "@nx/js:swc", "@nrwl/js:swc"})
#: executors of a Node.js program whatever their `serve` target says
_NODE_BUILDS = frozenset({"@nx/node:build", "@nrwl/node:build", "@nx/node:webpack", "@nrwl/node:webpack"})

#: build executors of web pages (a static site nginx serves); Angular's application builders write
#: the pages to `<outputPath>/browser` unless outputPath says otherwise
_ANGULAR = frozenset(
    {
        "@nx/angular:application",
        "@angular-devkit/build-angular:application",
        "@angular/build:application",
    }
)
_WEB_BUILDS = _ANGULAR | frozenset(
    {
        "@nx/angular:browser-esbuild",
        "@nx/angular:webpack-browser",
        "@angular-devkit/build-angular:browser",
        "@angular-devkit/build-angular:browser-esbuild",
        "@nx/vite:build",
        "@nrwl/vite:build",
        "@nx/webpack:webpack",
        "@nrwl/webpack:webpack",
        "@nx/rspack:rspack",
    }
)

_PATH = re.compile(r"[A-Za-z0-9_@+][A-Za-z0-9_.@+-]*(/[A-Za-z0-9_@+][A-Za-z0-9_.@+-]*)*")
#: the output folder a webpack/esbuild config names (Nx 18+ infers the build target from it)
_CONFIG_OUTPUT = re.compile(
    r"""(?:outputPath\s*:\s*|path\s*:\s*(?:join|resolve)\(\s*__dirname\s*,\s*)['"`]([^'"`\n]{1,200})['"`]"""
)
_CONFIG_MAIN = re.compile(r"""\bmain\s*:\s*['"`]([^'"`\n]{1,200})['"`]""")
_CONFIG_NODE = re.compile(r"""\btarget\s*:\s*['"`]node['"`]""")


@dataclass(frozen=True, slots=True, kw_only=True)
class NxApp:
    """One app of an Nx workspace: a Node.js server, or web pages (`static`)."""

    name: str  # the project name `nx run` takes
    root: str  # its folder
    output: str  # where its build writes, from the repository root
    entry: str  # the file `node` starts, from the repository root ("" for web pages)
    source: str | None  # its main source file (read for the port and host)
    reason: str
    static: bool = False  # web pages: nginx serves `output`, no Node.js at run time


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _safe(path: str) -> str | None:
    path = posixpath.normpath(path.strip().removeprefix("./")) if path.strip() else ""
    return path if path and _PATH.fullmatch(path) and ".." not in path.split("/") else None


def _config(project: Project, root: str) -> tuple[str | None, str | None, bool]:
    """(output folder, main source, targets node) as the project's webpack config says, if any."""
    for name in ("webpack.config.js", "webpack.config.ts", "webpack.config.cjs"):
        rel = posixpath.join(root, name) if root else name
        text = project.read_source(rel) if project.is_file(rel) else None
        if text:
            output = _CONFIG_OUTPUT.search(text)
            main = _CONFIG_MAIN.search(text)
            return (
                _safe(posixpath.join(root, output[1])) if output else None,
                _safe(posixpath.join(root, main[1])) if main else None,
                bool(_CONFIG_NODE.search(text)),
            )
    return None, None, False


def _app(project: Project, folder: str, data: dict[str, Any]) -> NxApp | None:
    """The app a project.json declares, or None (a library, an e2e suite, an unknown executor)."""
    root = folder
    name = data.get("name") if isinstance(data.get("name"), str) else posixpath.basename(root) or None
    if not name or not SAFE_NAME.fullmatch(name) or name.endswith("-e2e"):
        return None
    if data.get("projectType") == "library":
        return None
    targets = _dict(data.get("targets"))
    build, serve = _dict(targets.get("build")), _dict(targets.get("serve"))
    options = _dict(build.get("options"))
    executor = build.get("executor") if isinstance(build.get("executor"), str) else None
    serves_node = serve.get("executor") in _NODE_SERVE
    config_output, config_main, config_node = _config(project, root)
    where = posixpath.join(root, "project.json") if root else "project.json"
    if not (serves_node or executor in _NODE_BUILDS or options.get("target") == "node" or config_node):
        return _web_app(name, root, where, executor, options)
    output_option = options.get("outputPath")
    output = _safe(output_option) if isinstance(output_option, str) else config_output
    output = output or _safe(posixpath.join("dist", root or name))
    main_option = options.get("main")
    source = _safe(main_option) if isinstance(main_option, str) else config_main
    if source is None:
        for candidate in ("src/main.ts", "src/main.js", "src/index.ts", "src/index.js"):
            rel = posixpath.join(root, candidate)
            if project.is_file(rel):
                source = rel
                break
    if output is None:
        return None
    if executor in _COMPILERS and source:
        inner = posixpath.relpath(source, root or ".") if root else source
        entry = posixpath.join(output, posixpath.splitext(inner)[0] + ".js")
    elif executor in ("@nx/esbuild:esbuild", "@nrwl/esbuild:esbuild") and source:
        entry = posixpath.join(output, posixpath.splitext(posixpath.basename(source))[0] + ".js")
    else:  # webpack (declared or inferred from webpack.config.js) bundles to main.js
        entry = posixpath.join(output, "main.js")
    why = (
        f"serve runs {serve['executor']}"
        if serves_node
        else f"build runs {executor}"
        if executor
        else "its webpack config targets node"
    )
    return NxApp(
        name=name,
        root=root,
        output=output,
        entry=entry,
        source=source if source and project.is_file(source) else None,
        reason=f"{where}: Nx project {name}, a Node.js server ({why})",
    )


def _web_app(name: str, root: str, where: str, executor: str | None, options: dict[str, Any]) -> NxApp | None:
    """Web pages built by a known executor: a static site, served from its output folder."""
    if executor not in _WEB_BUILDS:
        return None
    declared = options.get("outputPath")
    if isinstance(declared, dict):  # Angular: {"base": "dist/apps/web", "browser": ""}
        base, browser = declared.get("base"), declared.get("browser", "browser")
        output = (
            _safe(posixpath.join(base, browser) if browser else base)
            if isinstance(base, str) and isinstance(browser, str)
            else None
        )
    elif isinstance(declared, str):
        output = _safe(posixpath.join(declared, "browser") if executor in _ANGULAR else declared)
    else:
        output = _safe(posixpath.join("dist", root or name))
    if output is None:
        return None
    return NxApp(
        name=name,
        root=root,
        output=output,
        entry="",
        source=None,
        reason=f"{where}: Nx project {name}, web pages built by {executor}",
        static=True,
    )


def read_nx_apps(project: Project) -> tuple[NxApp, ...] | None:
    """The apps (servers and web pages) of the Nx workspace at the root; None without nx.json."""
    if not project.is_file("nx.json"):
        return None
    folders = [f for f in project.folders_with("project.json", "**") if f != "project.json"]
    if project.is_file("project.json"):  # a standalone project: the root is the app
        folders.insert(0, "")
    apps: list[NxApp] = []
    for folder in folders:
        if folder and not _PATH.fullmatch(folder):
            continue
        data = project.read_json(posixpath.join(folder, "project.json") if folder else "project.json")
        found = _app(project, folder, data) if isinstance(data, dict) else None
        if found is not None:
            apps.append(found)
    return tuple(apps)


def choose_nx_app(apps: tuple[NxApp, ...], chosen: Any) -> NxApp:
    """The app `--path` names, or the only one.

    Raises:
        InputError: `--path` names no app of the workspace.
        AmbiguousProjectError: several apps and no `--path` (the wizard asks instead).
    """
    roots = tuple(app.root or "." for app in apps)
    if isinstance(chosen, str) and chosen.strip():
        folder = chosen.strip().removeprefix("./").rstrip("/") or "."
        for app in apps:
            if (app.root or ".") == folder:
                return app
        raise InputError(
            f"--path {chosen}: not an app of the Nx workspace ({', '.join(roots)})",
            path="nx.json",
        )
    if len(apps) == 1:
        return apps[0]
    raise AmbiguousProjectError(
        f"an Nx workspace with apps {', '.join(roots)}: choose one with --path {'|'.join(roots)}",
        path="nx.json",
        answer="app_path",
        choices=roots,
    )
