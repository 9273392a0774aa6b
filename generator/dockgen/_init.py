"""`dockgen init` as a library call: detect, resolve the answers (asking if wanted), render, write."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dockgen import _answers, _answers_file
from dockgen._project import Project, project_dir
from dockgen._render import (
    changes,
    diff_text,
    existing,
    keep_user_lines,
    output_files,
    read_generated,
    refuse_unknown_ignored,
    render,
    write_files,
)
from dockgen._template import DISTRIBUTION, TEMPLATE_URL, release_key, template_identity
from dockgen._text import COMMANDS, printable
from dockgen.detectors import Detection, detect
from dockgen.errors import AmbiguousProjectError, ExistingFileError, InputError
from dockgen.wizard import Prompter, review

__all__ = ["InitResult", "init", "project_dir"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InitResult:
    """What `init` decided and wrote."""

    detection: Detection
    answers: dict[str, _answers.Resolved]
    written: list[Path]  # files created or changed; files that already held the result are not listed
    diff: str | None = None  # with diff=True: what would change
    #: recorded answers (repository content) used although detection suggests otherwise:
    #: name → (recorded, detected); the CLI lists them, the wizard confirms the commands first
    recorded_differs: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def recorded_answers(project: Project, template: str | None) -> dict[str, Any]:
    """The answers a previous dockgen run recorded (question keys only), or none.

    Raises:
        InputError: the file is not an answers file, or another copier template wrote it (a
            project can hold answers of several templates; dockgen never overwrites theirs).
    """
    if not project.is_file(_answers_file.ANSWERS_FILE):
        return {}
    recorded = _answers_file.load(project.root)
    ours = {TEMPLATE_URL, template, str(Path(template).expanduser().resolve()) if template else None}
    if recorded.src_path not in ours:
        raise InputError(
            f"written by another copier template ({recorded.src_path}); dockgen will not overwrite it "
            "(pass --template with that source if it is a copy of dockgen's template)",
            path=_answers_file.ANSWERS_FILE,
        )
    known = {q.name for q in _answers.load_questions()}
    return {k: v for k, v in recorded.answers.items() if k in known}


def _refuse_downgrade(root: Path) -> None:
    """Re-running init with an older template than the one recorded would drop the user's edits."""
    commit = _answers_file.load(root).commit
    mine = template_identity()
    older, newer = release_key(mine), release_key(commit)
    if newer > older and not (newer.local and older.local and newer.public == older.public):
        raise InputError(
            f"records template {commit}, newer than this dockgen's {mine}: init would render the older "
            "template over your files; `dockgen update --set NAME=VALUE` changes answers and keeps your "
            f"edits, or install a newer {DISTRIBUTION}",
            path=_answers_file.ANSWERS_FILE,
        )


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
            message = printable(f"{error.message.split(';')[0]}: which {error.answer}?")
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
    project = Project(root)
    overrides = dict(overrides or {})
    recorded = recorded_answers(project, template)
    if recorded and template is None and vcs_ref is None and not diff:
        _refuse_downgrade(root)
    taken = existing(root, output_files())
    if taken and not recorded and not (force or diff):  # someone else's files: fail before asking
        raise ExistingFileError(
            f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''}; pass --force to overwrite, "
            "or --diff to see what would change (nothing was changed)",
            path=root,
        )
    detection = _detect(project, overrides, recorded, prompter)
    detected = detection.values()
    differs = {
        name: (value, detected[name])
        for name, value in recorded.items()
        if name in detected and name not in overrides and value != detected[name]
    }
    if prompter is not None:
        for name in [n for n in COMMANDS if n in differs]:
            old, new = differs[name]
            keep = prompter.confirm(
                f"{_answers_file.ANSWERS_FILE} records {name} {json.dumps(old)}, but the project's "
                f"files say {json.dumps(new)}. Keep the recorded command?",
                False,
                "(the answers file is part of the repository: anyone who can commit can change it)",
            )
            if not keep:
                del recorded[name], differs[name]

    def resolve(fixed: Mapping[str, Any]) -> dict[str, _answers.Resolved]:
        return _answers.collect(overrides=fixed, recorded=recorded, detected=detection.answers)

    answered: list[str] = []
    if prompter is not None:  # the summary, the guesses, then only what the user picks
        overrides, answered = review(prompter, detection, resolve, overrides)
    resolved = resolve(overrides)
    for name in answered:
        if name in resolved:
            resolved[name] = replace(resolved[name], source="wizard")
    differs = {
        n: (old, new) for n, (old, new) in differs.items() if n in resolved and resolved[n].value == old
    }
    values = {k: r.value for k, r in resolved.items()}
    refuse_unknown_ignored(values.get("check_ignore") or [])
    files = render(values, template=template, vcs_ref=vcs_ref)
    # files listed in check_ignore are the user's now: kept as they are once they exist
    for name in [n for n in files if n in (values.get("check_ignore") or []) and project.is_file(n)]:
        del files[name]
    held = read_generated(project, ".dockerignore") if ".dockerignore" in files else None
    if held is not None:
        files[".dockerignore"] = keep_user_lines(held, files[".dockerignore"])
    result = InitResult(detection=detection, answers=resolved, written=[], recorded_differs=differs)
    if diff:
        return replace(result, diff=diff_text(project, changes(project, files)))
    # the answers file dockgen loaded is replayed into the new one: nothing of it is lost
    own = (_answers_file.ANSWERS_FILE,) if recorded else ()
    return replace(result, written=write_files(root, files, force=force, replaceable=own))
