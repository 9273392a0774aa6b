"""The base images the three generators name, as offline stand-ins (no registry is reachable here).

- dockgen's slim and alpine images come from `tests/standins/build.sh`, as in the test suite.
- The naive Dockerfile's `node:<N>` and `python:<X.Y>` are the official "full" images: Debian plus
  the buildpack-deps package set (compilers, headers, git, ImageMagick...). Their stand-in is the
  slim stand-in plus that same package set from Debian, so the naive image is as heavy as the real one.
- @flydotio/dockerfile writes `FROM node:<full version>-slim`; that tag is the same slim stand-in
  dockgen uses, so the two start from identical bytes.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from bench.engine import BenchError, Engine

REPOSITORY = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = REPOSITORY / "tests" / "standins" / "build.sh"

#: buildpack-deps:trixie (curl, scm and the full variant), which the official full images are built on.
BUILDPACK_DEPS = (
    "ca-certificates curl gnupg netbase sq wget "
    "git mercurial openssh-client subversion procps "
    "autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc imagemagick libbz2-dev "
    "libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev libglib2.0-dev "
    "libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev libmagickwand-dev libmaxminddb-dev "
    "libncurses-dev libpng-dev libpq-dev libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev "
    "libxml2-dev libxslt-dev libyaml-dev make patch unzip xz-utils zlib1g-dev"
)


def slim(kind: str, version: str) -> str:
    """The slim stand-in a runtime version maps to (build.sh makes Python 3.11, 3.13, 3.14 and 3.15)."""
    return f"node:{version}-trixie-slim" if kind == "node" else f"python:{version}-slim-trixie"


def ensure_standin(engine: Engine, tag: str) -> None:
    """Build a tests/standins stand-in when the engine lacks it."""
    if engine.has_image(tag):
        return
    result = subprocess.run([str(BUILD_SCRIPT), tag], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()
        raise BenchError(f"could not build the stand-in {tag}: {last[-1] if last else 'no output'}")


def ensure_full(engine: Engine, kind: str, version: str) -> str:
    """The naive Dockerfile's base (`node:<N>` / `python:<X.Y>`), built from the slim one if missing."""
    tag = f"{kind}:{version}"
    if engine.has_image(tag):
        return tag
    base = slim(kind, version)
    ensure_standin(engine, base)
    dockerfile = (
        f"FROM {base}\n"
        "RUN apt-get update \\\n"
        f" && apt-get install -y --no-install-recommends {BUILDPACK_DEPS} \\\n"
        " && rm -rf /var/lib/apt/lists/*\n"
        f'LABEL org.dockgen.standin="{tag}: {base} plus the buildpack-deps package set"\n'
    )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "Dockerfile").write_text(dockerfile)
        engine.build(Path(tmp), Path(tmp) / "Dockerfile", tag)
    return tag


def ensure_fly_base(engine: Engine, major: str, full_version: str) -> None:
    """Tag the slim stand-in as the `node:<full version>-slim` fly's Dockerfile names."""
    base = slim("node", major)
    ensure_standin(engine, base)
    engine.tag(base, f"node:{full_version}-slim")
