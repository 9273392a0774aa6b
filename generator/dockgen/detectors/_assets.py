"""Files a compiled program reads at run time (Go, Rust): templates, static folders, config files.

A Go or Rust image holds the binary alone, so a server that loads `templates/*.html` or serves
`static/` from the disk fails at start. The calls that read a project folder at run time are a
table per language (`READERS`); their string arguments that name something in the repository
are copied into the runtime image, under `/app`, with the working directory the paths are
relative to. What the compiler embeds (`//go:embed`, `include_str!`, askama's templates) needs
nothing and is not listed. Scanning is linear: a regex finds the call's name, then a bounded
walk over its argument list collects the string literals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dockgen._project import Project

__all__ = ["READERS", "Assets", "find_assets"]

#: Calls that read files of the project at run time, by language: the call as written, and what it
#: is (named in the reasons). Their string arguments are the paths.
READERS: dict[str, tuple[tuple[str, str], ...]] = {
    "go": (
        ("LoadHTMLGlob", "gin templates"),
        ("LoadHTMLFiles", "gin templates"),
        ("StaticFS", "static files"),
        ("StaticFile", "a static file"),
        ("Static", "static files"),
        ("File", "a static file"),
        ("http.Dir", "static files"),
        ("template.ParseGlob", "templates"),
        ("template.ParseFiles", "templates"),
        ("os.ReadFile", "a file read at start"),
        ("ioutil.ReadFile", "a file read at start"),
        ("os.Open", "a file read at start"),
        ("os.ReadDir", "a folder read at start"),
        ("html.New", "fiber templates"),
    ),
    "rust": (
        ("ServeDir::new", "static files"),
        ("ServeFile::new", "a static file"),
        ("Files::new", "static files"),
        ("FileServer::from", "static files"),
        ("NamedFile::open", "a static file"),
        ("Tera::new", "tera templates"),
        ("register_templates_directory", "handlebars templates"),
        ("register_template_file", "a handlebars template"),
        ("fs::read_to_string", "a file read at start"),
        ("fs::read", "a file read at start"),
        ("File::open", "a file read at start"),
    ),
}
#: Frameworks that read a file or folder by default, without a call naming it.
_DEFAULTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # (a call that makes the framework read it, the path, what it is)
    "rust": (
        ("Template::fairing", "templates", "rocket_dyn_templates' default template folder"),
        ("Template::custom", "templates", "rocket_dyn_templates' default template folder"),
        ("rocket::build", "Rocket.toml", "Rocket's configuration, read from the working directory"),
        ("#[launch]", "Rocket.toml", "Rocket's configuration, read from the working directory"),
    ),
}
#: `//go:embed` directives: what they name is in the binary.
_GO_EMBED = re.compile(r"^//go:embed[ \t]+([^\n]{1,500})$", re.MULTILINE)
#: A path dockgen writes into a COPY line: no quote, `$`, backslash, space or `..` part.
_SAFE = re.compile(r"[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*(?:/[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*)*")
_WINDOW = 400  # characters of an argument list read after the call's `(`
#: Calls read in all: a hostile file of a million `Static(` calls costs 500 bounded walks, not more.
_MAX_CALLS = 500
_MAX_ASSETS = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class Assets:
    """What the runtime image needs besides the binary, and the working directory it is read from."""

    paths: tuple[str, ...] = ()  # files or folders, relative to the project root
    workdir: str = ""  # relative to the project root; "" is the root
    reason: str = "no file-system read of a project folder found in the code"
    warnings: tuple[str, ...] = field(default=())

    def answers(self) -> dict[str, Any]:
        """The `runtime_assets` answer (an empty list: nothing to copy), and `runtime_workdir` with assets."""
        return (
            {"runtime_assets": list(self.paths), "runtime_workdir": self.workdir}
            if self.paths
            else {"runtime_assets": []}
        )

    def reasons(self) -> dict[str, str]:
        """The reasons of those answers (the assets' one always: it says what was looked for)."""
        if not self.paths:
            return {"runtime_assets": self.reason}
        where = f"the program's folder, {self.workdir}" if self.workdir else "the repository root"
        image = "/app" + (f"/{self.workdir}" if self.workdir else "")
        return {
            "runtime_assets": self.reason,
            "runtime_workdir": f"the paths the program reads are found from {where}, as {image} in the image",
        }


def _pattern(language: str) -> re.Pattern[str]:
    names = sorted((re.escape(n) for n, _ in READERS[language]), key=len, reverse=True)
    # `.Name(` or `::Name(` or a bare `Name(` not preceded by a letter: `r.Static(`, `http.Dir(`
    return re.compile(rf"(?<![A-Za-z0-9_])({'|'.join(names)})[ \t]*(?:::<[^>\n]{{0,60}}>)?\(")


_PATTERNS = {language: _pattern(language) for language in READERS}


def _literals(text: str, start: int) -> tuple[list[str], bool]:
    """The string literals of the argument list opening at `start`, and whether it names the crate's folder.

    The crate's folder: `env!("CARGO_MANIFEST_DIR")` or Rocket's `relative!`.

    One bounded pass: parentheses are counted, strings skipped over; it stops where the list closes.
    """
    found: list[str] = []
    depth, i, end = 1, start, min(len(text), start + _WINDOW)
    while i < end and depth > 0:
        c = text[i]
        if c == '"':
            close = text.find('"', i + 1, end)
            if close < 0:
                break
            found.append(text[i + 1 : close])
            i = close + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    window = text[start:i]
    manifest = "CARGO_MANIFEST_DIR" in window or "relative!" in window
    return found, manifest


def _candidate(literal: str, manifest: bool) -> str | None:
    """The project path a string argument names (glob stripped), or None when it is no project path."""
    if "://" in literal or literal in ("CARGO_MANIFEST_DIR", "") or literal.startswith("~"):
        return None
    if literal.startswith("/"):
        if not manifest:  # an absolute path, or a URL prefix such as "/static"
            return None
        literal = literal[1:]
    literal = literal.removeprefix("./")
    cut = min((literal.find(c) for c in "*?[{" if c in literal), default=-1)
    if cut >= 0:
        literal = literal[:cut].rsplit("/", 1)[0] if "/" in literal[:cut] else ""
    literal = literal.rstrip("/")
    if not literal or not _SAFE.fullmatch(literal) or ".." in literal.split("/"):
        return None
    return literal


def _embedded(project: Project, files: Sequence[str]) -> set[str]:
    """The top folders (or files) `//go:embed` directives name, relative to the project root."""
    found: set[str] = set()
    for file in files:
        text = project.read_source(file) or ""
        if "//go:embed" not in text:
            continue
        folder = file.rsplit("/", 1)[0] + "/" if "/" in file else ""
        for match in _GO_EMBED.finditer(text):
            for word in match[1].split():
                path = _candidate(word.strip('"`').removeprefix("all:"), False)
                if path:
                    found.add(folder + path.split("/")[0])
    return found


def find_assets(project: Project, language: str, files: Sequence[str], folder: str) -> Assets:
    """The files and folders `files` (the program's sources) read at run time.

    `folder` is the main package's or the crate's folder ("" for the root). A relative path is
    looked up in that folder first (`go run .` and `cargo run` there), then at the project root;
    the first of the two that holds one of the paths becomes the working directory.
    """
    pattern = _PATTERNS[language]
    prefix = f"{folder}/" if folder else ""
    wanted: list[tuple[str, str, str, bool]] = []  # (path, file, what, manifest-relative)
    calls = 0
    for file in files:
        text = project.read_source(file) or ""
        for match in pattern.finditer(text):
            calls += 1
            if calls > _MAX_CALLS:
                break
            what = dict(READERS[language])[match[1]]
            literals, manifest = _literals(text, match.end())
            for literal in literals:
                path = _candidate(literal, manifest)
                if path:
                    wanted.append((path, file, what, manifest))
        for call, path, what in _DEFAULTS.get(language, ()):
            if call in text:
                wanted.append((path, file, what, False))
    embedded = _embedded(project, files) if language == "go" else set()

    def exists(base: str, path: str) -> bool:
        return project.is_dir(base + path) or project.is_file(base + path)

    bases = [prefix] if not folder else [prefix, ""]
    if any(manifest for *_, manifest in wanted):
        bases = [prefix]
    base = next((b for b in bases if any(exists(b, p) for p, *_ in wanted)), prefix)
    paths: dict[str, str] = {}
    warnings: list[str] = []
    skipped: list[str] = []
    for path, file, what, _manifest in wanted:
        full = base + path
        if not exists(base, path):
            if what.startswith(("a file read", "a folder read", "Rocket")):
                continue  # a file the app writes, or an optional one: nothing to copy
            warnings.append(
                f'{file}: reads "{path}" ({what}) at run time, which is not in the repository; '
                "the image does not have it"
            )
            continue
        if project.is_file(full) and "/" in path:
            full = base + path.rsplit("/", 1)[0]  # the folder of a file the app names
        top = base + full.removeprefix(base).split("/")[0]
        if top in embedded or full in embedded:
            skipped.append(f"{full} (embedded by //go:embed)")
            continue
        paths.setdefault(full, f"{file}: {what}")
    # a folder inside another listed one is copied with it
    kept = [p for p in paths if not any(p.startswith(q + "/") for q in paths if q != p)][:_MAX_ASSETS]
    if not kept:
        reason = "no file-system read of a project folder found in the code"
        if skipped:
            reason = f"nothing to copy: {', '.join(skipped)}"
        return Assets(reason=reason, warnings=tuple(dict.fromkeys(warnings)))
    workdir = base.rstrip("/")
    reason = "; ".join(f"{p} ({paths[p]})" for p in kept)
    reason += "; copied under /app"
    return Assets(paths=tuple(kept), workdir=workdir, reason=reason, warnings=tuple(dict.fromkeys(warnings)))
