"""`dockgen detect` and `dockgen init` on a large synthetic Node.js repository (issue 6).

The repository is an Express app with tens of thousands of files in `node_modules` and a real
`.git`: the folders dockgen must never walk. Both commands run as subprocesses, the way a user
runs them, so interpreter start-up and imports count.

    python -m bench.large_repo [--files N] [--reps N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["TARGETS", "count_files", "main", "make_large_repo", "time_commands"]

#: Wall-time targets of the whole command, in seconds (issue 6).
TARGETS = {"detect": 0.3, "init": 1.5}

APP_NAME = "orders-api"
DEPENDENCIES = {
    "bcrypt": "5.1.1",
    "body-parser": "1.20.3",
    "compression": "1.7.5",
    "cookie-parser": "1.4.7",
    "cors": "2.8.5",
    "dotenv": "16.4.7",
    "express": "4.21.2",
    "express-rate-limit": "7.5.0",
    "express-validator": "7.2.1",
    "helmet": "8.0.0",
    "http-errors": "2.0.0",
    "ioredis": "5.4.2",
    "jsonwebtoken": "9.0.2",
    "lodash": "4.17.21",
    "morgan": "1.10.0",
    "multer": "1.4.5-lts.1",
    "nanoid": "3.3.8",
    "passport": "0.7.0",
    "passport-jwt": "4.0.1",
    "pg": "8.13.1",
    "pino": "9.6.0",
    "uuid": "11.0.5",
    "zod": "3.24.1",
}
DEV_DEPENDENCIES = {
    "@types/express": "5.0.0",
    "@types/node": "22.10.7",
    "eslint": "9.18.0",
    "jest": "29.7.0",
    "nodemon": "3.1.9",
    "prettier": "3.4.2",
    "supertest": "7.0.0",
    "typescript": "5.7.3",
}
#: Transitive packages get names like `fast-glob` or `is-stream`.
_PREFIXES = (
    *("is", "array", "async", "buffer", "char", "color", "core", "deep", "define", "es", "fast"),
    *("get", "glob", "has", "http", "json", "lru", "make", "merge", "mime", "node", "object"),
    *("once", "path", "picomatch", "pretty", "read", "safe", "semver", "side", "source"),
    *("stream", "string", "strip", "supports", "to", "type", "util", "which", "wrap"),
)
_SUFFIXES = (
    *("args", "bind", "buffer", "cache", "core", "cursor", "define", "deque", "detect", "emitter"),
    *("escape", "extend", "flags", "glob", "hash", "iterator", "json", "keys", "limit", "map"),
    *("parse", "path", "pool", "queue", "regex", "resolve", "spawn", "stream", "symbols"),
    *("to-string", "types", "utils", "walk"),
)
_SCOPES = ("@babel", "@jest", "@eslint", "@sinclair", "@tootallnate")
#: Roughly this share of the files goes to node_modules; `.git` (loose objects) pads the rest.
_NODE_MODULES_SHARE = 0.88
_SOURCE_DIRS = (
    *("config", "controllers", "db", "jobs", "lib", "middleware"),
    *("models", "routes", "services", "utils", "validators"),
)
_GIT_ENV = {
    "GIT_AUTHOR_DATE": "2024-05-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2024-05-01T12:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


@dataclass(slots=True)
class _Package:
    """One folder of node_modules and its lockfile entry."""

    path: str  # "node_modules/a" or "node_modules/a/node_modules/b"
    name: str
    version: str
    dev: bool = False
    deps: dict[str, str] = field(default_factory=dict)
    install_script: bool = False
    lib_files: int = 4

    @property
    def files(self) -> int:
        return 4 + self.lib_files  # package.json, index.js, README.md, LICENSE, lib/*.js


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _version_of(name: str, salt: str = "") -> str:
    d = _digest(name + salt)
    return f"{d[0] % 9}.{d[1] % 24}.{d[2] % 12}"


def _integrity(name: str, version: str) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(f"{name}@{version}".encode()).digest()).decode()


def _transitive_names() -> Iterator[str]:
    for round_ in itertools.count(1):
        tail = "" if round_ == 1 else str(round_)
        for prefix, suffix in itertools.product(_PREFIXES, _SUFFIXES):
            if prefix != suffix:
                yield f"{prefix}-{suffix}{tail}"
        for scope, suffix in itertools.product(_SCOPES, _SUFFIXES):
            yield f"{scope}/{suffix}{tail}"


def _plan_packages(budget: int) -> list[_Package]:
    """Direct dependencies, then transitive ones (some nested) until `budget` files are planned."""
    packages = []
    for deps, dev in ((DEPENDENCIES, False), (DEV_DEPENDENCIES, True)):
        for name, version in deps.items():
            packages.append(
                _Package(
                    path=f"node_modules/{name}",
                    name=name,
                    version=version,
                    dev=dev,
                    install_script=name == "bcrypt",
                    lib_files=4 + _digest(name)[3] % 24,
                )
            )
    direct = list(packages)
    planned = sum(p.files for p in packages)
    names = _transitive_names()
    top: list[_Package] = []
    while planned < budget:
        name = next(names)
        d = _digest(name)
        package = _Package(
            path=f"node_modules/{name}",
            name=name,
            version=_version_of(name),
            dev=d[4] % 5 < 2,
            lib_files=2 + d[3] % 22,
        )
        if top:  # depend on a few packages seen earlier, so the graph looks like one
            for k in range(d[5] % 4):
                other = top[(d[6 + k] * 7 + len(top)) % len(top)]
                package.deps[other.name] = "^" + other.version
        top.append(package)
        packages.append(package)
        planned += package.files
        if d[10] % 9 == 0 and len(top) > 1:  # a second version of an earlier package, nested
            other = top[d[11] % (len(top) - 1)]
            version = _version_of(other.name, salt="nested")
            nested = _Package(
                path=f"{package.path}/node_modules/{other.name}",
                name=other.name,
                version=version,
                dev=package.dev,
                lib_files=other.lib_files,
            )
            package.deps[other.name] = "^" + version
            packages.append(nested)
            planned += nested.files
    for package in direct if top else ():
        d = _digest(package.name)
        for k in range(1 + d[5] % 5):
            other = top[(d[6 + k] * 13) % len(top)]
            package.deps[other.name] = "^" + other.version
    return packages


def _lock_entry(package: _Package) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "version": package.version,
        "integrity": _integrity(package.name, package.version),
    }
    if package.dev:
        entry["dev"] = True
    if package.install_script:
        entry["hasInstallScript"] = True
    entry["license"] = "MIT"
    if package.deps:
        entry["dependencies"] = dict(sorted(package.deps.items()))
    entry["engines"] = {"node": ">=" + str(10 + _digest(package.name)[7] % 9)}
    return entry


def _manifest() -> dict[str, Any]:
    return {
        "name": APP_NAME,
        "version": "2.4.0",
        "private": True,
        "description": "Orders and accounts API",
        "main": "src/server.js",
        "scripts": {
            "start": "node src/server.js",
            "dev": "nodemon src/server.js",
            "test": "jest",
            "lint": "eslint src test",
            "format": "prettier --write .",
            "typecheck": "tsc --noEmit",
        },
        "engines": {"node": ">=20"},
        "dependencies": {name: "^" + version for name, version in DEPENDENCIES.items()},
        "devDependencies": {name: "^" + version for name, version in DEV_DEPENDENCIES.items()},
    }


def _lockfile(packages: list[_Package], *, hidden: bool = False) -> dict[str, Any]:
    """package-lock.json, or with `hidden` the copy npm keeps in node_modules/.package-lock.json."""
    manifest = _manifest()
    entries: dict[str, Any] = {}
    if not hidden:
        keep = ("name", "version", "dependencies", "devDependencies", "engines")
        entries[""] = {k: manifest[k] for k in keep}
    entries.update((p.path, _lock_entry(p)) for p in sorted(packages, key=lambda p: p.path))
    return {"name": APP_NAME, "version": "2.4.0", "lockfileVersion": 3, "requires": True, "packages": entries}


_SERVER_JS = """\
'use strict';

require('dotenv').config();
const express = require('express');
const helmet = require('helmet');
const compression = require('compression');
const bcrypt = require('bcrypt');
const routes = require('./routes');

const PORT = Number(process.env.PORT || 3000);
const app = express();
app.use(helmet());
app.use(compression());
app.use(express.json({ limit: '100kb' }));

app.get('/healthz', (req, res) => {
  res.status(200).json({ status: 'ok' });
});

app.post('/api/password-check', async (req, res) => {
  const ok = await bcrypt.compare(String(req.body.password || ''), String(req.body.hash || ''));
  res.json({ ok });
});

app.use('/api', routes);

app.listen(PORT, '0.0.0.0', () => {
  console.log(`orders-api listening on ${PORT}`);
});

module.exports = app;
"""


def _source_files() -> dict[str, str]:
    """The app's own files: a few hundred modules, typings and tests."""
    tsconfig = {
        "compilerOptions": {
            "allowJs": True,
            "checkJs": True,
            "noEmit": True,
            "strict": True,
            "target": "es2022",
            "module": "commonjs",
        },
        "include": ["src"],
    }
    files = {
        "package.json": json.dumps(_manifest(), indent=2) + "\n",
        ".gitignore": "node_modules/\n.env\ncoverage/\n*.log\n",
        ".nvmrc": "22\n",
        ".editorconfig": "root = true\n\n[*]\nindent_style = space\nindent_size = 2\n",
        "README.md": f"# {APP_NAME}\n\nOrders and accounts API.\n\n    npm ci\n    npm start\n",
        "tsconfig.json": json.dumps(tsconfig, indent=2) + "\n",
        "jest.config.js": "module.exports = { testEnvironment: 'node' };\n",
        "src/server.js": _SERVER_JS,
        "src/routes/index.js": "const { Router } = require('express');\n\nmodule.exports = Router();\n",
    }
    for folder in _SOURCE_DIRS:
        for i in range(28):
            name = f"{folder}{i:02d}"
            files[f"src/{folder}/{name}.js"] = (
                f"'use strict';\n\n/** @param {{Record<string, unknown>}} input */\n"
                f"function {name}(input) {{\n  return {{ ...input, step: '{folder}', n: {i} }};\n}}\n\n"
                f"module.exports = {{ {name} }};\n"
            )
    for i in range(40):
        files[f"src/types/model{i:02d}.d.ts"] = (
            f"export interface Model{i:02d} {{\n  id: string;\n  createdAt: Date;\n  value{i}: number;\n}}\n"
        )
    for i in range(40):
        files[f"test/unit{i:02d}.test.js"] = (
            f"const {{ lib{i % 28:02d} }} = require('../src/lib/lib{i % 28:02d}');\n\n"
            f"test('unit {i}', () => {{\n  expect(lib{i % 28:02d}({{}}).n).toBe({i % 28});\n}});\n"
        )
    return files


def _write_package(root: Path, package: _Package) -> None:
    folder = root / package.path
    (folder / "lib").mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "name": package.name,
        "version": package.version,
        "description": f"{package.name} for node",
        "main": "index.js",
        "license": "MIT",
        "files": ["index.js", "lib"],
    }
    if package.deps:
        manifest["dependencies"] = package.deps
    if package.install_script:
        manifest["scripts"] = {"install": "node-pre-gyp install --fallback-to-build"}
    (folder / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    requires = "".join(f"  require('./lib/part{k}'),\n" for k in range(package.lib_files))
    (folder / "index.js").write_text(f"'use strict';\n\nmodule.exports = [\n{requires}];\n")
    (folder / "README.md").write_text(f"# {package.name}\n\nVersion {package.version}.\n")
    (folder / "LICENSE").write_text("MIT License\n\nPermission is hereby granted, free of charge.\n")
    for k in range(package.lib_files):
        (folder / "lib" / f"part{k}.js").write_text(
            f"'use strict';\n\nmodule.exports = function part{k}(x) {{\n  return x + {k};\n}};\n"
        )


def _git(root: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _GIT_ENV
    command = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")


def _write_loose_objects(git_dir: Path, count: int) -> None:
    """`count` loose blobs, as a repository holds after rebases and amended commits."""
    written = 0
    for i in itertools.count():
        if written >= count:
            return
        content = f"// src/history/change{i}.js\nmodule.exports = {i};\n".encode()
        data = b"blob %d\0" % len(content) + content
        sha = hashlib.sha1(data).hexdigest()  # the object id git gives this blob
        path = git_dir / "objects" / sha[:2] / sha[2:]
        if path.exists():
            continue
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(zlib.compress(data))
        written += 1


def count_files(root: Path) -> int:
    """All files under `root` (os.walk, every folder)."""
    return sum(len(names) for _, _, names in os.walk(root))


def make_large_repo(root: Path, files: int = 50_000) -> int:
    """Write a Node.js app with a populated node_modules and a real .git at `root`.

    Deterministic: the same `files` gives the same tree. `root` must not exist or be empty.

    Returns:
        The number of files under `root` (at least `files`).
    """
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise ValueError(f"{root} is not empty")
    sources = _source_files()
    packages = _plan_packages(int(files * _NODE_MODULES_SHARE) - len(sources) - 2)
    sources["package-lock.json"] = json.dumps(_lockfile(packages), indent=2) + "\n"
    for rel, text in sources.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in packages:
        _write_package(root, package)
    hidden = _lockfile(packages, hidden=True)
    (root / "node_modules" / ".package-lock.json").write_text(json.dumps(hidden, indent=2) + "\n")
    _git(root, "-c", "init.defaultBranch=main", "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Orders API")
    total = count_files(root)
    if total < files:
        _write_loose_objects(root / ".git", files - total)
        total = count_files(root)
    return total


def _run(args: list[str], cwd: Path) -> float:
    command = [sys.executable, "-m", "dockgen", *args]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(
            f"dockgen {' '.join(args)} exited with {result.returncode}: {result.stderr.strip()}"
        )
    return seconds


def time_commands(root: Path, reps: int = 3) -> dict[str, Any]:
    """Time `dockgen detect` and `dockgen init -y --no-build` on `root`, `reps` runs each.

    Returns:
        JSON-able results: the file count and, per command, its arguments, the seconds of each
        run, their median, the target and whether the median meets it.

    Raises:
        RuntimeError: a command failed (the message holds its stderr).
    """
    commands = {
        "detect": ["detect", str(root), "--json"],
        "init": ["init", str(root), "-y", "--no-build", "--force"],
    }
    results: dict[str, Any] = {"files": count_files(root), "commands": {}}
    for name, args in commands.items():
        seconds = [_run(args, root) for _ in range(reps)]
        median = statistics.median(seconds)
        results["commands"][name] = {
            "args": args,
            "seconds": [round(s, 4) for s in seconds],
            "median": round(median, 4),
            "target": TARGETS[name],
            "pass": median < TARGETS[name],
        }
    return results


def _table(results: dict[str, Any]) -> str:
    lines = [f"{results['files']:,} files", f"{'command':<8} {'median':>8} {'target':>8}  result  runs"]
    for name, row in results["commands"].items():
        runs = " ".join(f"{s:.3f}" for s in row["seconds"])
        verdict = "pass" if row["pass"] else "FAIL"
        lines.append(f"{name:<8} {row['median']:>7.3f}s {row['target']:>7.2f}s  {verdict:<6}  {runs}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Make the repository, time the commands, print a table; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.large_repo", description="Time dockgen on a large synthetic repository."
    )
    parser.add_argument("--files", type=int, default=50_000, help="files in the repository (default 50000)")
    parser.add_argument("--reps", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        type=Path,
        help="make the repository in DIR and keep it; a DIR that is not empty is reused as it is",
    )
    args = parser.parse_args(argv)
    tmp = None
    if args.keep is None:
        tmp = tempfile.mkdtemp(prefix="dockgen-bench-")
        root = Path(tmp) / APP_NAME
    else:
        root = args.keep.resolve()
    try:
        if root.is_dir() and any(root.iterdir()):
            print(f"reusing {root}")
        else:
            start = time.perf_counter()
            made = make_large_repo(root, args.files)
            print(f"made {root}: {made:,} files in {time.perf_counter() - start:.1f}s")
        results = time_commands(root, args.reps)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(_table(results))
    return 0 if all(row["pass"] for row in results["commands"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
