"""What a Python app writes at run time inside its own folder: SQLite files, upload and media folders.

Each path found here is kept in the volume /data (see dockgen.detectors._writable).

Also folders the code makes (`os.mkdir("logs")`) and log files it opens (`FileHandler`).
Paths are read from the code, never run: names bound to the source file's folder
(`BASE_DIR = Path(__file__).resolve().parent.parent`, `basedir = os.path.dirname(__file__)`),
joined with string literals (`BASE_DIR / "db.sqlite3"`, `os.path.join(basedir, "app.db")`), and
relative SQLite URLs (`sqlite:///app.db`, relative to the working directory, or with
Flask-SQLAlchemy 3 to the instance folder).
"""

from __future__ import annotations

import posixpath
import re

from dockgen._project import Project
from dockgen.detectors._writable import MAX_WRITABLE, Writable, inside

__all__ = ["Writable", "writable_paths"]

#: `NAME = <the folder of __file__, or a parent of it>`; group 2 is the expression
_ANCHOR = re.compile(r"^[^\S\n]*(\w+)[^\S\n]*=[^\S\n]*(.*__file__.*)$", re.MULTILINE)
#: `NAME / "a" / "b"` or `os.path.join(NAME, "a", "b")`: group 1 the name, 2 or 3 the literals
_JOINED = re.compile(
    r"""\b(\w+)((?:[^\S\n]*/[^\S\n]*['"][\w.@+-]+['"])+)"""
    r"""|os\.path\.join\([^\S\n]*(\w+)((?:[^\S\n]*,[^\S\n]*['"][\w.@+-]+['"])+)[^\S\n]*\)"""
)
_LITERAL = re.compile(r"""['"]([\w.@+-]+)['"]""")
#: a relative SQLite URL: three slashes and no fourth (`sqlite:////abs` is absolute)
_SQLITE_URL = re.compile(r"""sqlite(?:\+\w+)?:///(?!/)(\.?/?[\w.@+-]+(?:/[\w.@+-]+)*)['"]""")
_DATABASE_FILE = re.compile(r"\.(sqlite3?|db3?)$")
#: settings that name a folder of user files
_FOLDER_SETTING = re.compile(
    r"""\b(UPLOAD_FOLDER|UPLOAD_DIR|UPLOADS_DIR|UPLOADS_DEFAULT_DEST|MEDIA_ROOT)\b['"]?\]?[^\S\n]*=[^\S\n]*(.+)$""",
    re.MULTILINE,
)


#: a folder the code makes (`os.mkdir("logs")`, `os.makedirs(os.path.join(basedir, "uploads"))`)
_MAKES_DIR = re.compile(r"""\bos\.(?:mkdir|makedirs)\([^\S\n]*(.*)""")
#: a relative path literal at the start of an argument list
_FIRST_LITERAL = re.compile(r"""['"]([\w.@+-]+(?:/[\w.@+-]+)*)['"][^\S\n]*[,)]""")
#: a log file the code opens (`RotatingFileHandler("logs/app.log")`)
_LOG_FILE = re.compile(r"""\b\w*FileHandler\([^\S\n]*['"]([\w.@+-]+(?:/[\w.@+-]+)*)['"]""")


def _code(text: str) -> str:
    """The text without its comment lines (a commented-out setting is not a setting)."""
    return "\n".join("" if line.lstrip().startswith("#") else line for line in text.splitlines())


def _levels(expression: str) -> int | None:
    """How many folders above the source file's folder an anchor expression names; None: not one."""
    if "dirname" in expression:
        return expression.count("dirname") - 1
    if "Path(" in expression and ".parent" in expression:
        return expression.count(".parent") - 1
    return None


def _anchors(file: str, code: str) -> dict[str, str]:
    """Names bound to a folder of the app, by the folder (relative to the app's root)."""
    here = posixpath.dirname(file)
    found: dict[str, str] = {}
    for match in _ANCHOR.finditer(code):
        levels = _levels(match[2])
        if levels is not None and levels >= 0:
            folder = posixpath.normpath(posixpath.join(here or ".", *[".."] * levels))
            if not folder.startswith(".."):
                found[match[1]] = "" if folder == "." else folder
    return found


def _joined(code: str, anchors: dict[str, str]) -> list[tuple[int, str]]:
    """(offset, path) of every anchor joined with literals."""
    result = []
    for match in _JOINED.finditer(code):
        name, literals = (match[1], match[2]) if match[1] else (match[3], match[4])
        if name in anchors:
            path = inside(anchors[name], *_LITERAL.findall(literals))
            if path:
                result.append((match.start(), path))
    return result


def writable_paths(project: Project, sources: list[str], packages: frozenset[str]) -> list[Writable]:
    """The files and folders the app writes inside its folder, at most five, first found first."""
    found: dict[str, str] = {}
    flask_sqlalchemy = "flask-sqlalchemy" in packages
    for file in sources:
        text = project.read_source(file) or ""
        if "sqlite" not in text.lower() and not any(
            pattern.search(text) for pattern in (_FOLDER_SETTING, _MAKES_DIR, _LOG_FILE)
        ):
            continue
        code = _code(text)
        anchors = _anchors(file, code)
        mentions_sqlite = "sqlite" in code.lower()
        path: str | None
        for _, joined_path in _joined(code, anchors):
            name = posixpath.basename(joined_path)
            if _DATABASE_FILE.search(name) and (mentions_sqlite or not name.endswith((".db", ".db3"))):
                found.setdefault(joined_path, f"{file} keeps a SQLite database there")
        for match in _SQLITE_URL.finditer(code):
            relative = match[1]
            if relative.startswith(":memory:"):
                continue
            if flask_sqlalchemy:  # Flask-SQLAlchemy 3 reads relative paths from the instance folder
                path = inside("instance")
                reason = f"{file}: sqlite:///{relative} is in Flask's instance folder (Flask-SQLAlchemy)"
                if path:
                    found.setdefault(path + "/", reason)
            elif path := inside("", relative):
                found.setdefault(path, f"{file}: sqlite:///{relative}, relative to the working directory")
        for match in _FOLDER_SETTING.finditer(code):
            value = match[2]
            joined = _joined(value, anchors)
            literal = _LITERAL.fullmatch(value.strip().rstrip(","))
            path = joined[0][1] if joined else (inside("", literal[1]) if literal else None)
            if path and not path.startswith(("tmp/", "/")):
                found.setdefault(path + "/", f"{file}: {match[1]} is a folder of files the app writes")
        for match in _MAKES_DIR.finditer(code):
            arguments = match[1]
            made = [path for offset, path in _joined(arguments, anchors) if offset == 0]
            literal = _FIRST_LITERAL.match(arguments)
            path = made[0] if made else (inside("", literal[1]) if literal else None)
            if path and not path.startswith("tmp/"):
                found.setdefault(path + "/", f"{file} makes the folder {path} at run time")
        for match in _LOG_FILE.finditer(code):
            folder = posixpath.dirname(match[1])
            path = inside("", folder or match[1])
            if path:
                found.setdefault(path + ("/" if folder else ""), f"{file} writes the log file {match[1]}")
    return [Writable(path, reason) for path, reason in list(found.items())[:MAX_WRITABLE]]
