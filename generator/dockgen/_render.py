"""Render the template through copier and put the files into the project, all or nothing."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier
from copier.errors import CopierError, UnsafeTemplateError

from dockgen._template import UNSAFE_MESSAGE as _UNSAFE
from dockgen._template import TemplateSource, bundled_root, bundled_yaml, template_source
from dockgen.errors import AnswerError, ExistingFileError, InputError, TemplateError

__all__ = ["changes", "diff_text", "keep_user_lines", "output_files", "render", "render_from", "write_files"]


def output_files() -> tuple[str, ...]:
    """The files the template writes into a project (relative paths), from the template itself."""
    settings = bundled_yaml("copier.yml")
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
        except UnsafeTemplateError as error:
            raise TemplateError(_UNSAFE.format(detail=str(error).splitlines()[0])) from error
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


def changes(dest: Path, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files whose content differs from what `dest` holds (new ones included)."""
    result = {}
    for name, content in files.items():
        target = dest / name
        if target.is_symlink() or not target.is_file() or target.read_bytes() != content:
            result[name] = content
    return result


def keep_user_lines(old: bytes, new: bytes) -> bytes:
    """`.dockerignore` re-rendered: lines the user wrote (not in the new render) are kept at the end."""
    rendered = set(new.decode("utf-8", "replace").splitlines())
    kept = [
        line for line in old.decode("utf-8", "replace").splitlines() if line.strip() and line not in rendered
    ]
    if not kept:
        return new
    marker = "# kept from your .dockerignore"
    block = [line for line in kept if line != marker]
    return new.rstrip(b"\n") + ("\n\n" + marker + "\n" + "\n".join(block) + "\n").encode()


def diff_text(dest: Path, files: Mapping[str, bytes]) -> str:
    """A unified diff from what `dest` holds to `files`."""
    out: list[str] = []
    for name, content in files.items():
        target = dest / name
        before = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else ""
        out += difflib.unified_diff(
            before.splitlines(keepends=True),
            content.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=f"a/{name}" if target.is_file() else "/dev/null",
            tofile=f"b/{name}",
        )
    return "".join(out)


def write_files(dest: Path, files: Mapping[str, bytes], *, force: bool) -> list[Path]:
    """Write `files` into `dest`: all of them or none, nothing the user has without `force`.

    A file that already holds the same content is left alone (not even touched). Each changed
    file is staged next to its target, then all are renamed into place; if anything fails, the
    files already replaced get their old content back and no staged file is left.

    Returns:
        The files written (unchanged ones are not listed).

    Raises:
        ExistingFileError: a different file exists and `force` is False, or a target is not a
            regular file.
        InputError: the file system refused a write (the message has the reason).
    """
    todo = changes(dest, files)
    taken = existing(dest, list(todo))
    if taken and not force:
        raise ExistingFileError(
            f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''} with other content; "
            "pass --force to overwrite, or --diff to see the changes (nothing was changed)",
            path=dest,
        )
    for name in todo:
        target = dest / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ExistingFileError(f"{name} is not a regular file; refusing to replace it", path=dest)
    staged: list[tuple[Path, Path]] = []
    replaced: list[tuple[Path, bytes | None]] = []
    try:
        for name, content in todo.items():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".dockgen-tmp", dir=target.parent
            )
            staged.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
            Path(tmp_name).chmod(mode)
        for tmp_path, target in staged:
            previous = target.read_bytes() if target.is_file() else None
            tmp_path.replace(target)
            replaced.append((target, previous))
    except OSError as error:
        _roll_back(replaced)
        raise InputError(
            f"cannot write: {error.strerror or error}; nothing was changed", path=dest
        ) from error
    except BaseException:
        _roll_back(replaced)
        raise
    finally:
        for tmp_path, _ in staged:
            if tmp_path.exists():
                tmp_path.unlink()
    return [target for _, target in staged]


def _roll_back(replaced: list[tuple[Path, bytes | None]]) -> None:
    for target, previous in reversed(replaced):
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)
