"""Where the copier template comes from, and how copier is pointed at it.

The template is versioned by this repository's git tags (`vX.Y.Z`, equal to the package version)
and is known to copier by one canonical URL, which `.copier-answers.yml` records so that a later
`copier update` works anywhere. The installed package carries the template files; dockgen
materialises them as a git repository in the user cache, tagged with the package version, and
redirects the canonical URL there with environment-only git configuration (`url.<repo>.insteadOf`),
so rendering needs no network and records a portable `_src_path` and a real tag in `_commit`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockgen._bundle import bundled_root, template_digest, template_files
from dockgen.errors import TemplateError

# importlib.metadata, platformdirs and plumbum are imported where they are used: each command pays
# only for what it runs (`dockgen detect` reads the template through `_bundle`, without this module).

__all__ = [
    "TEMPLATE_URL",
    "TemplateSource",
    "recorded_source",
    "template_source",
]

#: The canonical repository: the README, pyproject's `[project.urls]` and every answers file name it.
REPOSITORY_URL = "https://github.com/dockgen/dockgen"
#: The canonical git URL of dockgen's template, recorded as `_src_path` in answers files
#: (`DOCKGEN_TEMPLATE_URL` names another, e.g. a company's fork).
TEMPLATE_URL = os.environ.get("DOCKGEN_TEMPLATE_URL", f"{REPOSITORY_URL}.git")
#: The distribution's name (`pip install dockgen-cli`); the command is `dockgen`. The name
#: `dockgen` on the package index belongs to an unrelated project.
DISTRIBUTION = "dockgen-cli"

#: The one message for a template that needs copier's --trust: dockgen never passes it.
UNSAFE_MESSAGE = (
    "the template uses copier features that run code (tasks, migrations or Jinja extensions): "
    "unsafe, refused; dockgen never runs copier with --trust ({detail})"
)


def package_version() -> str:
    """The installed dockgen version."""
    from importlib.metadata import version

    return version(DISTRIBUTION)


def template_identity() -> str:
    """The tag this dockgen's template is recorded by (`_commit`), and served under offline.

    A release is `v<version>`: the version and the template's digest stamped in `_release.py`
    (RELEASING.md) both match. Any other build is `v<version>+t<digest>`, so a development
    build never claims a release's tag and no two different templates share an identity.
    """
    from dockgen._release import RELEASE

    version, digest = package_version(), template_digest()
    if (version, digest[: len(RELEASE[1])]) == RELEASE:
        return f"v{version}"
    return f"v{version}{'.' if '+' in version else '+'}t{digest[:12]}"


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """What to hand copier: the source to record (`src_path`) and the ref to render (`vcs_ref`)."""

    src_path: str
    vcs_ref: str | None
    #: the release tags the source offers, newest first (known when they were fetched)
    releases: tuple[str, ...] = ()
    #: why the source's own tags could not be fetched (this dockgen's version is still served)
    lookup_error: str | None = None


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
        with _private_copier_cache():
            yield TemplateSource(_target(template), vcs_ref)
        return
    tag = template_identity()
    if vcs_ref not in (None, tag):  # another release: fetched from the canonical source
        with recorded_source(TEMPLATE_URL, vcs_ref) as source:
            yield source
        return
    from plumbum import local

    repo = _materialise(bundled_root(), tag)
    # copier runs git through plumbum, whose `local.env` is a copy of os.environ taken at import.
    with _private_copier_cache(), local.env(**_redirect(str(repo), TEMPLATE_URL)):
        yield TemplateSource(TEMPLATE_URL, vcs_ref or tag)


#: How long a tag lookup may take (`dockgen check`): the check must stay fast offline.
LOOKUP_TIMEOUT = 5.0
#: How long fetching the releases may take (`dockgen update`, a render of another version).
FETCH_TIMEOUT = 120.0


@contextmanager
def recorded_source(
    src_path: str, commit: str | None, template: str | None = None, *, releases: bool = False
) -> Iterator[TemplateSource]:
    """The template an answers file records (`src_path` at `commit`), ready for copier.

    `template` (a clone or mirror, `--template`) stands in for the recorded git URL, which copier
    keeps recording. The version this dockgen carries is always served offline. Any other version,
    and with `releases` (an update) the newest release, come from the source itself: its tags are
    fetched into a private repository for this run, beside this dockgen's own version, so an
    update reaches the newest release whatever version is installed.

    Every run gets its own copier cache: copier keys its cache by URL, and dockgen points one URL
    at different repositories (concurrent runs must not see each other's tags).

    Raises:
        TemplateError: the recorded version is neither carried nor fetchable.
    """
    # git itself knows no `git+` prefix (copier strips it)
    target = (_target(template) if template is not None else src_path).removeprefix("git+")
    if Path(src_path).is_absolute():  # a local template, recorded by its path
        with _private_copier_cache():
            yield TemplateSource(target, commit)
        return
    ours = src_path == TEMPLATE_URL
    if ours and template is None and not releases and commit == template_identity():
        with template_source(None, commit) as source:
            yield source
        return
    from plumbum import local

    with tempfile.TemporaryDirectory(prefix="dockgen-source-") as tmp:
        repo = Path(tmp) / "source.git"
        _git(["git", "init", "-q", "--bare", str(repo)], timeout=30)
        if ours or template is not None:  # a clone or mirror of dockgen's template: ours too
            own = _materialise(bundled_root(), template_identity())
            _git(["git", "-C", str(repo), "fetch", "-q", str(own), "+refs/tags/*:refs/tags/*"], timeout=60)
        failure = _git(
            ["git", "-C", str(repo), "fetch", "-q", "--", target, "+refs/tags/*:refs/tags/*"],
            timeout=FETCH_TIMEOUT,
            raise_on_error=False,
        )
        if failure and (commit is None or not _has_commit(repo, commit)):
            built = (
                " (a development build of dockgen recorded it: render it with that build)"
                if "+t" in (commit or "")
                else ""
            )
            raise TemplateError(
                f"cannot fetch template version {commit or 'HEAD'} from {printable_source(target)}: "
                f"{failure}{built}; --template PATH fetches from a local clone or mirror of the template"
            )
        listed = _git_output(["git", "-C", str(repo), "tag", "--list", "v*"])
        tags = sorted({t for t in listed.split() if is_release(t)}, key=release_key, reverse=True)
        with _private_copier_cache(), local.env(**_redirect(str(repo), src_path.removeprefix("git+"))):
            yield TemplateSource(src_path, commit, tuple(tags), failure)


def release_tags(source: str, timeout: float | None = None) -> tuple[list[str], str | None]:
    """The `vX.Y.Z` release tags of a template source, newest first, and why not when unknown.

    Bounded and never interactive: no credential prompt, no SSH question; a source that does not
    answer within `timeout` seconds (LOOKUP_TIMEOUT) is reported, not waited for.
    """
    timeout = LOOKUP_TIMEOUT if timeout is None else timeout
    try:
        remote = source.removeprefix("git+")
        listing = _run_git(["git", "ls-remote", "--tags", "--refs", "--", remote], timeout)
    except subprocess.TimeoutExpired:
        return [], f"{printable_source(source)} did not answer within {timeout:.0f}s"
    except OSError as error:
        return [], f"git could not run ({error.strerror or error})"
    if listing.returncode != 0:
        lines = [line.removeprefix("fatal: ") for line in listing.stderr.strip().splitlines() if line.strip()]
        return [], lines[-1] if lines else f"{printable_source(source)}: git ls-remote failed"
    tags = [line.rsplit("refs/tags/", 1)[-1] for line in listing.stdout.splitlines() if "refs/tags/" in line]
    return sorted({t for t in tags if is_release(t)}, key=release_key, reverse=True), None


def is_release(tag: str) -> bool:
    """A release tag: `vX.Y.Z` (no pre-release, no development or local part)."""
    return re.fullmatch(r"v\d+\.\d+\.\d+", tag) is not None


def release_key(tag: str) -> Any:
    """Orders template versions (`v0.2.0` < `v0.3.0.dev0+t…` < `v0.3.0`); junk sorts first."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(tag.removeprefix("v"))
    except InvalidVersion:
        return Version("0")


def printable_source(source: str) -> str:
    """A source for messages, without credentials in its URL (`https://user:token@host/...`)."""
    return re.sub(r"(://)[^/@\s]*@", r"\1", source)


def _target(template: str) -> str:
    given = Path(template).expanduser()
    # copier resolves a relative path against the working directory of every later run
    return str(given.resolve()) if given.exists() else template


def _has_commit(repo: Path, ref: str) -> bool:
    """`ref` (a tag or a commit hash, never an option: answers files refuse a leading -) is there."""
    return not _git(
        ["git", "-C", str(repo), "rev-parse", "-q", "--verify", "--end-of-options", f"{ref}^{{commit}}"],
        timeout=30,
        raise_on_error=False,
    )


def _git_output(command: list[str]) -> str:
    """The output of a git command, or nothing when it fails (the callers then find no tags)."""
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=30, check=False, env=_quiet_git_env()
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout if result.returncode == 0 else ""


def _quiet_git_env() -> dict[str, str]:
    """The environment for git talking to a source: never a prompt.

    dockgen's own redirects live in plumbum's environment (copier's), never in this one.
    """
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "SSH_ASKPASS": "true"}
    env["GIT_SSH_COMMAND"] = env.get("GIT_SSH_COMMAND", "ssh") + " -o BatchMode=yes"
    return env


def _run_git(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run git with no prompt of any kind, its output captured."""
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=_quiet_git_env(),
        stdin=subprocess.DEVNULL,
    )


def _git(command: list[str], *, timeout: float, raise_on_error: bool = True) -> str | None:
    """Run git quietly; the last line of its error (or a timeout), or None when it worked."""
    try:
        result = _run_git(command, timeout)
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        failure = None if result.returncode == 0 else (lines[-1] if lines else f"exit {result.returncode}")
    except subprocess.TimeoutExpired:
        failure = f"no answer within {timeout:.0f}s"
    except OSError as error:
        failure = f"git could not run ({error.strerror or error})"
    if failure and raise_on_error:
        raise TemplateError(f"cannot prepare the template ({' '.join(command[:2])}): {failure}")
    return failure


@contextmanager
def _private_copier_cache() -> Iterator[None]:
    """Copier's git cache (COPIER_CACHE_DIR, read from os.environ) private to this run."""
    before = os.environ.get("COPIER_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="dockgen-copier-") as tmp:
        os.environ["COPIER_CACHE_DIR"] = tmp
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("COPIER_CACHE_DIR", None)
            else:
                os.environ["COPIER_CACHE_DIR"] = before


def _redirect(target: str, url: str) -> dict[str, str]:
    """Environment-only git configuration that fetches `url` from `target`."""
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{target}.insteadOf", "GIT_CONFIG_VALUE_0": url}


def cache_dir() -> Path:
    """Dockgen's cache folder (`DOCKGEN_CACHE_DIR` overrides the platform default)."""
    import platformdirs

    return Path(os.environ.get("DOCKGEN_CACHE_DIR") or platformdirs.user_cache_dir("dockgen"))


def _materialise(root: Path, tag: str) -> Path:
    """A git repository of the bundled template with one commit tagged `tag`, made once."""
    files = template_files(root)
    repo = cache_dir() / "template" / f"{tag}-{template_digest(root)[:16]}.git"
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
