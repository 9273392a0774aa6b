"""What a Node.js server writes at run time inside its folder: data, SQLite files, uploads, logs.

The app runs as `node` and the image's files are root's, so `fs.mkdirSync("./data")` at start
ends in `EACCES`. Each path found here is kept in the volume /data (see
dockgen.detectors._writable). Read from the code without its comments, never run:

- folders the code makes: `fs.mkdirSync`, `fs.promises.mkdir`, `mkdirp`, fs-extra's `ensureDir`;
- a data folder or file that an environment variable overrides:
  `process.env.DATA_DIR || "./data/"`, `process.env.DB_PATH ?? "app.db"`;
- SQLite files: `new Database("app.db")` (better-sqlite3, sqlite3, `node:sqlite`), knex's and
  the sqlite package's `filename:`, Sequelize's `storage:`, TypeORM's `database:`;
- upload folders: multer's `dest:` / `destination:`, formidable's `uploadDir:`;
- log files: `fs.createWriteStream("logs/access.log")`, `appendFile`, winston's `filename:`.

A path is a string literal (relative to the working directory, the app's folder), or
`path.join` / `path.resolve` / a template literal over `__dirname` (the source file's folder;
for TypeScript that tsc compiles, its place in outDir) or `process.cwd()`, or a name bound to
one of these (`const dataDir = path.join(__dirname, "data")`, `Database.dataDir = ...`).
Tests, scripts and tool configurations are not the app and are not read.
"""

from __future__ import annotations

import posixpath
import re

from dockgen.detectors._bind import is_test_path
from dockgen.detectors._comments import without_comments
from dockgen.detectors._writable import MAX_WRITABLE, Writable, inside
from dockgen.detectors.node._context import SOURCE_SUFFIXES, Context

__all__ = ["sources", "writable_paths"]

_SEGMENT = r"[\w.@+-]+"
#: a relative path in quotes: group 2 (`./data/`, `uploads`, `logs/app.log`); no `..`, no `/x`
_LITERAL = re.compile(rf"""(['"`])((?:\./)?{_SEGMENT}(?:/{_SEGMENT})*/?)\1""")
_ANCHOR = re.compile(r"__dirname\b|import\.meta\.dirname\b|process\.cwd\(\)")
_JOIN = re.compile(r"(?:path\.)?(?:join|resolve)\(")
#: `${__dirname}/data` in a template literal
_TEMPLATE = re.compile(
    rf"`\$\{{(__dirname|import\.meta\.dirname|process\.cwd\(\))\}}/({_SEGMENT}(?:/{_SEGMENT})*/?)`"
)
_NAME = re.compile(r"(?<![\w$.])[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
#: `name = ` (not `==`, `=>`), at the start of a name
_BINDING = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)[^\S\n]*=(?![=>])[^\S\n]*")
_ENV = re.compile(r"process\.env(?:\.([A-Za-z_]\w*)|\[\s*['\"]([A-Za-z_]\w*)['\"]\s*\])")
#: the literal fallback of an `||` / `??` chain
_FALLBACK = re.compile(rf"""(?:\|\||\?\?)[^\S\n]*(['"`])((?:\./)?{_SEGMENT}(?:/{_SEGMENT})*/?)\1""")
#: variables that name where the app keeps its data (DATA_DIR, UPLOAD_PATH, DB_FILE, LOG_DIR...)
_DATA_VARIABLE = re.compile(
    r"(?:^|_)(?:DATA|UPLOADS?|STORAGE|DB|DATABASE|SQLITE|LOGS?|MEDIA|FILES)_"
    r"(?:DIR|DIRNAME|DIRECTORY|FOLDER|PATH|ROOT|FILE|FILENAME|LOCATION)\Z"
)
#: an environment schema's default: envalid `DB_FILENAME: str({ default: "db/data" })`, zod
#: `DATA_DIR: z.string().default("./data")`; group 1 the variable, 3 the path
_SCHEMA_DEFAULT = re.compile(
    rf"""(?<![\w$])([A-Z][A-Z0-9_]*)[^\S\n]*:[^\n]{{0,80}}?\bdefault\b[^\S\n]*[:(][^\S\n]*(['"`])((?:\./)?{_SEGMENT}(?:/{_SEGMENT})*/?)\2"""
)
#: a JSON schema's default (@fastify/env, env-schema, ajv), its object over several lines:
#: `UPLOAD_DIRNAME: {\n type: 'string',\n default: 'uploads'\n }`; groups as above
_JSON_SCHEMA_DEFAULT = re.compile(
    rf"""(?<![\w$])([A-Z][A-Z0-9_]*)['"]?[^\S\n]*:[^\S\n]*\{{(?:[^{{}}]|\{{[^{{}}\n]{{0,20}}\}}){{0,300}}?\bdefault['"]?[^\S\n]*:[^\S\n]*(['"`])((?:\./)?{_SEGMENT}(?:/{_SEGMENT})*/?)\2"""
)
_MAKES_FOLDER = re.compile(
    r"(?<![\w$])(?:mkdirSync|mkdir|mkdirp|mkdirpSync|ensureDir|ensureDirSync|mkdirs|mkdirsSync)\("
)
_WRITES_FILE = re.compile(r"(?<![\w$])(?:createWriteStream|appendFileSync|appendFile)\(")
_OPENS_DATABASE = re.compile(r"\bnew[^\S\n]+(?:[\w$]+\.)?(?:Database|DatabaseSync)\(")
#: `key: <path>` in an options object
_KEY = re.compile(r"(?<![\w$])(filename|storage|database|dest|destination|uploadDir)[^\S\n]*:[^\S\n]*")
#: multer's diskStorage callback: `cb(null, "uploads/")`
_CALLBACK = re.compile(r"(?<![\w$])(?:cb|callback|done|next)\([^\S\n]*null[^\S\n]*,[^\S\n]*")
#: a file that holds none of these writes nothing this module finds (a quick filter)
_WORDS = (
    *("mkdir", "ensureDir", "Write", "appendFile", "process.env", "Database", "filename", "storage"),
    *("database", "dest", "uploadDir", "default"),
)
_DATABASE_FILE = re.compile(r"\.(?:sqlite3?|db3?)\Z")
_SQLITE_PACKAGES = frozenset(
    {"better-sqlite3", "sqlite3", "sqlite", "@louislam/sqlite3", "@vscode/sqlite3", "libsql", "sqlite-async"}
)
_UPLOAD_PACKAGES = frozenset({"multer", "formidable", "express-fileupload"})
#: folders never state: made by the install, a build tool or a host's adapter, or temporary
_NOT_STATE = frozenset(
    {"node_modules", ".git", "tmp", "temp", ".tmp", ".cache", ".next", ".nuxt", ".output", ".svelte-kit"}
    | {".netlify", ".vercel", ".turbo", ".angular", "coverage"}
)
#: not the app: build and maintenance scripts, tool configurations
_NOT_APP = re.compile(r"(^|/)(scripts?|tools|\.husky|migrations?|seeds?)/|\.config\.[cm]?[jt]s\Z|\.d\.ts\Z")


#: how far past `process.env.NAME` its literal fallback may be (`|| args["x"] || "./data/"`)
_REACH = 200


def _skip(text: str, pos: int) -> int:
    """Past the white space at `pos` (arguments are often one per line)."""
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


class _File:
    """One source file's code and the folders its names are bound to."""

    def __init__(self, code: str, here: str) -> None:
        self.code = code
        #: the file's folder at run time, relative to the app's folder
        self.here = here
        self.names: dict[str, str] = {}

    def anchor(self, token: str) -> str:
        return "" if token.startswith("process") else self.here

    def path(self, pos: int) -> str | None:
        """The path the expression at `pos` names, or None when this module cannot read it.

        Relative to the app's folder; "" is the folder itself.
        """
        pos = _skip(self.code, pos)
        if match := _LITERAL.match(self.code, pos):
            return _within("", match[2])
        if match := _TEMPLATE.match(self.code, pos):
            return _within(self.anchor(match[1]), match[2])
        if match := _JOIN.match(self.code, pos):
            return self._joined(match.end())
        if match := _ENV.match(self.code, pos):
            fallback = _FALLBACK.search(self.code, match.end(), self._line_end(match.end()))
            return _within("", fallback[2]) if fallback else None
        if match := _NAME.match(self.code, pos):
            return self.names.get(match[0])
        return None

    def _line_end(self, pos: int) -> int:
        """The end of the line at `pos`, looked for no further than `_REACH` characters.

        A minified bundle is one long line with many `process.env` reads: an unbounded look to the
        line's end from each would be quadratic in its length (issue 18).
        """
        limit = min(len(self.code), pos + _REACH)
        end = self.code.find("\n", pos, limit)
        return limit if end < 0 else end

    def _joined(self, pos: int) -> str | None:
        """`path.join(<anchor or name or literal>, "a", "b")` from after its `(`."""
        parts: list[str] = []
        while True:
            pos = _skip(self.code, pos)
            if match := _LITERAL.match(self.code, pos):
                parts.append(match[2])
            elif (match := _ANCHOR.match(self.code, pos)) and not parts:
                parts.append(self.anchor(match[0]) or ".")
            elif (match := _NAME.match(self.code, pos)) and not parts and match[0] in self.names:
                parts.append(self.names[match[0]] or ".")
            else:
                return None
            pos = _skip(self.code, match.end())
            if self.code.startswith(")", pos):
                return _within("", *parts)
            if not self.code.startswith(",", pos):
                return None
            pos += 1


def _within(folder: str, *parts: str) -> str | None:
    """Like `inside`, but the app's folder itself is "" (a name may be bound to it)."""
    path = posixpath.normpath(posixpath.join(folder or ".", *parts))
    if path == ".":
        return ""
    return inside("", path)


def _runtime_folder(file: str, compiled: tuple[str, str] | None) -> str:
    """The folder `__dirname` names for `file` at run time.

    For TypeScript compiled by tsc, the matching folder of outDir (src/routes/x.ts runs as
    dist/routes/x.js).
    """
    here = posixpath.dirname(file)
    if compiled is None or not file.endswith((".ts", ".mts", ".cts")):
        return here
    out_dir, root_dir = compiled
    if root_dir and (here == root_dir or here.startswith(root_dir + "/")):
        rest = here[len(root_dir) :].lstrip("/")
    else:  # tsc's default rootDir: the sources' common folder, usually the first one
        rest = here.partition("/")[2]
    return posixpath.join(out_dir, rest) if rest else out_dir


def sources(ctx: Context, first: tuple[str, ...]) -> list[str]:
    """The app's source files, `first` first; never tests, scripts or tool configurations."""
    files = [f for f in first if ctx.project.is_file(f)]
    files += [f for f in ctx.project.files(*SOURCE_SUFFIXES, max_depth=5) if f not in files]
    return [f for f in files if not is_test_path(f) and not _NOT_APP.search(f)][:400]


def writable_paths(
    ctx: Context, entry: tuple[str, ...], build_output: tuple[str, ...], compiled: tuple[str, str] | None
) -> list[Writable]:
    """The files and folders the server writes inside its folder, at most five, first found first.

    `entry`: the start command's files, read first. `build_output`: what the build makes, never
    state. `compiled`: (outDir, rootDir) when the image runs tsc's output.
    """
    sqlite = bool(_SQLITE_PACKAGES & ctx.deps)
    uploads = bool(_UPLOAD_PACKAGES & ctx.deps)
    found: dict[str, str] = {}

    def add(path: str | None, folder: bool, reason: str) -> None:
        if not path or path.split("/")[0] in _NOT_STATE:
            return
        if any(path == d or path.startswith(d.rstrip("/") + "/") for d in build_output):
            return
        if not folder and not _DATABASE_FILE.search(path) and "/" in path:
            path, folder = posixpath.dirname(path), True  # a log file: its folder
        key = path + "/" if folder else path
        if any(key.startswith(p) for p in found if p.endswith("/")):
            return  # inside a folder found before: the folder's link covers it
        for nested in [p for p in found if folder and p.startswith(key)]:
            del found[nested]  # one link for the folder, none inside it
        found[key] = reason

    for file in sources(ctx, entry):
        text = ctx.project.read_source(file)
        if not text or not any(word in text for word in _WORDS):
            continue
        code = without_comments(text, "js")
        src = _File(code, _runtime_folder(file, compiled))
        shown = ctx.shown(file)
        sqlite_here = sqlite or "node:sqlite" in code or "bun:sqlite" in code
        for match in _BINDING.finditer(code):
            value = match.end()
            if env := _ENV.match(code, value):
                name = env[1] or env[2]
                path = src.path(value)
                if path and _DATA_VARIABLE.search(name):
                    add(path, _names_folder(name, path), f"{shown}: {name} defaults to {path}")
            else:
                path = src.path(value)
            if path is not None:
                src.names[match[1]] = path
        for match in [*_SCHEMA_DEFAULT.finditer(code), *_JSON_SCHEMA_DEFAULT.finditer(code)]:
            path = _within("", match[3])
            if path and _DATA_VARIABLE.search(match[1]):
                add(path, _names_folder(match[1], match[3]), f"{shown}: {match[1]} defaults to {match[3]}")
        for match in _MAKES_FOLDER.finditer(code):
            path = src.path(match.end())
            add(path, True, f"{shown} makes the folder {path} at run time")
        for match in _WRITES_FILE.finditer(code):
            path = src.path(match.end())
            add(path, False, f"{shown} writes {path}")
        if sqlite_here:
            for match in _OPENS_DATABASE.finditer(code):
                path = src.path(match.end())
                if path and _DATABASE_FILE.search(path):
                    add(path, False, f"{shown} keeps a SQLite database there")
        for match in _KEY.finditer(code):
            key, path = match[1], src.path(match.end())
            if not path:
                continue
            if key in ("dest", "destination", "uploadDir"):
                if uploads:
                    add(path, True, f"{shown}: {key} is a folder of uploaded files")
            elif _DATABASE_FILE.search(path) and (sqlite_here or key == "storage"):
                add(path, False, f"{shown}: {key} is a SQLite database")
            elif key == "filename" and path.endswith(".log"):
                add(path, False, f"{shown} writes the log file {path}")
        if uploads and "diskStorage" in code:
            for match in _CALLBACK.finditer(code):
                path = src.path(match.end())
                add(path, True, f"{shown}: multer's diskStorage keeps uploads in {path}")
    return [Writable(path, reason) for path, reason in list(found.items())[:MAX_WRITABLE]]


def _names_folder(variable: str, path: str) -> bool:
    """Whether a data variable's default is a folder: DATA_DIR, `./data/`; not DB_FILE, `app.db`."""
    if path.endswith("/") or variable.endswith(("DIR", "DIRECTORY", "FOLDER", "ROOT")):
        return True
    return not variable.endswith(("FILE", "FILENAME")) and "." not in posixpath.basename(path).lstrip(".")
