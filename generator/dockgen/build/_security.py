"""The image security gate: what the built image holds and how it runs, read from the engine.

Every check looks at the image itself, not at the Dockerfile text: the config (user, health
check), the layers of `docker save` (compilers, package caches, secret-looking files, setuid
bits) and the behaviour of the running container (a clean exit on SIGTERM).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dockgen._bundle import bundled_root
from dockgen._knowledge import package_caches

__all__ = ["REQUIRED", "Check", "config_checks", "failures", "layer_checks", "lint_check"]

_COMPILERS = re.compile(
    r"^(usr/(local/)?bin/(gcc|g\+\+|cc|c\+\+|make|clang)(-[\d.]+)?|usr/lib/gcc/.+/cc1(plus)?)$"
)
#: Every package manager's cache (`template/_data/package_managers.yml`), and the package indexes
#: of apt and apk (the base image's package managers, not the app's)
_CACHES = re.compile(
    rf"^({'|'.join(re.escape(folder) + '/' for folder in package_caches())}"
    r"|var/lib/apt/lists/[^/]+_|var/cache/apk/.)"
)
_SECRET_NAMES = re.compile(
    r"(^|/)(\.env(\.(?!example$|sample$|template$)[\w.-]+)?|\.pypirc|\.netrc|id_(rsa|dsa|ecdsa|ed25519)|"
    r"credentials|\.git-credentials)$"
)
_KEY_FILE = re.compile(r"\.(pem|key|p12|pfx)$")
# where certificate bundles and packages' own test keys legitimately live
_KEY_PLACES = re.compile(
    r"(^|/)(etc/ssl|etc/pki|usr/share/ca-certificates|usr/local/share/ca-certificates|usr/lib/ssl|"
    r"usr/share/doc|node_modules|site-packages|dist-packages)/"
)
#: an installed package's own test data (`node_modules/@fastify/env/test/.env`): published with
#: the package, read by its tests, never the app's secret
_PACKAGE_TEST_DATA = re.compile(
    r"(^|/)(node_modules|site-packages|dist-packages)/(.+/)?(tests?|__tests__|testdata|fixtures?|examples?)/"
)
_SECRET_ENV = re.compile(r"(?i)(pass(wd|word)?|secret|token|api_?key|private|credential|auth)")
_HARMLESS_ENV = {"GPG_KEY", "NODE_AUTH_TOKEN_PLACEHOLDER"}
_TOKEN = re.compile(rb"(_authToken|_auth|_password)\s*=")


@dataclass(frozen=True, slots=True)
class Check:
    """One check of the gate.

    `ok` is None when the check could not run; a check that is not `required` is information and
    never fails the gate.
    """

    name: str
    ok: bool | None
    detail: str
    required: bool = True


#: The checks every image must pass; one that is missing from a report, or could not run, fails.
REQUIRED = (
    "hadolint clean",
    "non-root user",
    "health check",
    "no secrets in ENV",
    "stops on SIGTERM",
    "answers outside the container",
    "no compiler",
    "no package cache",
    "no secret files",
    "no setuid added",
)


def failures(checks: list[Check]) -> list[Check]:
    """The required checks that did not pass: failed, could not run (`ok` None), or never ran.

    A gate that cannot look must not say the image is fine.
    """
    failed = [
        c if c.ok is False else Check(c.name, False, f"could not run: {c.detail}")
        for c in checks
        if c.required and c.ok is not True
    ]
    seen = {c.name for c in checks}
    failed += [Check(name, False, "did not run") for name in REQUIRED if name not in seen]
    return failed


def config_checks(attrs: dict[str, Any]) -> list[Check]:
    """User and health check, from the image config."""
    config = attrs.get("Config") or {}
    user = str(config.get("User") or "")
    uid = user.split(":")[0]
    if not user or uid in ("0", "root"):
        user_check = Check("non-root user", False, f"runs as {user or 'root (no USER)'}")
    elif not uid.isdigit():
        user_check = Check(
            "non-root user", False, f"USER {user} is a name: use a numeric UID for runAsNonRoot"
        )
    else:
        user_check = Check("non-root user", True, f"USER {user}")
    test = (config.get("Healthcheck") or {}).get("Test") or []
    if not test or test[0] == "NONE":
        health = Check("health check", False, "no HEALTHCHECK")
    else:
        health = Check("health check", True, "exec form" if test[0] == "CMD" else "shell form")
    secret_env = [
        item.split("=", 1)[0]
        for item in config.get("Env") or []
        if _SECRET_ENV.search(item.split("=", 1)[0]) and item.split("=", 1)[0] not in _HARMLESS_ENV
    ]
    env = Check(
        "no secrets in ENV",
        not secret_env,
        ", ".join(secret_env) or "no PASSWORD/SECRET/TOKEN/KEY-like variable",
    )
    return [user_check, health, env]


def layer_checks(image: Any, base_layers: int) -> list[Check]:
    """Compilers, package caches, secret-looking files and setuid bits, from `docker save`.

    Args:
        image: the SDK image.
        base_layers: how many of its oldest filesystem layers come from the base image (setuid
            bits are only checked in the layers this Dockerfile added).
    """
    layers = _read_layers(image)
    final: dict[str, int] = {}  # path -> mode, the merged filesystem
    secrets: list[str] = []
    setuid: list[str] = []
    for index, entries in enumerate(layers):
        for path, mode, content, is_file in entries:
            name = PurePosixPath(path).name
            if name.startswith(".wh."):  # a whiteout: the layer deletes a path (or a folder's content)
                parent = str(PurePosixPath(path).parent)
                hidden = parent if name == ".wh..wh..opq" else str(PurePosixPath(parent) / name[4:])
                final = {
                    p: m
                    for p, m in final.items()
                    if not (p == hidden and name != ".wh..wh..opq") and not p.startswith(hidden + "/")
                }
                continue
            final[path] = mode
            if is_file and _secret_looking(path, content):
                secrets.append(f"{path} (layer {index + 1})")
            if index >= base_layers and mode & 0o6000:
                setuid.append(path)
    compilers = sorted(p for p in final if _COMPILERS.match(p))
    caches = sorted({_cache_root(p) for p in final if _CACHES.match(p)})
    return [
        Check("no compiler", not compilers, ", ".join(compilers[:5]) or "none of gcc, g++, cc, make"),
        Check("no package cache", not caches, ", ".join(caches[:5]) or "no npm/pip/yarn/pnpm/apt/apk cache"),
        Check("no secret files", not secrets, ", ".join(secrets[:5]) or "no .env, .npmrc token, key or .git"),
        Check("no setuid added", not setuid, ", ".join(setuid[:5]) or "no setuid/setgid bit in added layers"),
    ]


def _cache_root(path: str) -> str:
    parts = path.split("/")
    return "/" + "/".join(parts[: 4 if parts[0] == "root" else 5])


def _secret_looking(path: str, content: bytes | None) -> bool:
    if path.endswith(("/.git", "/.git/HEAD")) or "/.git/" in f"/{path}":
        return "node_modules/" not in path
    if _SECRET_NAMES.search(path):
        return not _PACKAGE_TEST_DATA.search(path)
    if path.endswith(".npmrc") or path.endswith(".yarnrc.yml"):
        return bool(content and _TOKEN.search(content))
    return bool(_KEY_FILE.search(path)) and not _KEY_PLACES.search(path)


def _read_layers(image: Any) -> list[list[tuple[str, int, bytes | None, bool]]]:
    """(path, mode, content of small config files, is a file) per filesystem layer, oldest first.

    Only files can be secrets: @azure/identity's `dist/esm/credentials` is a folder of code.
    """
    with tempfile.TemporaryFile() as archive:
        for chunk in image.save(named=False):
            archive.write(chunk)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as outer:
            manifest = json.load(outer.extractfile("manifest.json"))  # type: ignore[arg-type]
            result = []
            for layer_path in manifest[0]["Layers"]:
                member = outer.extractfile(layer_path)
                entries: list[tuple[str, int, bytes | None, bool]] = []
                if member is not None:
                    with tarfile.open(fileobj=member, mode="r|*") as layer:
                        for info in layer:
                            path = info.name.removeprefix("./").rstrip("/")
                            content = None
                            if (
                                info.isfile()
                                and info.size < 65536
                                and path.endswith((".npmrc", ".yarnrc.yml"))
                            ):
                                handle = layer.extractfile(info)
                                content = handle.read() if handle else None
                            mode = info.mode if info.isfile() else 0
                            entries.append((path, mode, content, info.isfile() or info.issym()))
                result.append(entries)
    return result


def lint_check(dockerfile: Path) -> Check:
    """Lint the Dockerfile with hadolint, DL3057 (HEALTHCHECK present) switched on.

    Uses the configuration dockgen ships; its only ignores are the documented inline ones in
    generated files (unpinned apt/apk versions, as in the Official Images).
    """
    binary = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(binary).is_file():
        return Check("hadolint clean", None, "hadolint is not installed")
    config = bundled_root() / ".hadolint.yaml"
    args = [
        binary,
        *(["--config", str(config)] if config.is_file() else []),
        "-f",
        "json",
        "--no-fail",
        str(dockerfile),
    ]
    try:
        run = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
        findings = json.loads(run.stdout or "[]")
    except (OSError, subprocess.TimeoutExpired, ValueError) as error:
        return Check("hadolint clean", None, f"hadolint did not run: {error}")
    codes = sorted({f"{f.get('code')} (line {f.get('line')})" for f in findings})
    return Check("hadolint clean", not findings, ", ".join(codes[:5]) or "no findings")
