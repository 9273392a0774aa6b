"""User-facing errors: one tree, each class with the exit code the CLI returns for it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

__all__ = [
    "AmbiguousProjectError",
    "AnswerError",
    "BuildFailedError",
    "Cancelled",
    "DockgenError",
    "EngineUnavailableError",
    "ExistingFileError",
    "InputError",
    "NoProjectError",
    "TemplateError",
    "UnhealthyError",
    "UsageError",
]


class DockgenError(Exception):
    """Base of every error dockgen reports to a user as one line, without a traceback."""

    exit_code: ClassVar[int] = 2

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.message = message
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path is not None else self.message


class UsageError(DockgenError):
    """The command line itself is wrong (unknown option value, missing directory...)."""


class InputError(DockgenError):
    """A file in the user's repository cannot be read or understood."""


class NoProjectError(InputError):
    """No supported application was found at the given path."""


class AmbiguousProjectError(InputError):
    """More than one application was found and dockgen will not guess which one is meant.

    When one answer settles it, `answer` names that question and `choices` lists its values:
    the wizard then asks, where a run without a terminal stops with this message.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        answer: str | None = None,
        choices: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, path=path)
        self.answer = answer
        self.choices = choices


class AnswerError(DockgenError):
    """An answer (from --set, the wizard or a recorded answers file) fails its validation."""


class ExistingFileError(DockgenError):
    """A file dockgen would write already exists and --force was not given."""


class TemplateError(DockgenError):
    """The copier template could not be found or rendered."""


class EngineUnavailableError(DockgenError):
    """No Docker engine answers, dockgen may not talk to it, or no BuildKit-capable client exists."""

    exit_code = 3


class BuildFailedError(DockgenError):
    """The image did not build."""

    exit_code = 1


class UnhealthyError(DockgenError):
    """The image built but its container did not become healthy (unhealthy, exited or timed out)."""

    exit_code = 1


class Cancelled(KeyboardInterrupt):
    """The user chose Cancel in the wizard: handled like Ctrl-C (nothing written, exit 130)."""
