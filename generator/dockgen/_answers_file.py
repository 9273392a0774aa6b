"""Reading `.copier-answers.yml`: untrusted input, checked before anything runs git on it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from dockgen._project import Project, load_yaml
from dockgen.errors import InputError

__all__ = ["ANSWERS_FILE", "RecordedAnswers", "load"]

ANSWERS_FILE = ".copier-answers.yml"
#: An answers file is a few hundred bytes; a larger one is not dockgen's.
MAX_BYTES = 256 * 1024
#: Answers are values or lists of values: mapping → list → value.
_MAX_DEPTH = 4
_URL = re.compile(
    r"(git\+)?(https?|ssh|git)://[^\s]+|[\w.-]+@[\w.-]+:[^\s]+|gh:[\w.-]+/[\w.-]+|gl:[\w.-]+/[\w.-]+"
)  # fullmatch: `$` would accept a trailing newline
#: A local repository as a URL (`--template git+file:///srv/mirror` is recorded so): its path is
#: checked like an absolute path.
_FILE_URL = re.compile(r"(?:git\+)?file://(/[^\s]*)")
_REF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._+/-]*")


class RecordedAnswers:
    """The recorded template source and version, and the answers (every key not starting with `_`)."""

    def __init__(self, src_path: str, commit: str, answers: dict[str, Any]) -> None:
        self.src_path = src_path
        self.commit = commit
        self.answers = answers


def _check_source(value: Any, root: Path) -> str:
    if (
        not isinstance(value, str)
        or not value
        or value.startswith("-")
        or re.search(r"[\x00-\x1f\x7f]", value)
    ):
        raise InputError(f"_src_path {value!r} is not a template source dockgen will use", path=ANSWERS_FILE)
    if _URL.fullmatch(value):
        return value
    local = _FILE_URL.fullmatch(value)
    path = Path(local[1] if local else value)
    if not path.is_absolute() or ".." in path.parts:
        raise InputError(
            f"_src_path {value!r} is neither a git URL nor an absolute path (copier would resolve it "
            "against the current directory)",
            path=ANSWERS_FILE,
        )
    # dockgen records a local template by its real path; one through a symlink (/proc/self/cwd/…)
    # means something else from every working directory
    try:
        real = os.path.realpath(path)
    except OSError:  # /proc/1/root: not even resolvable
        real = None
    if real != os.path.normpath(path):
        raise InputError(
            f"_src_path {value!r} goes through a symlink (dockgen records a template's real path)",
            path=ANSWERS_FILE,
        )
    if path == root or path.is_relative_to(root):
        raise InputError(
            f"_src_path {value!r} is inside the project: a template the checked repository brings "
            "along is not a template source dockgen will use",
            path=ANSWERS_FILE,
        )
    return value


def _check_ref(value: Any) -> str:
    if not isinstance(value, str) or not _REF.fullmatch(value) or ".." in value:
        raise InputError(f"_commit {value!r} is not a git tag or commit dockgen will use", path=ANSWERS_FILE)
    return value


def load(root: Path) -> RecordedAnswers:
    """The project's answers file, checked.

    The file is repository content: it is read through `Project` (no symlink out, no FIFO, a size
    cap), without YAML aliases, and its template source and version are checked before git sees
    them.

    Raises:
        InputError: missing, unreadable, or a `_src_path`/`_commit` that could steer git elsewhere.
    """
    root = Path(root).resolve()
    text = Project(root).read_text(ANSWERS_FILE, limit=MAX_BYTES)
    if text is None:
        raise InputError("not found: run `dockgen init` first", path=ANSWERS_FILE)
    try:
        data = load_yaml(text, aliases=False, max_depth=_MAX_DEPTH)
    except ValueError as error:
        raise InputError(f"not valid: {error}", path=ANSWERS_FILE) from error
    except yaml.YAMLError as error:
        raise InputError("not valid YAML", path=ANSWERS_FILE) from error
    if not isinstance(data, dict):
        raise InputError("expected a mapping of answers", path=ANSWERS_FILE)
    return RecordedAnswers(
        _check_source(data.get("_src_path"), root),
        _check_ref(data.get("_commit")),
        {k: v for k, v in data.items() if isinstance(k, str) and not k.startswith("_")},
    )
