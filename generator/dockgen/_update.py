"""`dockgen update`: `copier update` to a newer template release, keeping the user's edits.

copier does the three-way merge: it renders the recorded version with the recorded answers,
takes the user's changes against that render, renders the new version and re-applies them.
copier exits 0 even when that leaves conflicts, so dockgen looks for them (unmerged paths in git,
`*.rej` files) and fails with the list.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier
from copier.errors import CopierError, UnsafeTemplateError

from dockgen import _answers_file
from dockgen._project import project_dir
from dockgen._render import DOCKGEN_DIR, refuse_symlinked_outputs
from dockgen._template import UNSAFE_MESSAGE as _UNSAFE
from dockgen._template import recorded_source, release_key
from dockgen.errors import DockgenError, InputError, TemplateError

__all__ = ["UpdateConflictError", "UpdateResult", "update"]


class UpdateConflictError(DockgenError):
    """The update merged with conflicts that the user must resolve."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """The template version before and after."""

    before: str
    after: str
    changed: bool = False  # files were rewritten (a new version, or answers changed with --set)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


def conflicts(root: Path) -> list[str]:
    """Files an update left conflicted: unmerged in git, or with a `.rej` beside them."""
    unmerged = _git(root, "diff", "--name-only", "--diff-filter=U").stdout.split()
    rejected = [
        p.relative_to(root).as_posix() for p in [*root.glob("*.rej"), *root.glob(f"{DOCKGEN_DIR}/*.rej")]
    ]
    return sorted(set(unmerged) | set(rejected))


def update(
    path: Path | str,
    *,
    template: str | None = None,
    vcs_ref: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> UpdateResult:
    """Update the project's generated files to `vcs_ref` (default: the newest release).

    `overrides` change recorded answers on the way (`--set`); copier merges the re-rendered
    files with the user's edits just the same.

    Raises:
        InputError: no answers file, not a git repository, or uncommitted changes.
        TemplateError: copier could not fetch or render a template version.
        UpdateConflictError: the merge left conflicts (listed); resolve them and commit.
    """
    root = project_dir(path)
    recorded = _answers_file.load(root)
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise InputError(
            "not a git repository: the update merges your edits through git "
            "(git init && git add -A && git commit -m 'before dockgen update')",
            path=root,
        )
    if _git(root, "status", "--porcelain").stdout.strip():
        raise InputError(
            "uncommitted changes: commit or stash them first, so the update can be undone", path=root
        )
    refuse_symlinked_outputs(root)  # copier writes in place: never through a symlink
    try:
        with recorded_source(recorded.src_path, recorded.commit, template, releases=True) as source:
            if vcs_ref is None:
                if source.lookup_error is not None:
                    raise TemplateError(
                        f"cannot look for a newer template release: {source.lookup_error}; --template PATH "
                        "looks in a local clone or mirror, --vcs-ref REF names the version"
                    )
                newest = source.releases[0] if source.releases else None
                ahead = newest is not None and release_key(newest) > release_key(recorded.commit)
                if not ahead and not overrides:
                    return UpdateResult(recorded.commit, recorded.commit)
                # the newest release, or (answers changed with --set) the recorded version again:
                # never a downgrade from a development build that is newer than every release
                vcs_ref = newest if ahead else recorded.commit
            copier.run_update(
                str(root),
                data=dict(overrides or {}),
                vcs_ref=vcs_ref,
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=False,
                conflict="inline",
            )
    except UnsafeTemplateError as error:
        raise TemplateError(_UNSAFE.format(detail=str(error).splitlines()[0])) from error
    except (CopierError, ValueError, OSError) as error:
        detail = str(error).strip().splitlines()
        raise TemplateError(
            f"copier update failed: {detail[-1] if detail else type(error).__name__}"
        ) from error
    after = _answers_file.load(root).commit
    changed = bool(_git(root, "status", "--porcelain").stdout.strip())
    left = conflicts(root)
    if left:
        raise UpdateConflictError(
            f"updated to {after}, with conflicts in {', '.join(left)}: keep what you want between the "
            "<<<<<<< and >>>>>>> markers (or merge the .rej hunks), then git add and commit",
            path=root,
        )
    return UpdateResult(recorded.commit, after, changed)
