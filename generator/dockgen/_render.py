"""Render the template through copier and put the files into the project, all or nothing."""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import copier
from copier.errors import CopierError, UnsafeTemplateError

from dockgen._bundle import bundled_root, bundled_yaml
from dockgen._project import Project
from dockgen._template import UNSAFE_MESSAGE as _UNSAFE
from dockgen._template import TemplateSource, template_source
from dockgen.build import syntax_problem
from dockgen.errors import AnswerError, ExistingFileError, InputError, TemplateError

__all__ = [
    "changes",
    "diff_text",
    "keep_user_lines",
    "output_files",
    "read_generated",
    "render",
    "render_from",
    "write_files",
]


def output_files() -> tuple[str, ...]:
    """The files the template writes into a project (relative paths), from the template itself."""
    settings = bundled_yaml("copier.yml")
    answers_file = str(settings.get("_answers_file", ".copier-answers.yml"))
    names = []
    for path in sorted((bundled_root() / "template").iterdir()):
        if path.name.startswith("_") or not path.is_file() or "{%" in path.name:
            continue  # (a file written for some answers only, such as compose.yaml, is not always one)
        name = path.name.removesuffix(".jinja")
        names.append(answers_file if "_copier_conf.answers_file" in name else name)
    return tuple(names)


def generated_names() -> frozenset[str]:
    """Every file the template can write, for any answers (`.dockgen/healthcheck.go`...)."""
    import re

    answers_file = str(bundled_yaml("copier.yml").get("_answers_file", ".copier-answers.yml"))
    template = bundled_root() / "template"
    names = set()
    for path in template.rglob("*"):
        parts = path.relative_to(template).parts
        if not path.is_file() or parts[0] in ("_partials", "_data") or "__pycache__" in parts:
            continue
        # a conditional name ({% if kind == 'go' %}healthcheck.go{% endif %}) without its condition
        plain = [re.sub(r"\{%.*?%\}", "", part).removesuffix(".jinja") for part in parts]
        names.add(answers_file if "_copier_conf.answers_file" in plain[-1] else "/".join(plain))
    return frozenset(names)


def refuse_unknown_ignored(names: Iterable[Any], path: str | None = None) -> None:
    """Refuse `check_ignore` entries that are neither a generated file nor an answer.

    A misspelt entry would silently ignore nothing. `path` names the file that holds them.

    Raises:
        InputError: naming the entries.
    """
    from dockgen._answers import load_questions

    known = generated_names() | {q.name for q in load_questions()}
    typos = [str(n) for n in names if str(n) not in known]
    if typos:
        raise InputError(
            f"check_ignore names {', '.join(map(repr, typos))}, neither a generated file nor an answer "
            "(e.g. Dockerfile, .dockerignore, port)",
            path=path,
        )


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
        files = {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and ".git" not in path.relative_to(root).parts
        }
    dockerfile = files.get("Dockerfile")
    problem = syntax_problem(dockerfile.decode("utf-8", "replace")) if dockerfile is not None else None
    if problem:
        raise AnswerError(
            f"the rendered Dockerfile does not parse ({problem}): an answer holds something a "
            "Dockerfile cannot carry, such as a line break"
        )
    return files


#: The largest generated file dockgen reads back (Dockerfile, .dockerignore, answers, `.dockgen/*`);
#: what it writes is a few kB, so a larger file is not one of its own.
MAX_GENERATED_BYTES = 1024 * 1024
#: The folder of the helper files some ecosystems get (a compiled health probe, nginx.conf).
DOCKGEN_DIR = ".dockgen"
#: The suffix of files staged by `write_files`; one left by a killed run is removed by the next.
STAGED_SUFFIX = ".dockgen-tmp"


def existing(dest: Path, names: tuple[str, ...] | list[str]) -> list[str]:
    """Which of `names` already exist in `dest`."""
    return [name for name in names if (dest / name).exists() or (dest / name).is_symlink()]


def read_generated(project: Project, name: str) -> bytes | None:
    """A generated file as the project holds it, or None: through `Project`'s guards, capped.

    Raises:
        InputError: the file leads outside the repository through a symlink, is a FIFO or
            device, or is larger than any file dockgen writes.
    """
    return project.read_bytes(name, limit=MAX_GENERATED_BYTES)


def changes(project: Project, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files whose content differs from what the project holds (new ones included)."""
    result = {}
    for name, content in files.items():
        if read_generated(project, name) != content:
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


def diff_text(project: Project, files: Mapping[str, bytes]) -> str:
    """A unified diff from what the project holds to `files`."""
    out: list[str] = []
    for name, content in files.items():
        held = read_generated(project, name)
        before = "" if held is None else held.decode("utf-8", "replace")
        out += difflib.unified_diff(
            before.splitlines(keepends=True),
            content.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile="/dev/null" if held is None else f"a/{name}",
            tofile=f"b/{name}",
        )
    return "".join(out)


def _refuse_unsafe_target(dest: Path, name: str, *, must_be_file: bool = True) -> None:
    """No write lands outside the project: no folder on the way to a target may be a symlink.

    Raises:
        ExistingFileError: a folder on the path is a symlink or not a folder, or the target itself
            is a symlink or not a regular file.
    """
    parts = Path(name).parts
    for depth in range(1, len(parts) + 1):
        here = dest.joinpath(*parts[:depth])
        try:
            mode = here.lstat().st_mode
        except FileNotFoundError:
            return  # nothing below a missing folder exists yet: it is made fresh
        except OSError as error:
            raise ExistingFileError(f"cannot check {name}: {error.strerror}", path=dest) from error
        shown = "/".join(parts[:depth])
        if stat.S_ISLNK(mode):
            raise ExistingFileError(
                f"{shown} is a symlink; dockgen writes nothing through a symlink (it may lead outside "
                "the repository): replace it with a real file or folder (nothing was changed)",
                path=dest,
            )
        if depth < len(parts) and not stat.S_ISDIR(mode):
            raise ExistingFileError(
                f"{shown} is not a folder; cannot write {name} (nothing was changed)", path=dest
            )
        if depth == len(parts) and must_be_file and not stat.S_ISREG(mode):
            raise ExistingFileError(f"{name} is not a regular file; refusing to replace it", path=dest)


def refuse_symlinked_outputs(dest: Path) -> None:
    """Before copier writes in place (`dockgen update`): no file or folder the template writes is a symlink.

    Raises:
        ExistingFileError: one is (it could lead the write outside the repository).
    """
    names = [*output_files(), DOCKGEN_DIR]
    folder = dest / DOCKGEN_DIR
    if folder.is_dir() and not folder.is_symlink():
        names += [f"{DOCKGEN_DIR}/{entry.name}" for entry in folder.iterdir()]
    for name in names:
        _refuse_unsafe_target(dest, name, must_be_file=False)


def remove_stale_staged(dest: Path, names: Iterable[str]) -> None:
    """Remove files a killed earlier run staged (`.Dockerfile.x1y2.dockgen-tmp`) beside the targets."""
    folders = {dest.joinpath(*Path(name).parts[:-1]) for name in names}
    for folder in folders:
        if folder.is_symlink() or not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name.startswith(".") and entry.name.endswith(STAGED_SUFFIX) and not entry.is_dir():
                entry.unlink(missing_ok=True)


def write_files(
    dest: Path, files: Mapping[str, bytes], *, force: bool, replaceable: Iterable[str] = ()
) -> list[Path]:
    """Write `files` into `dest`: all of them or none, nothing the user has without `force`.

    A file that already holds the same content is left alone (not even touched). Each changed
    file is staged next to its target, then all are renamed into place; if anything fails, the
    files already replaced get their old content back and no staged file is left. A rename is
    recorded before it is made, so an interrupt between the two is rolled back too. Only a kill
    (SIGKILL, power loss) can leave some files new and others old, or a staged file, which the
    next run removes.

    `replaceable` files are rewritten without `force`: the answers file that dockgen loaded and
    replays (every answer in it carries over to the new one).

    Returns:
        The files written (unchanged ones are not listed).

    Raises:
        ExistingFileError: a different file exists and `force` is False, a target is not a
            regular file, or a folder on the way to it is a symlink.
        InputError: the file system refused a write (the message has the reason), or an existing
            target cannot be read safely.
    """
    remove_stale_staged(dest, files)
    for name in files:
        _refuse_unsafe_target(dest, name)
    todo = changes(Project(dest), files)
    taken = [name for name in existing(dest, list(todo)) if name not in set(replaceable)]
    if taken and not force:
        raise ExistingFileError(
            f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''} with other content; "
            "pass --force to overwrite, or --diff to see the changes (nothing was changed)",
            path=dest,
        )
    staged: list[tuple[Path, Path]] = []
    replaced: list[tuple[Path, bytes | None]] = []
    try:
        for name, content in todo.items():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=STAGED_SUFFIX, dir=target.parent
            )
            staged.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
            Path(tmp_name).chmod(mode)
        for tmp_path, target in staged:
            replaced.append((target, target.read_bytes() if target.is_file() else None))  # before the rename
            tmp_path.replace(target)
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
