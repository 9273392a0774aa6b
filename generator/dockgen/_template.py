"""Where the copier template comes from, and how copier is pointed at it.

The template is versioned by this repository's git tags (`vX.Y.Z`, equal to the package version)
and is known to copier by one canonical URL, which `.copier-answers.yml` records so that a later
`copier update` works anywhere. The installed package carries the template files; dockgen
materialises them as a git repository in the user cache, tagged with the package version, and
redirects the canonical URL there with environment-only git configuration (`url.<repo>.insteadOf`),
so rendering needs no network and records a portable `_src_path` and a real tag in `_commit`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dockgen.errors import TemplateError

# importlib.metadata, platformdirs and plumbum are imported where they are used: detectors read
# `bundled_root()` on every `dockgen detect`, which must start fast.

__all__ = [
    "TEMPLATE_URL",
    "TemplateSource",
    "bundled_root",
    "bundled_yaml",
    "recorded_source",
    "template_source",
]

#: The canonical git URL of dockgen's template, recorded as `_src_path` in answers files.
TEMPLATE_URL = os.environ.get("DOCKGEN_TEMPLATE_URL", "https://github.com/dockgen/dockgen.git")

_PACKAGE_DIR = Path(__file__).resolve().parent
#: The one message for a template that needs copier's --trust: dockgen never passes it.
UNSAFE_MESSAGE = (
    "the template uses copier features that run code (tasks, migrations or Jinja extensions): "
    "unsafe, refused; dockgen never runs copier with --trust ({detail})"
)


def package_version() -> str:
    """The installed dockgen version (the template version too)."""
    from importlib.metadata import version

    return version("dockgen")


def bundled_root() -> Path:
    """The folder holding `copier.yml` and `template/` for this installation.

    A wheel carries them as package data (`dockgen/_bundled`); a source checkout or editable
    install uses the repository root.
    """
    for candidate in (_PACKAGE_DIR / "_bundled", _PACKAGE_DIR.parents[1]):
        if (candidate / "copier.yml").is_file() and (candidate / "template").is_dir():
            return candidate
    raise TemplateError("dockgen's template is missing from this installation; reinstall dockgen")


def bundled_yaml(rel: str) -> Any:
    """A YAML file of the bundled template (`copier.yml`, `template/_data/*.yml`), parsed.

    With libyaml when PyYAML has it: the pure-Python parser takes tens of milliseconds over these
    files, on every `dockgen detect`.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((bundled_root() / rel).read_text(encoding="utf-8"), Loader=loader)


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """What to hand copier: the source to record (`src_path`) and the ref to render (`vcs_ref`)."""

    src_path: str
    vcs_ref: str | None


@contextmanager
def template_source(template: str | None = None, vcs_ref: str | None = None) -> Iterator[TemplateSource]:
    """Yield the template source for one copier run.

    Args:
        template: a template the user named (`--template`: a git URL or a local git clone);
            None means the template bundled with this dockgen.
        vcs_ref: the git ref to render (`--vcs-ref`); None means this dockgen's own version for
            the bundled template, and the newest tag for a user-named one.
    """
    if template is not None:
        given = Path(template).expanduser()
        # copier resolves a relative path against the working directory of every later run;
        # record an absolute one.
        yield TemplateSource(str(given.resolve()) if given.exists() else template, vcs_ref)
        return
    from plumbum import local

    tag = f"v{package_version()}"
    repo = _materialise(bundled_root(), tag)
    # copier runs git through plumbum, whose `local.env` is a copy of os.environ taken at import.
    with local.env(**_redirect(str(repo), TEMPLATE_URL)):
        yield TemplateSource(TEMPLATE_URL, vcs_ref or tag)


@contextmanager
def recorded_source(
    src_path: str, commit: str | None, template: str | None = None
) -> Iterator[TemplateSource]:
    """The template an answers file records (`src_path` at `commit`), ready for copier.

    `template` (a clone or mirror, `--template`) stands in for a recorded git URL through a git
    redirect, so copier keeps recording the URL. Without it, the version this dockgen carries is
    served offline, and any other version comes from the recorded source itself.
    """
    from plumbum import local

    if template is not None:
        given = Path(template).expanduser()
        target = str(given.resolve()) if given.exists() else template
        if Path(src_path).is_absolute():
            yield TemplateSource(target, commit)
            return
        with local.env(**_redirect(target, src_path)):
            yield TemplateSource(src_path, commit)
        return
    if src_path == TEMPLATE_URL and commit in (None, f"v{package_version()}"):
        with template_source(None, commit) as source:
            yield source
        return
    yield TemplateSource(src_path, commit)


def _redirect(target: str, url: str) -> dict[str, str]:
    """Environment-only git configuration that fetches `url` from `target`."""
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{target}.insteadOf", "GIT_CONFIG_VALUE_0": url}


def cache_dir() -> Path:
    """Dockgen's cache folder (`DOCKGEN_CACHE_DIR` overrides the platform default)."""
    import platformdirs

    return Path(os.environ.get("DOCKGEN_CACHE_DIR") or platformdirs.user_cache_dir("dockgen"))


def _template_files(root: Path) -> list[Path]:
    files = [root / "copier.yml"]
    files += sorted(p for p in (root / "template").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def _materialise(root: Path, tag: str) -> Path:
    """A git repository of the bundled template with one commit tagged `tag`, made once."""
    files = _template_files(root)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    repo = cache_dir() / "template" / f"{tag}-{digest.hexdigest()[:16]}.git"
    if (repo / "HEAD").is_file():
        return repo
    repo.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=repo.parent) as tmp:
        work = Path(tmp) / "work"
        for path in files:
            target = work / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_AUTHOR_NAME": "dockgen",
            "GIT_AUTHOR_EMAIL": "dockgen@localhost",
            "GIT_COMMITTER_NAME": "dockgen",
            "GIT_COMMITTER_EMAIL": "dockgen@localhost",
            "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
        }
        steps = (
            ["git", "init", "-q", "-b", "main", str(work)],
            ["git", "-C", str(work), "add", "-A"],
            ["git", "-C", str(work), "commit", "-q", "-m", f"dockgen template {tag}"],
            ["git", "-C", str(work), "tag", tag],
            ["git", "clone", "-q", "--bare", str(work), str(Path(tmp) / "bare.git")],
        )
        for step in steps:
            result = subprocess.run(step, env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise TemplateError(
                    f"cannot prepare the template ({' '.join(step[:3])}): {result.stderr.strip()}"
                )
        try:
            (Path(tmp) / "bare.git").replace(repo)
        except OSError:
            if not (repo / "HEAD").is_file():  # not a concurrent run that got there first
                raise
    return repo
