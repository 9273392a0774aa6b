"""The interactive wizard: what was found first, then only what the user wants to change.

`review` shows the settings as a table (value and reason, guesses marked, warnings beneath), asks
the guesses as real questions, then one question: Generate / Change... / Cancel. Change... offers
the settings in plain words (the advanced ones after the others) and asks only those picked.

The wizard only asks; it never decides. Decisions (and their reasons) come from the detectors
through the precedence chain in `_answers.collect`; this module turns one question into one
prompt. `Prompter` is the seam tests use; `QuestionaryPrompter` is the real terminal UI.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import questionary

from dockgen import _answers
from dockgen._answers import ADVANCED, MAIN, Question, Resolved
from dockgen._text import COMMANDS, display, printable, row
from dockgen.detectors import REGISTRY, Detection
from dockgen.errors import Cancelled

__all__ = ["ADVANCED", "MAIN", "Prompter", "QuestionaryPrompter", "guessed", "review", "summary"]

Validate = Callable[[str], str | None]


class Prompter(Protocol):
    """The three kinds of prompt the wizard needs."""

    def select(self, message: str, choices: list[str], default: str, instruction: str | None) -> str:
        """Pick one of `choices`."""
        ...

    def confirm(self, message: str, default: bool, instruction: str | None) -> bool:
        """Answer yes or no."""
        ...

    def text(self, message: str, default: str, instruction: str | None, validate: Validate) -> str:
        """Type a value; `validate` returns an error message or None."""
        ...

    def checkbox(self, message: str, choices: list[str], instruction: str | None) -> list[str]:
        """Pick any number of `choices`."""
        ...

    def show(self, text: str) -> None:
        """Show text (the summary of the settings)."""
        ...


class QuestionaryPrompter:
    """Prompts on the terminal with questionary (Ctrl-C raises KeyboardInterrupt)."""

    def select(self, message: str, choices: list[str], default: str, instruction: str | None) -> str:
        """Pick one of `choices`."""
        result: str = questionary.select(
            message, choices=choices, default=default, instruction=instruction
        ).unsafe_ask()
        return result

    def confirm(self, message: str, default: bool, instruction: str | None) -> bool:
        """Answer yes or no."""
        result: bool = questionary.confirm(message, default=default, instruction=instruction).unsafe_ask()
        return result

    def text(self, message: str, default: str, instruction: str | None, validate: Validate) -> str:
        """Type a value, re-asked until `validate` accepts it."""
        result: str = questionary.text(
            message,
            default=default,
            instruction=instruction,
            validate=lambda value: validate(value) or True,
        ).unsafe_ask()
        return result

    def checkbox(self, message: str, choices: list[str], instruction: str | None) -> list[str]:
        """Pick any number of `choices` (space marks one, enter goes on)."""
        result: list[str] = questionary.checkbox(
            message, choices=choices, instruction=instruction
        ).unsafe_ask()
        return result

    def show(self, text: str) -> None:
        """Print the text on the terminal."""
        print(text, flush=True)


def _show(question: Question, value: Any) -> str:
    """A value as the user edits it: YAML lists in flow (JSON) style, everything else as text."""
    if question.type in ("yaml", "json"):
        return json.dumps(value)
    return str(value)


#: The trade-off of each base image, shown where it is chosen.
BASES = {
    "slim": "slim: Debian (glibc), works with every native package",
    "alpine": "alpine: musl, smallest; native packages need musl builds",
    "distroless": "distroless: glibc and the runtime alone; no shell to debug with, no system packages",
    "scratch": "scratch: nothing but the binary; static binaries only",
}
Resolve = Callable[[Mapping[str, Any]], dict[str, Resolved]]


def guessed(resolved: Mapping[str, Resolved]) -> list[str]:
    """The main settings that detection assumed rather than found, in table order."""
    return [
        name
        for name in MAIN
        if name in resolved and resolved[name].source == "detected" and not resolved[name].found
    ]


def summary(resolved: Mapping[str, Resolved], detection: Detection, chosen: Iterable[str] = ()) -> str:
    """The settings as the table `dockgen detect` prints: value and reason; guesses marked `?`.

    `chosen` names the settings the user answered in this wizard.
    """
    guesses = set(guessed(resolved))
    lines = [f"{REGISTRY[detection.kind].LABEL} app:"]
    for name, label in MAIN.items():
        if name not in resolved:
            continue
        answer = resolved[name]
        reason = "your answer" if name in chosen else answer.reason
        lines.append(row(label, display(name, answer.value), reason, guessed=name in guesses))
    if guesses:
        lines.append("  (? guessed: asked first)")
    lines += [f"  warning: {w}" for w in detection.warnings]
    return printable("\n".join(lines), keep="\n")


def _ask(
    prompter: Prompter, question: Question, current: Any, answers: Mapping[str, Any], reason: str | None
) -> Any:
    """One question, in the prompt that fits it; lists are typed as a shell-style line."""
    message = printable(_answers.label(question.name))
    instruction = f"({printable(reason)})" if reason else None
    if question.choices is not None:
        options = [str(c) for c in _answers.choices(question, answers)]
        if question.name == "base":
            instruction = "(" + "; ".join(BASES[o] for o in options if o in BASES) + ")"
        default = str(current) if str(current) in options else options[0]
        return prompter.select(message, options, default, instruction)
    if question.type == "bool":
        return prompter.confirm(message, bool(current), instruction)
    listed = question.type in ("yaml", "json") and (isinstance(current, list) or current in (None, ""))

    def parse(text: str) -> Any:
        return shlex.split(text) if listed else _answers.cast(question, text)

    def validate(text: str) -> str | None:
        try:
            value = parse(text)
        except ValueError as error:
            return str(error)
        return _answers.problem(question, value, answers)

    shown = shlex.join(current or []) if listed else _show(question, current)
    if listed:
        instruction = f"{instruction or ''} (a shell-style line: words, quoted where needed)".strip()
    value = parse(prompter.text(message, shown, instruction, validate))
    if question.name in COMMANDS:
        prompter.show(f"  {MAIN[question.name]}: written as {printable(json.dumps(value))}")
    return value


def review(
    prompter: Prompter, detection: Detection, resolve: Resolve, overrides: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Show the settings, ask the guesses, then Generate / Change... / Cancel.

    Returns the answers fixed here (with `overrides`) and the names the user answered.

    Raises:
        KeyboardInterrupt: Cancel, or Ctrl-C at any prompt (nothing is written).
    """
    questions = {q.name: q for q in _answers.load_questions()}
    chosen = dict(overrides)
    answered: list[str] = []
    resolved = resolve(chosen)

    def ask(name: str) -> None:
        nonlocal resolved
        values = {k: r.value for k, r in resolved.items()}
        earlier = {k: v for k, v in values.items() if list(questions).index(k) < list(questions).index(name)}
        chosen[name] = _ask(prompter, questions[name], values[name], earlier, resolved[name].reason)
        answered.append(name)
        resolved = resolve(chosen)

    for name in guessed(resolved):
        if name not in overrides:
            ask(name)
    while True:
        prompter.show(summary(resolved, detection, answered))
        action = prompter.select("Generate with these settings?", ["Yes", "Change…", "Cancel"], "Yes", None)
        if action == "Yes":
            return chosen, answered
        if action == "Cancel":
            raise Cancelled
        # the main settings first, then every other question that applies, in copier.yml's order
        names = [*MAIN, *(n for n in questions if n not in MAIN)]
        offered = {_answers.label(n): n for n in names if n in resolved and n not in overrides}
        for label in prompter.checkbox(
            "Change which settings?",
            list(offered),
            "(space picks, enter goes on; the advanced ones come last)",
        ):
            ask(offered[label])
