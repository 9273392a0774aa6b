"""Just enough of npm's semver ranges to answer: which major versions does a range allow?"""

from __future__ import annotations

import re

__all__ = ["allowed_majors", "exact_major"]

Version = tuple[int, int, int]
_INF: Version = (10**9, 0, 0)
_PARTIAL = re.compile(r"^v?(\d+|[xX*])?(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][0-9A-Za-z.+-]*)?$")
_COMPARATOR = re.compile(r"^(<=|>=|<|>|=|~>|~|\^)?\s*(.*)$")


def _partial(text: str) -> tuple[int | None, int | None, int | None]:
    match = _PARTIAL.match(text.strip())
    if not match:
        raise ValueError(text)
    parts = [None if p is None or p in "xX*" else int(p) for p in match.groups()]
    # "1.x.3" is "1.x": everything after a wildcard is a wildcard.
    for i, part in enumerate(parts):
        if part is None:
            parts[i:] = [None] * (3 - i)
            break
    return parts[0], parts[1], parts[2]


def _floor(p: tuple[int | None, int | None, int | None]) -> Version:
    return (p[0] or 0, p[1] or 0, p[2] or 0)


def _next_after(p: tuple[int | None, int | None, int | None]) -> Version:
    """The first version above everything the partial `p` matches."""
    major, minor, patch = p
    if major is None:
        return _INF
    if minor is None:
        return (major + 1, 0, 0)
    if patch is None:
        return (major, minor + 1, 0)
    return (major, minor, patch + 1)


def _interval(comparator: str) -> tuple[Version, Version]:
    """[low, high) for one comparator."""
    op, rest = _COMPARATOR.match(comparator).groups()  # type: ignore[union-attr]
    p = _partial(rest)
    major, minor, _patch = p
    if op in (None, "="):
        return _floor(p), _next_after(p)
    if op == ">=":
        return _floor(p), _INF
    if op == ">":
        return _next_after(p), _INF
    if op == "<":
        return (0, 0, 0), _floor(p)
    if op == "<=":
        return (0, 0, 0), _next_after(p)
    if op in ("~", "~>"):
        high = (major + 1, 0, 0) if minor is None and major is not None else _next_after((major, minor, None))
        return _floor(p), high
    # caret: up to the next change of the left-most non-zero part
    if major is None:
        return (0, 0, 0), _INF
    if major > 0 or minor is None:
        return _floor(p), (major + 1, 0, 0)
    if minor > 0 or p[2] is None:
        return _floor(p), (0, minor + 1, 0)
    return _floor(p), (0, 0, p[2] + 1)


def _sets(spec: str) -> list[tuple[Version, Version]]:
    """Each `||` alternative of `spec` as one [low, high) interval."""
    result = []
    for alternative in spec.split("||"):
        text = re.sub(r"(<=|>=|<|>|=|~>|~|\^)\s+", r"\1", alternative.strip())
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", text)
        if hyphen:
            low, high = _floor(_partial(hyphen[1])), _next_after(_partial(hyphen[2]))
        else:
            low, high = (0, 0, 0), _INF
            for comparator in text.split() or ["*"]:
                c_low, c_high = _interval(comparator)
                low, high = max(low, c_low), min(high, c_high)
        result.append((low, high))
    return result


def allowed_majors(spec: str, candidates: range | list[int]) -> list[int]:
    """The candidate major versions that `spec` (an npm semver range) allows, in order.

    Raises:
        ValueError: `spec` is not a range this parser understands.
    """
    intervals = _sets(spec)
    return [
        major
        for major in candidates
        if any(max(low, (major, 0, 0)) < min(high, (major + 1, 0, 0)) for low, high in intervals)
    ]


def exact_major(text: str) -> int | None:
    """The major of a plain version such as `22`, `v22.1.0` or `22.x`, else None."""
    match = re.fullmatch(r"v?(\d+)(?:\.(?:\d+|x|X|\*)){0,2}", text.strip())
    return int(match[1]) if match else None
