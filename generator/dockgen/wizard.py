"""The interactive wizard: it asks copier.yml's questions, suggesting what detection found.

The wizard only asks; it never decides. Decisions (and their reasons) come from the detectors
through the precedence chain in `_answers.collect`; this module turns one question into one
prompt. `Prompter` is the seam tests use; `QuestionaryPrompter` is the real terminal UI.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import questionary

from dockgen import _answers
from dockgen._answers import Question, Resolved
from dockgen._text import printable

__all__ = ["Prompter", "QuestionaryPrompter", "asker"]

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


def _show(question: Question, value: Any) -> str:
    """A value as the user edits it: YAML lists in flow (JSON) style, everything else as text."""
    if question.type in ("yaml", "json"):
        return json.dumps(value)
    return str(value)


def asker(prompter: Prompter) -> _answers.Ask:
    """An `Ask` for `_answers.collect` that puts each question to `prompter`."""

    def ask(question: Question, suggestion: Resolved, answers: Mapping[str, Any]) -> Any:
        # help and reasons quote repository text: no control characters reach the terminal
        message = printable(str(_answers.render(question.help, answers)))
        reason = suggestion.reason if suggestion.source == "detected" else None
        instruction = f"({printable(reason)})" if reason else None
        if question.choices is not None:
            options = [str(c) for c in _answers.choices(question, answers)]
            current = str(suggestion.value) if str(suggestion.value) in options else options[0]
            return prompter.select(message, options, current, instruction)
        if question.type == "bool":
            return prompter.confirm(message, bool(suggestion.value), instruction)

        def validate(text: str) -> str | None:
            try:
                value = _answers.cast(question, text)
            except ValueError as error:
                return str(error)
            return _answers.problem(question, value, answers)

        return prompter.text(message, _show(question, suggestion.value), instruction, validate)

    return ask
