"""Run-time state inside the app's folder, shared by the detectors that look for it.

The image's files belong to root and the app runs as another user, so a write beside the code
fails ("unable to open database file", `EACCES: mkdir './data'`). Each path a detector finds
becomes a `writable_paths` answer: the template keeps it in the volume /data, owned by the app
user, and links it into the app's folder.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

__all__ = ["MAX_WRITABLE", "Writable", "inside"]

#: at most this many paths (the first found): more would be a guess, not a finding
MAX_WRITABLE = 5


@dataclass(frozen=True, slots=True)
class Writable:
    """A path under the app folder (a folder ends in /) and why the app writes it."""

    path: str
    reason: str


def inside(folder: str, *parts: str) -> str | None:
    """`folder/parts` normalised, or None when it is the folder itself or leaves it."""
    path = posixpath.normpath(posixpath.join(folder or ".", *parts))
    return None if path == "." or path.startswith("..") or path.startswith("/") else path
