"""The Go program: its main packages, cgo, framework, port and health route."""

from __future__ import annotations

import re

from dockgen._project import Project
from dockgen.detectors._listen import ADDRESS, Served, scan_sources

__all__ = ["binary_name", "find_cgo", "find_mains", "program_sources", "scan_app", "usable_main"]

#: Folders that hold no part of the program the image runs.
_SKIP = frozenset({"vendor", "testdata", "examples", "example", "tools", "hack", "scripts", "docs"})
_PACKAGE_MAIN = re.compile(r"^package\s+main\s*$", re.MULTILINE)
_FUNC_MAIN = re.compile(r"^func\s+main\s*\(\s*\)", re.MULTILINE)
#: A build constraint that keeps the file out of every build (`go run gen.go` helpers).
_IGNORED = re.compile(r"^//\s*(?:go:build|\+build)\s+ignore\b", re.MULTILINE)
#: `import "C"` on a line of its own. The indent is `[^\S\n]*` (whitespace, not a line break): a
#: leading `\s*` ran from every line of a long blank stretch to its end, quadratic (issue 18).
_CGO = re.compile(r'^[^\S\n]*import\s+"C"\s*$', re.MULTILINE)
#: Web frameworks by module path prefix (the first match wins), with their default port.
_FRAMEWORKS = (
    ("github.com/gin-gonic/gin", "gin", 8080),
    ("github.com/labstack/echo", "echo", 1323),
    ("github.com/gofiber/fiber", "fiber", 3000),
    ("github.com/go-chi/chi", "chi", None),
    ("github.com/gorilla/mux", "gorilla", None),
    ("github.com/julienschmidt/httprouter", "httprouter", None),
    ("github.com/valyala/fasthttp", "fasthttp", None),
)
_PORT = 8080
_PORT_DEFAULT = re.compile(r'(?i)\bport\b[^\n]{0,40}?"(\d{2,5})"')
#: A folder name the `go_main` answer accepts: the Dockerfile writes it into a RUN line.
_MAIN_FOLDER = re.compile(r"\.(?:/[A-Za-z0-9_+@-][A-Za-z0-9_.+@-]*)*")


def _sources(project: Project) -> list[str]:
    """The program's Go files (no tests, vendored code, test data or examples)."""
    return [
        f
        for f in project.files(".go", max_depth=6)
        if not f.endswith("_test.go") and not any(part in _SKIP for part in f.split("/")[:-1])
    ][:2000]


def _folder(file: str) -> str:
    return "./" + file.rsplit("/", 1)[0] if "/" in file else "."


def find_mains(project: Project) -> dict[str, str]:
    """Folders holding a main package (`.`, `./cmd/api`), shallowest first, each with its main file."""
    mains: dict[str, str] = {}
    for file in _sources(project):
        text = project.read_source(file) or ""
        if _PACKAGE_MAIN.search(text) and _FUNC_MAIN.search(text) and not _IGNORED.search(text):
            mains.setdefault(_folder(file), file)
    return {m: mains[m] for m in sorted(mains, key=lambda m: (m.count("/"), m))}


def program_sources(project: Project, main: str, module: str | None) -> list[str]:
    """The files of the program `main` builds: its package and the module's packages it imports.

    In a module with many main packages (an examples repository), the others' files, and packages
    no import reaches, are no part of it.
    """
    by_folder: dict[str, list[str]] = {}
    for file in _sources(project):
        by_folder.setdefault(file.rsplit("/", 1)[0] if "/" in file else "", []).append(file)
    imports = re.compile(rf'"{re.escape(module)}/([A-Za-z0-9_./-]{{1,200}})"') if module else None
    queue = [main.removeprefix("./").removeprefix(".")]
    seen = set(queue)
    while queue:
        for file in by_folder.get(queue.pop(), []):
            for match in imports.finditer(project.read_source(file) or "") if imports else ():
                if match[1] not in seen:
                    seen.add(match[1])
                    queue.append(match[1])
    return [f for folder, files in by_folder.items() if folder in seen for f in files]


def usable_main(folder: str) -> bool:
    """Whether the `go_main` answer accepts the folder (copier.yml's validator, as a full match)."""
    return _MAIN_FOLDER.fullmatch(folder) is not None


def find_cgo(project: Project) -> str | None:
    """The first of the program's files that uses cgo (`import "C"`), or None."""
    for file in _sources(project):
        text = project.read_source(file) or ""
        if _CGO.search(text) and not _IGNORED.search(text):
            return file
    return None


def binary_name(main: str, module: str | None) -> str:
    """The executable `go build -o DIR/` writes: the package path's last element.

    As the go command names it: a major-version suffix (`/v2`) is skipped for the module root.
    """
    path = main.removeprefix("./").removeprefix(".")
    if path:
        name = path.rsplit("/", 1)[-1]
    else:
        parts = [p for p in (module or "app").split("/") if p]
        if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
            parts = parts[:-1]
        name = parts[-1] if parts else "app"
    return name if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name) else "app"


def scan_app(project: Project, main: str, requires: tuple[str, ...], files: list[str]) -> Served:
    """Framework from go.mod; port and health route from the program's sources (`files`)."""
    framework = reason = default_port = None
    for prefix, name, known_port in _FRAMEWORKS:
        if any(r == prefix or r.startswith(prefix + "/") for r in requires):
            framework, default_port = name, known_port
            reason = f"go.mod requires {prefix}"
            break
    folder = main.removeprefix("./").removeprefix(".")
    files = list(files)
    # the main package first, then the rest of the program
    files.sort(key=lambda f: 0 if _folder(f).removeprefix("./").removeprefix(".") == folder else 1)
    return scan_sources(
        project,
        files,
        (ADDRESS, _PORT_DEFAULT),
        framework=framework,
        framework_reason=reason,
        framework_port=default_port,
        convention=_PORT,
    )
