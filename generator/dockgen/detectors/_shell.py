"""Commands from repository text (package.json scripts), split as sh splits them, or refused.

The image runs the app with an exec-form CMD: no shell. A script converts to one only when sh would
run it as simple commands (`;`, `&&` or a line break between them) whose words are literal text.
Anything sh would expand, redirect, pipe, fork or branch on (`$VAR`, `$(...)`, globs, `~`, `|`,
`>`, `&`, `(...)`, `||`, `if`...) is refused with the reason, never approximated: the caller then
says so and looks elsewhere. Quoting is followed exactly, so `"a;b"` stays one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ShellCommand", "ShellSyntaxError", "split_script"]

#: Characters no command line of the image may carry: control characters and line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Operators sh recognises, longest first; `;` and `&&` chain commands, the others need a shell.
_OPERATORS = ("&&", "||", ";;", ">>", "<<", ">&", "<&", "<>", ">|", "|&", ";", "&", "|", "<", ">", "(", ")")
_WHY = {
    "|": "a pipe |",
    "|&": "a pipe |&",
    "||": "a fallback ||",
    "&": "a background job &",
    "(": "a subshell ( )",
    ")": "a subshell ( )",
    ";;": "case syntax ;;",
}
#: Words that start shell syntax rather than a command, where a command name would be.
_RESERVED = frozenset(
    {"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in",
     "function", "select", "{", "}", "!", "[[", "]]", "time", "coproc"}
)  # fmt: skip


class ShellSyntaxError(ValueError):
    """The script needs a shell to run as written; the message says what needs it."""


@dataclass(frozen=True, slots=True)
class ShellCommand:
    """One simple command: the variable assignments before it, and its words (none: assignments only)."""

    env: tuple[tuple[str, str], ...]
    words: tuple[str, ...]


#: A word as read: each character with whether it was quoted (quoted characters are never special).
_Word = list[tuple[str, bool]]


def split_script(script: str) -> tuple[ShellCommand, ...]:
    """The simple commands of `script`, in the order sh runs them.

    Raises:
        ShellSyntaxError: the script uses something only a shell can run, or is not valid sh.
    """
    if _CONTROL.search(script):
        raise ShellSyntaxError("a control character or an unusual line break")
    commands: list[list[_Word]] = [[]]
    word: _Word | None = None  # the word being read ([] after an empty quoted string)
    after_and = False  # an `&&` waits for its command (across line breaks, as in sh)
    i, n = 0, len(script)
    while i < n:
        c = script[i]
        if c in " \t\n;&|<>()" and word is not None:  # the end of a word
            commands[-1].append(word)
            word = None
        if c in " \t\n":
            if c == "\n" and commands[-1]:  # a line break ends a command, like `;`
                commands.append([])
            i += 1
        elif c in ";&|<>()":
            op = next(o for o in _OPERATORS if script.startswith(o, i))
            if op not in (";", "&&"):
                raise ShellSyntaxError(_WHY.get(op, f"a redirection {op}"))
            if not commands[-1]:
                raise ShellSyntaxError(f"{op} without a command before it")
            commands.append([])
            after_and = op == "&&"
            i += len(op)
        elif c == "#" and word is None:  # a comment, to the end of the line
            end = script.find("\n", i)
            i = n if end < 0 else end
        elif c == "\\":
            if i + 1 >= n:
                raise ShellSyntaxError("a backslash at the end")
            if script[i + 1] != "\n":  # (a backslash before a line break joins the lines)
                word = [] if word is None else word
                word.append((script[i + 1], True))
            i += 2
        elif c == "'":
            end = script.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("an unterminated quote")
            word = [] if word is None else word
            word.extend((ch, True) for ch in script[i + 1 : end])
            i = end + 1
        elif c == '"':
            word = [] if word is None else word
            i = _double_quoted(script, i + 1, word)
        elif c in "$`":
            raise ShellSyntaxError("a substitution $ or `")
        else:
            word = [] if word is None else word
            word.append((c, False))
            i += 1
    if word is not None:
        commands[-1].append(word)
    if after_and and not commands[-1]:
        raise ShellSyntaxError("&& without a command after it")
    return tuple(_simple(words) for words in commands if words)


def _double_quoted(script: str, i: int, word: _Word) -> int:
    """Add the double-quoted text from `i` to `word`; the index after the closing quote."""
    n = len(script)
    while i < n:
        c = script[i]
        if c == '"':
            return i + 1
        if c in "$`":
            raise ShellSyntaxError("a substitution $ or `")
        if c == "\\" and i + 1 < n and script[i + 1] in '$`"\\\n':
            if script[i + 1] != "\n":
                word.append((script[i + 1], True))
            i += 2
            continue
        word.append((c, True))
        i += 1
    raise ShellSyntaxError("an unterminated quote")


def _simple(words: list[_Word]) -> ShellCommand:
    """One simple command: leading assignments, then literal words."""
    env: list[tuple[str, str]] = []
    rest = list(words)
    while rest:
        name, value = _assignment(rest[0])
        if name is None:
            break
        env.append((name, "".join(ch for ch, _ in value)))
        rest.pop(0)
    texts = tuple("".join(ch for ch, _ in w) for w in rest)
    if rest and all(not quoted for _, quoted in rest[0]) and texts[0] in _RESERVED:
        raise ShellSyntaxError(f"shell syntax: {texts[0]}")
    for w, text in zip(rest, texts, strict=True):
        if "$(" in text or "`" in text:  # even quoted: a command substitution is never taken
            raise ShellSyntaxError("a substitution $ or `")
        _check_literal(w)
    return ShellCommand(env=tuple(env), words=texts)


def _assignment(word: _Word) -> tuple[str | None, _Word]:
    """(NAME, value) when the word is an assignment (`NAME=value`, the name unquoted), else (None, [])."""
    for k, (ch, quoted) in enumerate(word):
        if quoted:
            return None, []
        if ch == "=":
            name = "".join(c for c, _ in word[:k])
            if not _NAME.fullmatch(name):
                return None, []
            value = word[k + 1 :]
            # a ~ after `=` or `:` is expanded in an assignment
            for j, (c, q) in enumerate(value):
                if c == "~" and not q and (j == 0 or value[j - 1] == (":", False)):
                    raise ShellSyntaxError("a ~ expansion")
            return name, value
    return None, []


def _check_literal(word: _Word) -> None:
    """Refuse a word sh would expand: a glob, a leading ~, a brace expansion."""
    plain = [ch if not quoted else "\0" for ch, quoted in word]  # (no script holds a NUL)
    if any(ch in "*?[" for ch in plain):
        raise ShellSyntaxError("a glob * ? [")
    if plain and plain[0] == "~":
        raise ShellSyntaxError("a ~ expansion")
    if "{" in plain and "}" in plain[plain.index("{") :]:
        raise ShellSyntaxError("a brace expansion {…}")
