"""Render the template through copier and put the files into the project, all or nothing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier
import yaml
from copier.errors import CopierError

from dockgen._template import TemplateSource, bundled_root, template_source
from dockgen.errors import AnswerError, ExistingFileError, TemplateError

__all__ = ["output_files", "render", "render_from", "write_files"]


def output_files() -> tuple[str, ...]:
    """The files the template writes into a project (relative paths), from the template itself."""
    settings = yaml.safe_load((bundled_root() / "copier.yml").read_text(encoding="utf-8"))
    answers_file = str(settings.get("_answers_file", ".copier-answers.yml"))
    names = []
    for path in sorted((bundled_root() / "template").iterdir()):
        if path.name.startswith("_") or not path.is_file():
            continue
        name = path.name.removesuffix(".jinja")
        names.append(answers_file if "_copier_conf.answers_file" in name else name)
    return tuple(names)


def render(
    answers: Mapping[str, Any], *, template: str | None = None, vcs_ref: str | None = None
) -> dict[str, bytes]:
    """The rendered files (relative path → content) for `answers`, without touching the project.

    Raises:
        AnswerError: copier rejected an answer.
        TemplateError: the template could not be fetched or rendered.
    """
    with template_source(template, vcs_ref) as source:
        return render_from(source, answers)


def render_from(source: TemplateSource, answers: Mapping[str, Any]) -> dict[str, bytes]:
    """`render` from a given template source and version."""
    with tempfile.TemporaryDirectory(prefix="dockgen-render-") as tmp:
        try:
            copier.run_copy(
                source.src_path,
                tmp,
                data=dict(answers),
                vcs_ref=source.vcs_ref,
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=False,
            )
        except ValueError as error:  # copier's answer validation
            raise AnswerError(str(error).splitlines()[0]) from error
        except (CopierError, OSError) as error:
            detail = str(error).strip().splitlines()
            raise TemplateError(
                f"copier could not render {source.src_path}: {detail[-1] if detail else error}"
            ) from error
        root = Path(tmp)
        return {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and ".git" not in path.relative_to(root).parts
        }


def existing(dest: Path, names: tuple[str, ...] | list[str]) -> list[str]:
    """Which of `names` already exist in `dest`."""
    return [name for name in names if (dest / name).exists() or (dest / name).is_symlink()]


def write_files(dest: Path, files: Mapping[str, bytes], *, force: bool) -> list[Path]:
    """Write `files` into `dest` atomically: every file or none, and nothing existing without `force`.

    Each file is staged as a temporary file next to its target, then all are renamed into place;
    on any error the staged files are removed and the project is as it was.

    Raises:
        ExistingFileError: a target exists and `force` is False.
    """
    taken = existing(dest, list(files))
    if taken and not force:
        raise ExistingFileError(
            f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''}; "
            "pass --force to overwrite (nothing was changed)",
            path=dest,
        )
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            target = dest / name
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise ExistingFileError(f"{name} is not a regular file; refusing to replace it", path=dest)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".dockgen-tmp", dir=target.parent
            )
            staged.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
            Path(tmp_name).chmod(mode)
        for tmp_path, target in staged:
            tmp_path.replace(target)
    finally:
        for tmp_path, _ in staged:
            if tmp_path.exists():
                tmp_path.unlink()
    return [target for _, target in staged]
