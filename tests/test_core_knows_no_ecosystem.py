"""The core modules (everything outside `detectors/`) never name an ecosystem or its marker files.

Ecosystem facts live in each detector (NAME, LABEL, ECOSYSTEM, base_drift)
and in the template's data tables; the core asks the detector. Code is read, not docstrings or
comments: a docstring may say "a Node.js app" to explain, code may not branch on it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dockgen.detectors import REGISTRY

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "dockgen"
#: dockgen's own pyproject.toml (the release script stamps its version), not an app's manifest
ALLOWED = {("_release.py", "pyproject.toml")}


def _words() -> set[str]:
    words: set[str] = set()
    for detector in REGISTRY.values():
        words |= {detector.NAME, detector.LABEL, *detector.ECOSYSTEM.markers, detector.ECOSYSTEM.manifest}
    return words


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes (a module's, class's or function's first string)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _texts(source: str) -> list[tuple[int, str]]:
    """The strings and names of the code, with their lines (docstrings and comments left out)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    texts: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            texts.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            texts.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            texts.append((node.lineno, node.attr))
    return texts


CORE = sorted(p for p in PACKAGE.rglob("*.py") if "detectors" not in p.relative_to(PACKAGE).parts)


def test_the_words_come_from_the_detectors() -> None:
    words = _words()
    assert {"node", "Node.js", "package.json", "go.mod", "Cargo.toml", "pom.xml", "pyproject.toml"} <= words
    assert len(CORE) > 20  # the scan reads the core modules


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_core_module_names_no_ecosystem(path: Path) -> None:
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(_words()))) + r")(?![\w-])")
    hits = [
        f"{path.name}:{line}: {word!r} in {text!r}"
        for line, text in _texts(path.read_text(encoding="utf-8"))
        for word in pattern.findall(text)
        if (path.name, word) not in ALLOWED
    ]
    assert not hits, "ask the detector instead:\n" + "\n".join(hits)


def test_the_scan_finds_a_planted_name() -> None:
    """The check itself works: an ecosystem branch in code is caught, its docstring is not."""
    planted = '"""A Node.js helper."""\nif kind == "node":\n    manifest = "package.json"\n'
    words = {text for _, text in _texts(planted)}
    assert "node" in words and "package.json" in words and "A Node.js helper." not in words
