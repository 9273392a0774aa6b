"""Manifest fields of the wrong type: treated as absent (the detectors guard every read), with a warning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["entry_warnings", "type_warnings"]

_NAMES = {str: "a string", dict: "an object", list: "a list", bool: "true or false"}


def type_warnings(file: str, data: Mapping[str, Any], expected: Mapping[str, tuple[type, ...]]) -> list[str]:
    """One warning per field of `expected` (a dotted path) present in `data` with another type."""
    warnings = []
    for dotted, types in expected.items():
        node: Any = data
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is not None and not isinstance(node, types):
            wanted = " or ".join(_NAMES.get(t, t.__name__) for t in types)
            warnings.append(f"{file}: {dotted} should be {wanted}, not {type(node).__name__}; ignored")
    return warnings


def entry_warnings(file: str, section: str, data: Mapping[str, Any], types: tuple[type, ...]) -> list[str]:
    """One warning per entry of the `section` object (`scripts`) whose value has another type.

    Entry names are free text (`start.prod`), so they are not dotted paths of `type_warnings`; one
    that cannot be printed as it is (a line break) is shown as a Python literal.
    """
    entries = data.get(section)
    if not isinstance(entries, Mapping):
        return []
    wanted = " or ".join(_NAMES.get(t, t.__name__) for t in types)
    return [
        f"{file}: {section}.{name if name.isprintable() else repr(name)} should be {wanted}, "
        f"not {_json_type(value)}; ignored"
        for name, value in entries.items()
        if not isinstance(value, types)
    ]


def _json_type(value: Any) -> str:
    return "null" if value is None else type(value).__name__
