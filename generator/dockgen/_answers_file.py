"""Reading `.copier-answers.yml`: untrusted input, checked before anything runs git on it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from dockgen.errors import InputError

__all__ = ["ANSWERS_FILE", "RecordedAnswers", "load"]

ANSWERS_FILE = ".copier-answers.yml"
_URL = re.compile(
    r"^(https?|ssh|git)://[^\s]+$|^[\w.-]+@[\w.-]+:[^\s]+$|^gh:[\w.-]+/[\w.-]+$|^gl:[\w.-]+/[\w.-]+$"
)
_REF = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+/-]*$")


class RecordedAnswers:
    """The recorded template source and version, and the answers (every key not starting with `_`)."""

    def __init__(self, src_path: str, commit: str, answers: dict[str, Any]) -> None:
        self.src_path = src_path
        self.commit = commit
        self.answers = answers


def _check_source(value: Any) -> str:
    if (
        not isinstance(value, str)
        or not value
        or value.startswith("-")
        or re.search(r"[\x00-\x1f\x7f]", value)
    ):
        raise InputError(f"_src_path {value!r} is not a template source dockgen will use", path=ANSWERS_FILE)
    if _URL.match(value):
        return value
    path = Path(value)
    if not path.is_absolute() or ".." in path.parts:
        raise InputError(
            f"_src_path {value!r} is neither a git URL nor an absolute path (copier would resolve it "
            "against the current directory)",
            path=ANSWERS_FILE,
        )
    return value


def _check_ref(value: Any) -> str:
    if not isinstance(value, str) or not _REF.match(value) or ".." in value:
        raise InputError(f"_commit {value!r} is not a git tag or commit dockgen will use", path=ANSWERS_FILE)
    return value


def load(root: Path) -> RecordedAnswers:
    """The project's answers file, checked.

    Raises:
        InputError: missing, unreadable, or a `_src_path`/`_commit` that could steer git elsewhere.
    """
    path = root / ANSWERS_FILE
    if not path.is_file():
        raise InputError("not found: run `dockgen init` first", path=ANSWERS_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError("not valid YAML", path=ANSWERS_FILE) from error
    if not isinstance(data, dict):
        raise InputError("expected a mapping of answers", path=ANSWERS_FILE)
    return RecordedAnswers(
        _check_source(data.get("_src_path")),
        _check_ref(data.get("_commit")),
        {k: v for k, v in data.items() if isinstance(k, str) and not k.startswith("_")},
    )
