"""Hostile repositories that grow with a size: the inputs of `bench.adversarial` and its hang guard.

Each case is a small, otherwise normal app of one ecosystem with one file that grows to about
`size` bytes in the shape that once made a detector slow (issue 18, classes 7 and 8): a long
whitespace run where a pattern allowed spaces on both sides of something optional, a YAML block
without the key a pattern looked for, unterminated comments, and lockfiles in the layout their
tool writes, at the size of a large monorepo's.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dockgen._project import MAX_FILE_BYTES, MAX_SOURCE_BYTES

try:
    from dockgen.detectors.java._config import CONFIG_LIMIT
except ImportError:  # a dockgen from before issue 18 (the benchmark also times older versions)
    CONFIG_LIMIT = 128 * 1024

__all__ = ["CASES", "Case", "write_case"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """One hostile repository: which detector reads it, which file grows, and up to what size."""

    name: str
    detector: str  # the kind dockgen must detect
    grows: str  # the file that grows
    cap: int  # the largest size the benchmark writes (the read cap that applies, or less)
    write: Callable[[Path, int], None]  # write the repository at about `size` bytes


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _run(size: int, unit: str = " \t\n ") -> str:
    """A whitespace run of `size` characters: spaces, tabs and line breaks, as an editor leaves them."""
    return (unit * (size // len(unit) + 1))[:size]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _names() -> Iterator[str]:
    """Package names that look like a registry's: `fast-glob`, `@babel/parser`, `is-stream2`."""
    heads = ("is", "fast", "get", "has", "json", "node", "path", "read", "safe", "string", "to", "util")
    tails = ("args", "cache", "core", "glob", "hash", "keys", "map", "parse", "path", "stream", "utils")
    scopes = ("@babel", "@types", "@jest", "@eslint", "@smithy")
    for round_ in itertools.count(1):
        tail = "" if round_ == 1 else str(round_)
        for head, end in itertools.product(heads, tails):
            yield f"{head}-{end}{tail}"
        for scope, end in itertools.product(scopes, tails):
            yield f"{scope}/{end}{tail}"


_POOL = list(itertools.islice(_names(), 400))


def _version(name: str) -> str:
    d = hashlib.sha256(name.encode()).digest()
    return f"{d[0] % 9}.{d[1] % 24}.{d[2] % 12}"


def _integrity(name: str) -> str:
    return "sha512-" + hashlib.sha512(name.encode()).hexdigest()[:86] + "=="


# ---- class 7: patterns over repository text ----------------------------------------------------
_PACKAGE_JSON = json.dumps({"name": "api", "main": "server.js", "dependencies": {"express": "^4.21.2"}})


def _node_env_port(root: Path, size: int) -> None:
    server = "const express = require('express');\nconst app = express();\nconst port = process.env.PORT"
    _write(root, {"package.json": _PACKAGE_JSON, "server.js": server + _run(size) + ";\napp.listen(port);\n"})


def _node_nest_get(root: Path, size: int) -> None:
    manifest = {
        "name": "api",
        "scripts": {"start": "node dist/main.js"},
        "dependencies": {"@nestjs/core": "1"},
    }
    controller = "@Controller('status')\nexport class StatusController {\n  @Get(" + _run(size) + "x\n}\n"
    _write(root, {"package.json": json.dumps(manifest), "src/app.controller.ts": controller})


def _node_huge_line(root: Path, size: int) -> None:
    chunk = 'var a=process.env.HOST||"x",b=".listen(",c="/api",d={port:e};function f(g){return g+"\'"}'
    _write(root, {"package.json": _PACKAGE_JSON, "server.js": (chunk * (size // len(chunk) + 1))[:size]})


def _node_state_minified(root: Path, size: int) -> None:
    # a minified server: one line of env reads without a fallback, folder and database calls (the
    # writable-state scan looked to the line's end from every `process.env` read)
    chunk = "d=process.env.DATA_DIR;fs.mkdirSync(d,{recursive:!0});b=new Database(x);m({dest:u,filename:f});"
    manifest = {"main": "server.js", "dependencies": {"express": "5", "better-sqlite3": "11", "multer": "2"}}
    _write(
        root, {"package.json": json.dumps(manifest), "server.js": (chunk * (size // len(chunk) + 1))[:size]}
    )


def _node_unterminated_quote(root: Path, size: int) -> None:
    manifest = {"name": "site", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "5"}}
    config = "export default { build: { outDir: 'dist" + "x" * size + "\n"
    _write(root, {"package.json": json.dumps(manifest), "vite.config.js": config})


def _python_assignment(framework: str) -> Callable[[Path, int], None]:
    def write(root: Path, size: int) -> None:
        # a name at the start of a line, then whitespace that runs over many lines and no `=`
        text = f"from {framework} import *\n\napp" + _run(size) + "x\n"
        _write(root, {"requirements.txt": f"{framework}==1.0\nuvicorn==0.30.0\n", "main.py": text})

    return write


def _python_include(root: Path, size: int) -> None:
    _write(root, {"requirements.txt": "flask==3.1.0\n-r " + "a" * size + "\n", "app.py": "print(1)\n"})


def _python_requirement_newline(root: Path, size: int) -> None:
    spec = "flask" + " " * size + "x\\ny"  # a TOML escape: the dependency string holds a line break
    pyproject = f'[project]\nname = "a"\nversion = "1"\ndependencies = ["{spec}"]\n'
    _write(root, {"pyproject.toml": pyproject, "main.py": "print(1)\n"})


def _python_poetry_constraint(root: Path, size: int) -> None:
    pyproject = (
        '[tool.poetry]\nname = "a"\nversion = "1"\n\n[tool.poetry.dependencies]\n'
        f'python = "3.11{" " * size}x"\n'
    )
    _write(root, {"pyproject.toml": pyproject, "main.py": "print(1)\n"})


_GO_MOD = "module example.com/api\n\ngo 1.22\n"


def _go_blank_lines(root: Path, size: int) -> None:
    main = "package main\n" + "\n" * size + 'import "fmt"\n\nfunc main() { fmt.Println(1) }\n'
    _write(root, {"go.mod": _GO_MOD, "main.go": main})


def _go_import_runs(root: Path, size: int) -> None:
    # `import` followed by a long run of blank lines and indentation, and never "C"
    main = f'package main\n\nimport{_run(size)}"fmt"\n\nfunc main() {{ fmt.Println(1) }}\n'
    _write(root, {"go.mod": _GO_MOD, "main.go": main})


def _rust_tuple(root: Path, size: int) -> None:
    cargo = '[package]\nname = "api"\nversion = "0.1.0"\nedition = "2021"\n'
    main = "fn main() {\n    let addr = ([0, 0, 0, 0]," + _run(size) + "x);\n}\n"
    _write(root, {"Cargo.toml": cargo, "src/main.rs": main})


_POM = (
    "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>a</groupId>\n"
    "  <artifactId>api</artifactId>\n  <version>1</version>\n{}</project>\n"
)


def _java_yaml_server(root: Path, size: int) -> None:
    lines = ["spring:\n  application:\n    name: orders\nserver:\n  servlet:\n"]
    total = len(lines[0])
    for i in itertools.count():  # a server: block that never names a port
        if total >= size:
            break
        lines.append(f"    key-{i}: value-{i}\n")
        total += len(lines[-1])
    config = "".join(lines)
    _write(root, {"pom.xml": _POM.format(""), "src/main/resources/application.yml": config})


def _java_properties_blank(root: Path, size: int) -> None:
    config = "spring.application.name=orders\n" + _run(size, "\n \n\t") + "logging.level.root=INFO\n"
    _write(root, {"pom.xml": _POM.format(""), "src/main/resources/application.properties": config})


def _java_pom_comments(root: Path, size: int) -> None:
    _write(root, {"pom.xml": _POM.format("  <!-- " * (size // 7))})


def _java_gradle_id(root: Path, size: int) -> None:
    script = "plugins {\n    id" + _run(size) + "x\n}\n"
    _write(root, {"build.gradle": script})


# ---- class 8: lockfiles in their tool's layout -------------------------------------------------
def _grow(size: int, head: str, entry: Callable[[str], str], tail: str = "") -> str:
    parts = [head]
    total = len(head) + len(tail)
    for name in _names():
        if total >= size:
            break
        text = entry(name)
        parts.append(text)
        total += len(text)
    parts.append(tail)
    return "".join(parts)


def _deps(name: str, count: int) -> list[str]:
    d = hashlib.sha256(name.encode()).digest()
    return sorted({_POOL[d[k] % len(_POOL)] for k in range(count)})


def _quote(name: str) -> str:
    return f"'{name}'" if name.startswith("@") else name


def _pnpm_v9(root: Path, size: int) -> None:
    head = (
        "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\n"
        "importers:\n\n  .:\n    dependencies:\n      express:\n        specifier: ^4.21.2\n"
        "        version: 4.21.2\n\npackages:\n\n"
    )
    packages: list[str] = []
    snapshots: list[str] = []
    total = len(head)
    for name in _names():
        if total >= size:
            break
        key = _quote(f"{name}@{_version(name)}")
        package = (
            f"  {key}:\n    resolution: {{integrity: {_integrity(name)}}}\n    engines: {{node: '>=18'}}\n"
        )
        if name.endswith("args"):
            package += "    hasBin: true\n"
        deps = "".join(f"      {_quote(d)}: {_version(d)}\n" for d in _deps(name, 3))
        snapshot = f"  {key}:\n    dependencies:\n{deps}" if deps else f"  {key}: {{}}\n"
        packages.append(package + "\n")
        snapshots.append(snapshot + "\n")
        total += len(package) + len(snapshot) + 2
    text = head + "".join(packages) + "snapshots:\n\n" + "".join(snapshots)
    _write(root, {"package.json": _PACKAGE_JSON, "pnpm-lock.yaml": text, "server.js": "require('express')\n"})


def _pnpm_v6(root: Path, size: int) -> None:
    head = (
        "lockfileVersion: '6.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\n"
        "dependencies:\n  express:\n    specifier: ^4.21.2\n    version: 4.21.2\n\npackages:\n\n"
    )

    def entry(name: str) -> str:
        deps = "".join(f"      {_quote(d)}: {_version(d)}\n" for d in _deps(name, 3))
        build = "    requiresBuild: true\n" if name.endswith("hash") else ""
        return (
            f"  /{name}@{_version(name)}:\n    resolution: {{integrity: {_integrity(name)}}}\n"
            f"    engines: {{node: '>=18'}}\n{build}    dependencies:\n{deps}"
            f"    dev: {'true' if name.startswith('@') else 'false'}\n\n"
        )

    text = _grow(size, head, entry)
    _write(root, {"package.json": _PACKAGE_JSON, "pnpm-lock.yaml": text, "server.js": "require('express')\n"})


def _yarn_v1(root: Path, size: int) -> None:
    head = "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n"

    def entry(name: str) -> str:
        version = _version(name)
        deps = "".join(f'    "{d}" "^{_version(d)}"\n' for d in _deps(name, 3))
        return (
            f'"{name}@^{version}", "{name}@~{version}":\n  version "{version}"\n'
            f'  resolved "https://registry.example/{name}/-/{name.rsplit("/")[-1]}-{version}.tgz#'
            f'{_digest(name)[:40]}"\n  integrity {_integrity(name)}\n  dependencies:\n{deps}\n'
        )

    _write(root, {"package.json": _PACKAGE_JSON, "yarn.lock": _grow(size, head, entry)})


def _yarn_berry(root: Path, size: int) -> None:
    head = '# This file is generated by running "yarn install" inside your project.\n\n'
    head += "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"

    def entry(name: str) -> str:
        version = _version(name)
        deps = "".join(f'    "{d}": "npm:^{_version(d)}"\n' for d in _deps(name, 3))
        return (
            f'"{name}@npm:^{version}":\n  version: {version}\n  resolution: "{name}@npm:{version}"\n'
            f"  dependencies:\n{deps}  checksum: 10c0/{_digest(name)}\n  languageName: node\n"
            "  linkType: hard\n\n"
        )

    _write(root, {"package.json": _PACKAGE_JSON, "yarn.lock": _grow(size, head, entry)})


def _npm_v3(root: Path, size: int) -> None:
    packages: dict[str, object] = {"": {"name": "api", "dependencies": {"express": "^4.21.2"}}}
    total = 200
    for name in _names():
        if total >= size:
            break
        version = _version(name)
        entry = {
            "version": version,
            "resolved": f"https://registry.example/{name}/-/{name.rsplit('/')[-1]}-{version}.tgz",
            "integrity": _integrity(name),
            "dev": name.startswith("@"),
            "dependencies": {d: "^" + _version(d) for d in _deps(name, 3)},
            "engines": {"node": ">=18"},
        }
        packages[f"node_modules/{name}"] = entry
        text = json.dumps(entry, indent=2)
        total += len(text) + 4 * text.count("\n") + len(name) + 30  # nested two levels deeper
    lock = {"name": "api", "lockfileVersion": 3, "requires": True, "packages": packages}
    _write(root, {"package.json": _PACKAGE_JSON, "package-lock.json": json.dumps(lock, indent=2) + "\n"})


def _plain(name: str) -> str:
    """A registry name as a Python or Rust package name: `@babel/core` → `babel-core`."""
    return name.replace("@", "").replace("/", "-")


def _toml_files(name: str) -> str:
    files = "".join(
        f'    {{file = "{name}-1.0-{tag}.whl", hash = "sha256:{_digest(name + tag)}"}},\n'
        for tag in ("cp312-cp312-manylinux_2_17_x86_64", "cp312-cp312-macosx_11_0_arm64", "py3-none-any")
    )
    return f"files = [\n{files}]\n"


def _poetry(root: Path, size: int) -> None:
    head = "# This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.\n\n"

    def entry(name: str) -> str:
        plain = _plain(name)
        deps = "".join(f'{_plain(d)} = ">={_version(d)}"\n' for d in _deps(name, 2))
        return (
            f'[[package]]\nname = "{plain}"\nversion = "{_version(name)}"\n'
            f'description = "The {plain} library."\noptional = false\npython-versions = ">=3.9"\n'
            f'groups = ["{"dev" if name.startswith("@") else "main"}"]\n{_toml_files(plain)}\n'
            f"[package.dependencies]\n{deps}\n"
        )

    tail = '[metadata]\nlock-version = "2.1"\npython-versions = "^3.12"\ncontent-hash = "0"\n'
    pyproject = '[tool.poetry]\nname = "a"\nversion = "1"\n\n[tool.poetry.dependencies]\npython = "^3.12"\n'
    _write(root, {"pyproject.toml": pyproject, "poetry.lock": _grow(size, head, entry, tail), "main.py": ""})


def _uv(root: Path, size: int) -> None:
    head = 'version = 1\nrevision = 2\nrequires-python = ">=3.12"\n\n'

    def entry(name: str) -> str:
        plain = _plain(name)
        deps = "".join(f'    {{ name = "{_plain(d)}" }},\n' for d in _deps(name, 2))
        url = f"https://files.example/packages/{plain}-{_version(name)}"
        return (
            f'[[package]]\nname = "{plain}"\nversion = "{_version(name)}"\n'
            'source = { registry = "https://index.example/simple" }\n'
            f"dependencies = [\n{deps}]\n"
            f'sdist = {{ url = "{url}.tar.gz", hash = "sha256:{_digest(name)}", size = 16384 }}\n'
            f'wheels = [\n    {{ url = "{url}-py3-none-any.whl", hash = "sha256:{_digest(plain)}", '
            "size = 8192 },\n]\n\n"
        )

    pyproject = '[project]\nname = "a"\nversion = "1"\ndependencies = []\n'
    _write(root, {"pyproject.toml": pyproject, "uv.lock": _grow(size, head, entry), "main.py": ""})


def _cargo(root: Path, size: int) -> None:
    head = "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\n"
    head += "version = 4\n\n"

    def entry(name: str) -> str:
        plain = _plain(name)
        deps = "".join(f' "{_plain(d)}",\n' for d in _deps(name, 2))
        return (
            f'[[package]]\nname = "{plain}"\nversion = "{_version(name)}"\n'
            f'source = "registry+https://index.example/crates"\nchecksum = "{_digest(name)}"\n'
            f"dependencies = [\n{deps}]\n\n"
        )

    cargo = '[package]\nname = "api"\nversion = "0.1.0"\nedition = "2021"\n'
    lock = _grow(size, head, entry)
    _write(root, {"Cargo.toml": cargo, "Cargo.lock": lock, "src/main.rs": "fn main() {}\n"})


def _go_sum(root: Path, size: int) -> None:
    def entry(name: str) -> str:
        module = f"example.com/{name.replace('@', '')}"
        version = _version(name)
        line = f"{module} v{version} h1:{_digest(name)[:43]}=\n"
        return line + f"{module} v{version}/go.mod h1:{_digest(module)[:43]}=\n"

    main = "package main\n\nfunc main() {}\n"
    _write(root, {"go.mod": _GO_MOD, "go.sum": _grow(size, "", entry), "main.go": main})


_SOURCE = MAX_SOURCE_BYTES - 4096  # a scanned source file just under the scan cap
_CONFIG = CONFIG_LIMIT - 4096  # an application config just under the Java detector's cap
_MANIFEST = 8 * 1024 * 1024  # manifests read whole (cap: MAX_FILE_BYTES); a quarter is plenty
_LOCK = MAX_FILE_BYTES - 64 * 1024  # lockfiles just under the cap of every file read

_CASES = (
    # name, detector, the file that grows, its largest size, writer
    ("node-env-port-whitespace", "node", "server.js", _SOURCE, _node_env_port),
    ("node-nest-get-whitespace", "node", "src/app.controller.ts", _SOURCE, _node_nest_get),
    ("node-huge-line", "node", "server.js", _SOURCE, _node_huge_line),
    ("node-state-minified", "node", "server.js", _SOURCE, _node_state_minified),
    ("node-unterminated-quote", "node", "vite.config.js", _MANIFEST, _node_unterminated_quote),
    ("python-fastapi-assignment", "python", "main.py", _SOURCE, _python_assignment("fastapi")),
    ("python-flask-assignment", "python", "main.py", _SOURCE, _python_assignment("flask")),
    ("python-requirements-include", "python", "requirements.txt", _MANIFEST, _python_include),
    ("python-dependency-line-break", "python", "pyproject.toml", _SOURCE, _python_requirement_newline),
    ("python-poetry-constraint", "python", "pyproject.toml", _SOURCE, _python_poetry_constraint),
    ("go-blank-lines", "go", "main.go", _SOURCE, _go_blank_lines),
    ("go-import-runs", "go", "main.go", _SOURCE, _go_import_runs),
    ("rust-tuple-whitespace", "rust", "src/main.rs", _SOURCE, _rust_tuple),
    ("java-yaml-server-no-port", "java", "application.yml", _CONFIG, _java_yaml_server),
    ("java-properties-blank-lines", "java", "application.properties", _CONFIG, _java_properties_blank),
    ("java-pom-open-comments", "java", "pom.xml", _MANIFEST, _java_pom_comments),
    ("java-gradle-id-whitespace", "java", "build.gradle", _MANIFEST, _java_gradle_id),
    ("pnpm-lock-v9", "node", "pnpm-lock.yaml", _LOCK, _pnpm_v9),
    ("pnpm-lock-v6", "node", "pnpm-lock.yaml", _LOCK, _pnpm_v6),
    ("yarn-lock-v1", "node", "yarn.lock", _LOCK, _yarn_v1),
    ("yarn-lock-berry", "node", "yarn.lock", _LOCK, _yarn_berry),
    ("package-lock-v3", "node", "package-lock.json", _LOCK, _npm_v3),
    ("poetry-lock", "python", "poetry.lock", _LOCK, _poetry),
    ("uv-lock", "python", "uv.lock", _LOCK, _uv),
    ("cargo-lock", "rust", "Cargo.lock", _LOCK, _cargo),
    ("go-sum", "go", "go.sum", _LOCK, _go_sum),
)
#: Every case by name, in the order of the table.
CASES: dict[str, Case] = {
    name: Case(name=name, detector=detector, grows=grows, cap=cap, write=write)
    for name, detector, grows, cap, write in _CASES
}


def write_case(name: str, root: Path, size: int) -> None:
    """Write case `name` at about `size` bytes into the empty folder `root`."""
    CASES[name].write(root, size)
