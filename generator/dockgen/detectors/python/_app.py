"""The app itself: framework, build step (Django's collectstatic), start command, port, health route."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockgen._project import Project
from dockgen.detectors._base import Assumed
from dockgen.detectors._comments import read_config
from dockgen.detectors._health import HEALTH_ROUTE, NO_HEALTH_ROUTE, pick_health_path

__all__ = ["ENTRY_SCRIPTS", "App", "app_sources", "detect_app"]

_SKIP = ("test", "tests", "docs", "migrations", "scripts")
_ENTRY_PREFERENCE = (
    "main.py",
    "app.py",
    "asgi.py",
    "wsgi.py",
    "server.py",
    "api.py",
    "__init__.py",
)
_PORT = 8000
#: fastapi's extras that depend on uvicorn (normalised names)
_FASTAPI_WITH_UVICORN = ("standard", "standard-no-fastapi-cloud-cli", "all")
#: scripts that run an app without a web framework (`python main.py`), in order of preference
ENTRY_SCRIPTS = ("main.py", "app.py", "server.py", "run.py", "src/main.py")


@dataclass(frozen=True, slots=True, kw_only=True)
class App:
    """What the app runs and serves, with a reason per field."""

    framework: str | None
    build_command: tuple[str, ...] | None
    start_command: tuple[str, ...]
    port: int
    health_path: str | None
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def app_sources(project: Project, skip: tuple[str, ...] = ()) -> list[str]:
    """The app's Python files; `skip`: folders that belong to something else (workspace members)."""
    files = [f for f in project.files(".py", max_depth=4) if not f.startswith(tuple(f"{d}/" for d in skip))]
    return [f for f in files if not any(part in _SKIP or part.startswith("test_") for part in f.split("/"))][
        :400
    ]


def _module(path: str) -> tuple[str, str | None]:
    """`app/main.py` → (`app.main`, None); `src/pkg/main.py` → (`pkg.main`, `src`)."""
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if parts and parts[0] == "src" and len(parts) > 1:
        return ".".join(parts[1:]), "src"
    return ".".join(parts), None


def _app_object(call: str) -> re.Pattern[str]:
    r"""`app = FastAPI(` or `app: FastAPI = FastAPI(` at the start of a line; group 1 is the name.

    Its spaces stay on the line (`[^\S\n]`), and the optional annotation carries its own: two `\s*`
    around it, free to span lines, made a name followed by a long whitespace run take quadratic
    time (issue 18).
    """
    space = r"[^\S\n]*"  # whitespace, but not a line break
    return re.compile(rf"^(\w+){space}(?::{space}[\w.]+{space})?={space}{call}\(", re.MULTILINE)


def _find_app(project: Project, pattern: re.Pattern[str], skip: tuple[str, ...]) -> tuple[str, str] | None:
    """(file, variable or factory call) of the first module that creates the app object."""
    hits = []
    for file in app_sources(project, skip):
        text = project.read_source(file) or ""
        match = pattern.search(text)
        if match:
            hits.append((file, match[1]))
    if not hits:
        return None

    def rank(hit: tuple[str, str]) -> tuple[int, int]:
        name = hit[0].rsplit("/", 1)[-1]
        return (_ENTRY_PREFERENCE.index(name) if name in _ENTRY_PREFERENCE else 99, hit[0].count("/"))

    return min(hits, key=rank)


#: ASGI servers other than uvicorn, in order of preference (granian alone can import from a folder)
_ASGI_SERVERS = ("hypercorn", "granian", "daphne")


def _asgi_server(packages: frozenset[str], app_dir: str | None) -> str | None:
    """The ASGI server among the dependencies that can serve the app."""
    return next((s for s in _ASGI_SERVERS if s in packages and (not app_dir or s == "granian")), None)


def _asgi_command(server: str, target: str, app_dir: str | None) -> tuple[str, ...]:
    """`server` serving `module:app` on 0.0.0.0:8000."""
    if server == "hypercorn":
        return ("hypercorn", target, "--bind", f"0.0.0.0:{_PORT}")
    if server == "daphne":
        return ("daphne", "--bind", "0.0.0.0", "--port", str(_PORT), target)
    folder = ("--app-dir", app_dir) if app_dir else ()
    return ("granian", "--interface", "asgi", "--host", "0.0.0.0", "--port", str(_PORT), *folder, target)


def detect_app(project: Project, packages: frozenset[str], skip: tuple[str, ...] = ()) -> App:
    """Framework from the dependencies and the code; command, port and health route to match.

    `skip`: folders whose code is not the app's (the members of a workspace, for its root).
    """
    reasons: dict[str, str] = {}
    warnings: list[str] = []
    command: tuple[str, ...]
    gunicorn = "gunicorn" in packages
    # fastapi's `standard` and `all` extras bring uvicorn (and the `fastapi run` command)
    bundled = next((f"fastapi[{e}]" for e in _FASTAPI_WITH_UVICORN if f"fastapi-{e}" in packages), None)
    uvicorn = "uvicorn" in packages or bundled is not None
    if "django" in packages and project.is_file("manage.py"):
        return _django(project, skip, gunicorn, uvicorn, reasons, warnings)
    if "fastapi" in packages or "starlette" in packages:
        found = _find_app(project, _app_object(r"(?:fastapi\.)?(?:FastAPI|Starlette)"), skip)
        if found:
            framework = "fastapi" if "fastapi" in packages else "starlette"
            module, app_dir = _module(found[0])
            reasons["framework"] = f"{framework} in the dependencies; {found[0]} creates the app"
            target = f"{module}:{found[1]}"
            server = _asgi_server(packages, app_dir) if not uvicorn else None
            if uvicorn:
                command = ("uvicorn", target, "--host", "0.0.0.0", "--port", str(_PORT))
                command += ("--app-dir", app_dir) if app_dir else ()
                reasons["start_command"] = f"uvicorn serves {target} ({found[0]})" + (
                    f"; {bundled} brings uvicorn" if bundled and "uvicorn" not in packages else ""
                )
            elif server:
                command = _asgi_command(server, target, app_dir)
                reasons["start_command"] = (
                    f"{server} (the ASGI server in the dependencies) serves {target} ({found[0]})"
                )
            else:
                warnings.append(f"{framework} needs an ASGI server: add uvicorn to the dependencies")
                command = ("uvicorn", target, "--host", "0.0.0.0", "--port", str(_PORT))
                reasons["start_command"] = f"uvicorn (missing from the dependencies) would serve {target}"
            return _finish(project, skip, framework, None, command, reasons, warnings)
    if "flask" in packages:
        factory = re.compile(r"^def\s+(create_app|make_app)\s*\(", re.MULTILINE)
        found = _find_app(project, _app_object(r"(?:flask\.)?Flask"), skip)
        made = _find_app(project, factory, skip)
        if found or made:
            file, obj = found or (made[0], f"{made[1]}()")  # type: ignore[index]
            module, app_dir = _module(file)
            target = f"{module}:{obj}"
            reasons["framework"] = f"flask in the dependencies; {file} creates the app"
            if gunicorn:
                command = ("gunicorn", target) + (("--chdir", app_dir) if app_dir else ())
                reasons["start_command"] = f"gunicorn serves {target} (it binds 0.0.0.0:$PORT)"
            elif "waitress" in packages and not app_dir:
                call = ("--call",) if obj.endswith("()") else ()
                command = (
                    "waitress-serve",
                    "--listen",
                    f"0.0.0.0:{_PORT}",
                    *call,
                    f"{module}:{obj.removesuffix('()')}",
                )
                reasons["start_command"] = f"waitress (the WSGI server in the dependencies) serves {target}"
            else:
                warnings.append(
                    "Flask's built-in server is for development: add gunicorn to the dependencies"
                )
                command = (
                    "flask",
                    "--app",
                    target,
                    "run",
                    "--host",
                    "0.0.0.0",
                    "--port",
                    str(_PORT),
                )
                reasons["start_command"] = "flask run (no gunicorn in the dependencies)"
            return _finish(project, skip, "flask", None, command, reasons, warnings)
    for script in ENTRY_SCRIPTS:
        if project.is_file(script):
            reasons["start_command"] = f"{script} is the entry script (no web framework detected)"
            return _finish(project, skip, None, None, ("python", script), reasons, warnings)
    warnings.append("no framework or entry script found: set start_command")
    reasons["start_command"] = Assumed("nothing found; app.py assumed")
    return _finish(project, skip, None, None, ("python", "app.py"), reasons, warnings)


def _django(
    project: Project,
    skip: tuple[str, ...],
    gunicorn: bool,
    uvicorn: bool,
    reasons: dict[str, str],
    warnings: list[str],
) -> App:
    manage = read_config(project, "manage.py") or ""
    match = re.search(r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""", manage)
    settings = match[1] if match else None
    package = settings.rsplit(".", 1)[0] if settings and "." in settings else None
    if package is None:
        candidates = [f.rsplit("/", 1)[0] for f in project.files("wsgi.py", max_depth=3)]
        package = candidates[0].replace("/", ".") if candidates else project.name
        warnings.append(f"manage.py names no settings module; assuming the project package is {package}")
    reasons["framework"] = (
        f"django in the dependencies and manage.py (settings {settings or package + '.settings'})"
    )
    asgi = project.is_file(package.replace(".", "/") + "/asgi.py")
    command: tuple[str, ...]
    if gunicorn:
        command = ("gunicorn", f"{package}.wsgi:application")
        reasons["start_command"] = f"gunicorn serves {package}.wsgi (it binds 0.0.0.0:$PORT)"
    elif uvicorn and asgi:
        command = (
            "uvicorn",
            f"{package}.asgi:application",
            "--host",
            "0.0.0.0",
            "--port",
            str(_PORT),
        )
        reasons["start_command"] = f"uvicorn serves {package}.asgi"
    else:
        warnings.append("no gunicorn in the dependencies: running Django's development server (add gunicorn)")
        command = ("python", "manage.py", "runserver", f"0.0.0.0:{_PORT}", "--noreload")
        reasons["start_command"] = "manage.py runserver (no gunicorn in the dependencies)"
    settings_text = (read_config(project, settings.replace(".", "/") + ".py") or "") if settings else ""
    build: tuple[str, ...] | None = None
    if settings_text and "STATIC_ROOT" in settings_text and "django.contrib.staticfiles" in settings_text:
        build = ("python", "manage.py", "collectstatic", "--noinput")
        reasons["build_command"] = (
            "STATIC_ROOT and django.contrib.staticfiles in the settings: collectstatic at build time"
        )
    elif settings_text and "django.contrib.staticfiles" in settings_text:
        warnings.append("the settings use staticfiles but set no STATIC_ROOT: static files are not collected")
    required = sorted(set(re.findall(r"""os\.environ\[\s*['"](\w+)['"]\s*\]""", settings_text or "")))
    if build and required:
        warnings.append(
            f"the settings require {', '.join(required)} from the environment when imported, and "
            "collectstatic imports them at build time: give them a default, or the build fails"
        )
    return _finish(project, skip, "django", build, command, reasons, warnings)


def _finish(
    project: Project,
    skip: tuple[str, ...],
    framework: str | None,
    build: tuple[str, ...] | None,
    command: tuple[str, ...],
    reasons: dict[str, str],
    warnings: list[str],
) -> App:
    port = _PORT
    if framework is None:
        for file in [f for f in command if f.endswith(".py")] + app_sources(project, skip):
            text = project.read_source(file) or ""
            match = re.search(
                r"\bport\s*=\s*(?:int\(\s*os\.environ\.get\(\s*['\"]PORT['\"]\s*,\s*)?['\"]?(\d{2,5})",
                text,
            )
            if match and 1 <= int(match[1]) <= 65535:
                port = int(match[1])
                reasons["port"] = f"{file}: {match[0]}"
                break
            if match:
                warnings.append(f"{file}: {match[0]} is not a TCP port (1 to 65535); ignored")
        else:
            reasons["port"] = Assumed("no port found in the code; 8000 is the Python convention")
            warnings.append(
                "no listening port found in the code: assuming 8000 (set port if the app uses another)"
            )
    else:
        reasons["port"] = f"{command[0]} listens where the image's command says: {port}"
    health = _health(project, framework, reasons, skip)
    return App(
        framework=framework,
        build_command=build,
        start_command=command,
        port=port,
        health_path=health,
        reasons=reasons,
        warnings=tuple(warnings),
    )


def _health(
    project: Project, framework: str | None, reasons: dict[str, str], skip: tuple[str, ...]
) -> str | None:
    found: dict[str, str] = {}
    if framework == "django":
        route = re.compile(rf"""(?:re_)?path\(\s*r?['"]\^?/?({HEALTH_ROUTE})(/?)\$?['"]""")
    else:
        route = re.compile(rf"""\.(?:get|route|api_route|head)\(\s*['"](/{HEALTH_ROUTE})/?['"]""")
    for file in app_sources(project, skip):
        text = project.read_source(file) or ""
        for match in route.finditer(text):
            path = f"/{match[1]}{match[2]}" if framework == "django" else match[1]
            found.setdefault(path, file)
    best = pick_health_path(found)
    if best is None:
        reasons["health_path"] = NO_HEALTH_ROUTE
        return None
    reasons["health_path"] = f"{found[best]} declares {best}"
    return best
