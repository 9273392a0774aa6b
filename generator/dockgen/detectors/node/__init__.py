"""Node.js detector: package.json apps (npm, pnpm, Yarn, Bun)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dockgen._knowledge import native_table
from dockgen._project import Project
from dockgen.detectors._base import (
    Detection,
    Ecosystem,
    evidence,
    services_in,
    the_workspace_app,
    update_command,
)
from dockgen.detectors._env import wire
from dockgen.detectors._schema import type_warnings
from dockgen.detectors.node._app import App, detect_app
from dockgen.detectors.node._context import Context
from dockgen.detectors.node._lifecycle import scripts_to_skip
from dockgen.detectors.node._lock import read_lock
from dockgen.detectors.node._manager import detect_manager
from dockgen.detectors.node._native import choose_base, distroless_fits, native_deps
from dockgen.detectors.node._npmrc import npm_settings
from dockgen.detectors.node._nx import choose_nx_app, read_nx_apps
from dockgen.detectors.node._prisma import prisma_datasource
from dockgen.detectors.node._runtime import detect_node_version
from dockgen.detectors.node._workspace import SAFE_NAME, Workspace, read_workspace
from dockgen.errors import InputError

__all__ = ["ECOSYSTEM", "LABEL", "NAME", "base_drift", "detect", "plan", "tooling_only"]

NAME = "node"
_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "main": (str,),
    "type": (str,),
    "scripts": (dict,),
    "engines": (dict,),
    "engines.node": (str,),
    "packageManager": (str,),
    "workspaces": (list, dict),
    "dependencies": (dict,),
    "devDependencies": (dict,),
    "optionalDependencies": (dict,),
    "volta": (dict,),
}
LABEL = "Node.js"
ECOSYSTEM = Ecosystem(
    markers=("package.json",), manifest="package.json", workspaces="Node.js workspaces (npm, pnpm, Yarn)"
)


def detect(project: Project) -> bool:
    """A Node.js app has a package.json at its root, or a pnpm workspace (which needs none)."""
    return project.is_file("package.json") or project.is_file("pnpm-workspace.yaml")


#: scripts that build or run an app (a package.json without them and without dependencies holds
#: only development tools: linters and formatters beside an app of another ecosystem)
_APP_SCRIPTS = ("start", "build", "dev", "serve", "preview", "generate", "export")


def tooling_only(project: Project) -> str | None:
    """Why package.json only holds development tools for an app of another ecosystem, or None."""
    if project.is_file("pnpm-workspace.yaml"):
        return None
    try:
        manifest = project.read_json("package.json")
    except InputError:
        return None  # the plan reports it, if Node.js is chosen
    if not isinstance(manifest, dict) or manifest.get("dependencies") or manifest.get("main"):
        return None
    if manifest.get("workspaces") or manifest.get("bin"):
        return None
    scripts: dict[str, Any] = manifest["scripts"] if isinstance(manifest.get("scripts"), dict) else {}
    if any(name in scripts for name in _APP_SCRIPTS):
        return None
    dev = manifest.get("devDependencies")
    tools = [k for k in dev if isinstance(k, str)][:3] if isinstance(dev, dict) else []
    listed = f" ({', '.join(tools)}…)" if tools else ""
    return f"package.json lists only development tools{listed} and no start or build script"


def _root_is_an_app(manifest: dict[str, Any]) -> bool:
    scripts: dict[str, Any] = manifest["scripts"] if isinstance(manifest.get("scripts"), dict) else {}
    deps: dict[str, Any] = manifest["dependencies"] if isinstance(manifest.get("dependencies"), dict) else {}
    return "start" in scripts or isinstance(manifest.get("main"), str) or bool(deps)


def _app_path(
    project: Project, manifest: dict[str, Any], workspace: Workspace | None, pm: str, chosen: Any
) -> str | None:
    """The workspace app to build (`--path`), or None for the root package.

    Raises:
        AmbiguousProjectError: several workspace apps and no `--path` (the wizard asks instead).
        InputError: `--path` names no package of the workspace, or the workspace is bun's.
    """
    if isinstance(chosen, str) and chosen.strip("./"):
        folder = chosen.strip().removeprefix("./").rstrip("/")
        if workspace is None or folder not in workspace.packages:
            known = ", ".join(workspace.packages) if workspace else "no workspace is declared"
            raise InputError(
                f"--path {chosen}: not a package of the workspace ({known})", path="package.json"
            )
        if pm == "bun":
            raise InputError(
                f"--path {chosen}: building one app of a bun workspace is not supported yet (npm, pnpm "
                "and Yarn workspaces are); build the root package, or write the Dockerfile by hand",
                path=project.root,
            )
        return folder
    if workspace is None or not workspace.apps or _root_is_an_app(manifest):
        return None
    if pm == "bun":
        raise InputError(
            f"a bun workspace with apps {', '.join(workspace.apps)} and none at the root: building one "
            "app of a bun workspace is not supported yet (npm, pnpm and Yarn workspaces are)",
            path=workspace.source,
        )
    return the_workspace_app(
        f"{'an' if pm == 'npm' else 'a'} {pm} workspace", workspace.apps, workspace.source
    )


def _workspace_build(
    project: Project, workspace: Workspace, folder: str, pm: str, app: App
) -> tuple[tuple[str, ...] | None, dict[str, str]]:
    """The build of one workspace app: its `build` script after those of the packages it uses."""
    reasons = {
        "dependency_files": f"the root lockfile and all workspace manifests; {pm} installs the app's part",
    }
    if pm == "pnpm":
        selector = f"{{{folder}}}..."
        reasons["build_command"] = f"builds {folder} and the workspace packages it depends on ({selector})"
        return ("pnpm", "--filter", selector, "run", "--if-present", "build"), reasons
    targets = [
        f
        for f in (*workspace.uses(project, folder, build=True), folder)
        if workspace.has_script(project, f, "build")
    ]
    if app.build_command and folder not in targets:
        raise InputError(
            f"{folder} needs a build step ({' '.join(app.build_command)}): add it as scripts.build, "
            "which dockgen runs in the workspace",
            path=f"{folder}/package.json",
        )
    if not targets:
        return None, reasons
    reasons["build_command"] = f"the build scripts of {', '.join(targets)}, dependencies first"
    if pm == "npm":
        return ("npm", "run", "build", *(arg for f in targets for arg in ("--workspace", f))), reasons
    names = [workspace.packages[f] for f in targets]
    for f, name in zip(targets, names, strict=True):
        if name == f or not SAFE_NAME.fullmatch(name):  # (a package without a name is listed by its folder)
            raise InputError(
                f"Yarn builds workspace packages by name, and {name!r} is not a valid package name: "
                'give the package a "name"',
                path=f"{f}/package.json",
            )
    if len(names) == 1:
        return ("yarn", "workspace", names[0], "run", "build"), reasons
    return ("sh", "-c", " && ".join(f"yarn workspace {n} run build" for n in names)), reasons


def plan(project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
    """Read package.json, the lockfile and the sources; decide everything the template needs.

    `hints` are answers given up front (`--set`) that settle what the files leave open.
    """
    hints = hints or {}
    # a pnpm workspace needs no package.json at its root: its apps have theirs
    rootless = not project.is_file("package.json") and project.is_file("pnpm-workspace.yaml")
    manifest: Any = {} if rootless else project.read_json("package.json")
    if not isinstance(manifest, dict):
        raise InputError("expected a JSON object", path="package.json")
    warnings = type_warnings("package.json", manifest, _FIELDS)
    manager = detect_manager(project, manifest, hints.get("package_manager"))
    node = detect_node_version(project, manifest)
    lock = read_lock(project, manifest, manager.lockfile)
    workspace = read_workspace(project, manifest)
    # an integrated Nx repository (nx.json, project.json files, one package.json): a package-based
    # one declares a workspace of packages, which the workspace code builds
    nx_apps = read_nx_apps(project) if workspace is None or not workspace.apps else None
    nx = choose_nx_app(nx_apps, hints.get("app_path")) if nx_apps else None
    folder = None if nx else _app_path(project, manifest, workspace, manager.name, hints.get("app_path"))
    app_project, app_manifest = project, manifest
    if folder:  # one app of a workspace: the root's manager and lockfile, the app's own code
        app_project = Project(project.root / folder)
        app_manifest = app_project.read_json("package.json")
        if not isinstance(app_manifest, dict):
            raise InputError("expected a JSON object", path=f"{folder}/package.json")
    app = detect_app(app_project, app_manifest, manager.name, lock, folder=folder or "", nx=nx)
    deps = native_deps(lock)
    base, base_reason = distroless_fits(
        choose_base(deps),
        deps,
        start_command=app.start_command,
        manager=manager.name,
        writable=bool(app.writable),
    )
    warnings += [*manager.warnings, *node.warnings, *app.warnings]
    if workspace is not None and workspace.apps and not folder:
        warnings.append(
            f"{workspace.source} declares a workspace: dockgen builds the root package as the app; "
            f"to build a workspace app instead, pass --path ({'|'.join(workspace.apps)})"
        )
    if any(arg.startswith("--env-file") for arg in app.start_command):
        warnings.append(
            "the start command reads an --env-file, but .dockerignore keeps .env files out of the image: "
            "pass the variables at run time (docker run --env-file) and drop the flag"
        )
    settings: list[str] = []
    settings_reason = "no npm configuration file"
    if project.is_file(".npmrc"):
        settings, bad = npm_settings(project) if manager.name == "npm" else ([], [])
        settings_reason = f"{', '.join(settings)} in .npmrc" if settings else "no install setting in .npmrc"
        passed = f", except {', '.join(settings)}: the installs get them as npm_config_ variables"
        warnings += [
            *bad,
            ".npmrc is left out of the build context (it can hold registry tokens); "
            f"its settings do not apply inside the image{passed if settings else ''}",
        ]
    reasons = {
        "npm_settings": settings_reason,
        "kind": "pnpm-workspace.yaml at the root" if rootless else "package.json at the root",
        "package_manager": manager.reason,
        **({"package_manager_version": manager.version_reason} if manager.version_reason else {}),
        "runtime_version": node.reason,
        "dependency_files": "the manifest and lockfile the install reads, copied before the source",
        **app.reasons,
        "base": base_reason,
    }
    files, build_command, build_output = manager.files, app.build_command, app.build_output
    if rootless:
        files = tuple(f for f in files if f != "package.json")
    extra: dict[str, Any] = {"static_site": True} if app.static_site else {"start_env": list(app.start_env)}
    if "skip_scripts" in app.reasons:  # checked (not for a workspace app or Bun)
        extra["skip_scripts"] = list(app.skip_scripts)
    if app.self_contained:
        extra["self_contained"] = True
    if app.writable:
        extra["writable_paths"] = [w.path for w in app.writable]
    if nx is not None:
        if workspace is not None:  # the install reads every workspace package's manifest
            files = tuple(dict.fromkeys([*files, workspace.source, *workspace.manifests()]))
        reasons["kind"] = f"{nx.reason}, in the Nx workspace at the root"
        if nx.root:  # (a standalone Nx project is the root package)
            extra |= {"app_path": nx.root, "nx_project": nx.name}
            reasons["app_path"] = nx.reason
            reasons["nx_project"] = f"{nx.root}/project.json names it; nx builds it from the root"
    if not app.static_site and not app.start_env:
        reasons["start_env"] = "the start command is given no variables of its own"
    if folder and workspace is not None:
        files = tuple(dict.fromkeys([*files, workspace.source, *workspace.manifests()]))
        # the build runs at the root: the app's output folder is inside the app's folder
        build_output = tuple(f"{folder}/{d}" for d in app.build_output)
        build_command, found = _workspace_build(project, workspace, folder, manager.name, app)
        extra["app_path"] = folder
        reasons |= {
            "kind": f"{folder}/package.json, an app of the workspace in {workspace.source}",
            "app_path": f"{folder} ({workspace.packages[folder]})",
        }
        reasons |= found
        if manager.name != "pnpm":  # pnpm deploy finds them itself
            extra["workspace_packages"] = list(workspace.uses(project, folder, build=False))
            if not app.static_site:  # the runtime copies the built folders whole
                build_output = ()
            reasons["workspace_packages"] = (
                "the workspace packages in the app's dependencies (and theirs), copied with it"
            )
        # the root's install scripts (husky's git hooks...) run in the workspace installs too; they
        # set up the repository, not the app: the installs skip them, and so does the build
        if manager.name != "bun":
            root_ctx = Context(project, manifest, manager.name, lock, "package.json")
            skip = scripts_to_skip(root_ctx)
            warnings += root_ctx.warnings
            if skip:
                extra["skip_scripts"] = list(skip)
                reasons["skip_scripts"] = root_ctx.reasons["skip_scripts"].replace(
                    "the build stage runs them once the source is copied",
                    "they set up the repository (git hooks...), not the app, so the build skips them too",
                )
        yarn_major = (manager.version or "1").split(".")[0] if manager.name == "yarn" else ""
        if yarn_major in ("0", "1"):
            warnings.append(
                "Yarn 1 cannot install one workspace's dependencies: the image gets the production "
                "dependencies of every workspace (Yarn 2+ focuses on the app's)"
            )
        elif yarn_major in ("2", "3") and not any("plugin-workspace-tools" in f for f in files):
            warnings.append(
                f".yarnrc.yml: Yarn {yarn_major} installs one workspace's dependencies only with the "
                "workspace-tools plugin, which it does not list: the image gets the production "
                "dependencies of every workspace (`yarn plugin import workspace-tools` adds it)"
            )
    manifest_path = f"{folder}/package.json" if folder else "package.json"
    direct = app_manifest.get("dependencies")
    needs = services_in("node", direct if isinstance(direct, dict) else ())
    urls: dict[str, tuple[str, str]] = {}
    if isinstance(direct, dict) and ("@prisma/client" in direct or "prisma" in direct):
        prisma, read = prisma_datasource(app_project, app_manifest)
        if prisma is not None:
            urls = {
                name: (prisma.name, f"{folder}/{where}" if folder else where) for name, where in read.items()
            }
            if prisma.name not in {s.name for s in needs}:
                needs += (prisma,)
    if needs and not app.static_site:
        wiring = wire(needs, app.variables, project, manifest_path, urls)
        extra |= wiring.answers
        reasons |= wiring.reasons
        warnings += wiring.warnings
    return Detection.of(
        kind=NAME,
        values={
            "package_manager": manager.name,
            "package_manager_version": manager.version or "",
            **({"npm_settings": settings} if manager.name == "npm" else {}),
            "runtime_version": node.major,
            "framework": app.framework or "",
            "next_standalone": app.next_standalone,
            "dependency_files": files,
            "build_command": build_command or (),
            "build_output": build_output,
            "port": app.port,
            "start_command": app.start_command,
            "health_path": app.health_path or "/",
            "base": base,
            **extra,
        },
        reasons=reasons,
        manifest=manifest_path,
        native_deps=deps,
        services=needs,
        warnings=warnings,
    )


def base_drift(recorded: str, detection: Detection) -> tuple[str, str] | None:
    """alpine, but a package now needs glibc; distroless, but the app needs more than glibc and node."""
    table = native_table(NAME)
    base = detection["base"]
    if recorded == "alpine" and base in ("slim", "distroless"):
        needs = [d for d in detection.native_deps if table.get(d.name, table["_unknown"]).glibc]
        if needs:
            file = evidence(needs[0].reason, ECOSYSTEM.manifest)
            return file, (
                f"{file}: {needs[0].name} needs glibc, but the answers say base alpine "
                f"({update_command('base', base)})"
            )
    if recorded == "distroless" and base == "slim":
        needs = [d for d in detection.native_deps if table.get(d.name, table["_unknown"]).runtime]
        file = evidence(needs[0].reason, ECOSYSTEM.manifest) if needs else ECOSYSTEM.manifest
        why = (
            f"{needs[0].name} needs {', '.join(table[needs[0].name].runtime)} at run time"
            if needs
            else "the app needs a shell or npm at run time (its start command or writable paths)"
        )
        return file, f"{file}: {why}, but the answers say base distroless ({update_command('base', 'slim')})"
    return None
