"""Configuration files without their comments, so that a commented-out option decides nothing.

`next.config.mjs` with `// output: "export"` is a server app, and `# STATIC_ROOT = ...` sets no
static root. Every config file a detector reads as text goes through `without_comments` first.

One linear pass, string-aware: a comment marker inside a string is text, and a string inside a
comment is comment. The only regular expressions skip runs of ordinary characters (one character
class each), so no input can make them backtrack (issue 18). A comment becomes a space (a line
comment keeps its line break), so that what was on either side never joins into one token.
"""

from __future__ import annotations

import re
from typing import Literal

from dockgen._project import Project

__all__ = ["Syntax", "read_config", "syntax_of", "without_comments"]

#: js: JavaScript and TypeScript (`//`, `/* */`, '...', "...", `...`, regular-expression literals),
#: also Groovy and Kotlin build scripts. hash: Python and TOML (`#`, quotes, triple quotes).
Syntax = Literal["js", "hash"]

_JS: Syntax = "js"
_HASH: Syntax = "hash"
_SUFFIXES: dict[str, Syntax] = dict.fromkeys(
    (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx", ".gradle", ".kts"), _JS
) | dict.fromkeys((".py", ".toml"), _HASH)
#: After one of these (or at the start), `/` opens a regular expression, not a division.
_BEFORE_REGEX = frozenset("(,=:[!&|?{};+-*%<>~^\n")
#: A run of characters that open nothing (one character class: no backtracking).
_JS_PLAIN = re.compile(r"[^'\"`/]+")
_HASH_PLAIN = re.compile(r"[^'\"#]+")
_STRING_PLAIN = re.compile(r"[^'\"`\\\n]+")


def syntax_of(path: str) -> Syntax | None:
    """The comment syntax of a file, by its suffix; None for a file this module does not know."""
    dot = path.rfind(".")
    return _SUFFIXES.get(path[dot:]) if dot >= 0 else None


def without_comments(text: str, syntax: Syntax) -> str:
    """`text` with every comment replaced by a space (a line comment by its line break)."""
    return _js(text) if syntax == "js" else _hash(text)


def _string_end(text: str, start: int, quote: str, multiline: bool) -> int:
    """The index after the string that opens at `start` (its quote included), or the end of text.

    A single-quoted JS or Python string ends at the line's end if it is not closed (the file is
    broken; the rest of the line is taken as the string).
    """
    pos, end = start + len(quote), len(text)
    while pos < end:
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if text.startswith(quote, pos):
            return pos + len(quote)
        if char == "\n" and not multiline:
            return pos
        run = _STRING_PLAIN.match(text, pos)
        pos = run.end() if run else pos + 1
    return end


def _js(text: str) -> str:
    out: list[str] = []
    pos, end, last = 0, len(text), "\n"  # last: the last significant character kept
    plain = pos  # the start of the run of ordinary text not yet copied
    while pos < end:
        char = text[pos]
        if char in "'\"`":
            close = _string_end(text, pos, char, multiline=char == "`")
            pos, last = close, char
            continue
        if char == "/" and pos + 1 < end and text[pos + 1] in "/*":
            out.append(text[plain:pos])
            if text[pos + 1] == "/":
                newline = text.find("\n", pos)
                pos = end if newline < 0 else newline
                out.append(" ")
            else:
                close = text.find("*/", pos + 2)
                pos = end if close < 0 else close + 2
                out.append(" ")
            plain = pos
            continue
        if char == "/" and last in _BEFORE_REGEX:
            pos, last = _regex_end(text, pos), "/"
            continue
        run = _JS_PLAIN.match(text, pos)
        if run is None:  # a lone `/`: a division
            last = char
            pos += 1
            continue
        kept = run[0].rstrip()
        last = kept[-1] if kept else last
        pos = run.end()
    out.append(text[plain:])
    return "".join(out)


def _regex_end(text: str, start: int) -> int:
    """The index after a regular-expression literal's closing `/` (or the line's end)."""
    pos, end, in_class = start + 1, len(text), False
    while pos < end:
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "\n":
            return pos
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            return pos + 1
        pos += 1
    return end


def _hash(text: str) -> str:
    out: list[str] = []
    pos, end, plain = 0, len(text), 0
    while pos < end:
        char = text[pos]
        if char in "'\"":
            triple = text.startswith(char * 3, pos)
            pos = _string_end(text, pos, char * 3 if triple else char, multiline=triple)
            continue
        if char == "#":
            out.append(text[plain:pos])
            newline = text.find("\n", pos)
            pos = end if newline < 0 else newline
            out.append(" ")
            plain = pos
            continue
        run = _HASH_PLAIN.match(text, pos)
        pos = run.end() if run else pos + 1
    out.append(text[plain:])
    return "".join(out)


def read_config(project: Project, path: str) -> str | None:
    """A config file's text without its comments, or None when it is not a file or too large.

    The syntax comes from the suffix; a file of unknown syntax is returned as it is.
    """
    text = project.read_source(path) if project.is_file(path) else None
    if text is None:
        return None
    syntax = syntax_of(path)
    return without_comments(text, syntax) if syntax else text
