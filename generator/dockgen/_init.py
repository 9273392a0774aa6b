"""`dockgen init` as a library call: detect, resolve the answers (asking if wanted), render, write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockgen import _answers, _answers_file
from dockgen._project import Project, project_dir
from dockgen._render import changes, diff_text, existing, keep_user_lines, output_files, render, write_files
from dockgen._template import TEMPLATE_URL
from dockgen.detectors import Detection, detect
from dockgen.errors import AmbiguousProjectError, ExistingFileError, InputError
from dockgen.wizard import Prompter, asker

__all__ = ["InitResult", "init", "project_dir"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InitResult:
    """What `init` decided and wrote."""

    detection: Detection
    answers: dict[str, _answers.Resolved]
    written: list[Path]  # files created or changed; files that already held the result are not listed
    diff: str | None = None  # with diff=True: what would change


def recorded_answers(root: Path, template: str | None) -> dict[str, Any]:
    """The answers a previous dockgen run recorded (question keys only), or none.

    Raises:
        InputError: the file is not an answers file, or another copier template wrote it (a
            project can hold answers of several templates; dockgen never overwrites theirs).
    """
    if not (root / _answers_file.ANSWERS_FILE).is_file():
        return {}
    recorded = _answers_file.load(root)
    ours = {TEMPLATE_URL, template, str(Path(template).expanduser().resolve()) if template else None}
    if recorded.src_path not in ours:
        raise InputError(
            f"written by another copier template ({recorded.src_path}); dockgen will not overwrite it "
            "(pass --template with that source if it is a copy of dockgen's template)",
            path=_answers_file.ANSWERS_FILE,
        )
    known = {q.name for q in _answers.load_questions()}
    return {k: v for k, v in recorded.answers.items() if k in known}


def _detect(
    project: Project, overrides: dict[str, Any], recorded: Mapping[str, Any], prompter: Prompter | None
) -> Detection:
    """Detection; with a prompter, an ambiguity that one answer settles is asked, not an error.

    Answers given (`--set`) or recorded by an earlier run settle ambiguities first. A choice made
    here is added to `overrides`, so it is recorded like a `--set` answer.
    """
    while True:
        hints = {**recorded, **overrides}
        try:
            kind = hints.get("kind")
            return detect(project, kind=kind if isinstance(kind, str) else None, hints=hints)
        except AmbiguousProjectError as error:
            if prompter is None or not error.answer or not error.choices or error.answer in hints:
                raise
            message = f"{error.message.split(';')[0]}: which {error.answer}?"
            overrides[error.answer] = prompter.select(message, list(error.choices), error.choices[0], None)


def init(
    path: Path | str,
    *,
    overrides: Mapping[str, Any] | None = None,
    prompter: Prompter | None = None,
    force: bool = False,
    template: str | None = None,
    vcs_ref: str | None = None,
    diff: bool = False,
) -> InitResult:
    """Detect the app at `path`, settle the answers and write the Dockerfile and friends.

    Args:
        path: the project folder.
        overrides: answers fixed in advance (`--set`); they win over everything.
        prompter: ask the user through this; None takes the resolved answers as they are.
        force: overwrite files that already exist with other content.
        template: a copier template source other than the bundled one (`--template`).
        vcs_ref: the template version to render (`--vcs-ref`).
        diff: write nothing; `InitResult.diff` says what would change.

    A previous dockgen run's answers are replayed, so running `init` again on an unchanged
    project changes nothing. Lines the user added to an existing `.dockerignore` are kept.
    """
    root = project_dir(path)
    overrides = dict(overrides or {})
    recorded = recorded_answers(root, template)
    taken = existing(root, output_files())
    if taken and not recorded and not (force or diff):  # someone else's files: fail before asking
        raise ExistingFileError(
            f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''}; pass --force to overwrite, "
            "or --diff to see what would change (nothing was changed)",
            path=root,
        )
    detection = _detect(Project(root), overrides, recorded, prompter)
    detected, reasons = _answers.detected_answers(detection)
    resolved = _answers.collect(
        overrides=overrides,
        recorded=recorded,
        detected=detected,
        reasons=reasons,
        ask=asker(prompter) if prompter is not None else None,
    )
    files = render({k: r.value for k, r in resolved.items()}, template=template, vcs_ref=vcs_ref)
    ignore = root / ".dockerignore"
    if ".dockerignore" in files and ignore.is_file() and not ignore.is_symlink():
        files[".dockerignore"] = keep_user_lines(ignore.read_bytes(), files[".dockerignore"])
    if diff:
        return InitResult(
            detection=detection, answers=resolved, written=[], diff=diff_text(root, changes(root, files))
        )
    written = write_files(root, files, force=force)
    return InitResult(detection=detection, answers=resolved, written=written)
