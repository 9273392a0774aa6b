"""Answers to the template's questions: where each comes from, and whether it is valid.

copier.yml is the only list of questions. This module reads it, and resolves every answer through
one precedence chain: `--set` > recorded answers > detection > the template's default. It checks
each answer with the question's own `choices` and `validator` expressions, rendered the way copier
renders them, so the wizard, `--set` and copier itself agree on what is valid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from dockgen._bundle import bundled_root, bundled_yaml
from dockgen.detectors import Answer
from dockgen.errors import AnswerError

__all__ = ["ADVANCED", "MAIN", "Question", "Resolved", "collect", "label", "load_questions", "parse_set"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One question of copier.yml, with its raw (unrendered) settings."""

    name: str
    type: str
    help: str
    choices: tuple[Any, ...] | None
    default: Any
    when: Any
    validator: str


@dataclass(frozen=True, slots=True)
class Resolved:
    """An answer with where it came from (`--set`, `recorded`, `detected`, `default`, `wizard`)."""

    value: Any
    source: str
    reason: str | None
    #: False for a detected answer that detection assumed rather than found in a file
    found: bool = True


@cache
def load_questions() -> tuple[Question, ...]:
    """The questions of the bundled copier.yml, in order."""
    data = bundled_yaml("copier.yml")
    return tuple(
        Question(
            name=name,
            type=str(spec.get("type", "str")),
            help=str(spec.get("help", name)),
            choices=tuple(spec["choices"]) if "choices" in spec else None,
            default=spec.get("default"),
            when=spec.get("when", True),
            validator=str(spec.get("validator", "")),
        )
        for name, spec in data.items()
        if not name.startswith("_") and isinstance(spec, dict)
    )


@cache
def _env() -> SandboxedEnvironment:
    # The same setup copier gives templates: sandboxed, Ansible's filters, loader at the template root.
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(bundled_root())),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(value: Any, context: Mapping[str, Any]) -> Any:
    """Render a string setting (help, default, when) against the answers so far."""
    if not isinstance(value, str) or "{" not in value:
        return value
    return _env().from_string(value).render(**context)


def cast(question: Question, value: Any) -> Any:
    """Convert a value (often text from the command line or a prompt) to the question's type.

    Raises:
        ValueError: the text does not fit the type.
    """
    if question.type == "int":
        if isinstance(value, bool):
            raise ValueError("expected a whole number")
        return int(value)
    if question.type == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "y", "1", "on"):
            return True
        if text in ("false", "no", "n", "0", "off"):
            return False
        raise ValueError("expected yes or no")
    if question.type in ("yaml", "json"):
        if isinstance(value, str):
            try:  # JSON first: it joins \u surrogate pairs, which YAML leaves as two halves
                value = json.loads(value)
            except ValueError:
                try:
                    value = yaml.safe_load(value)
                except yaml.YAMLError as error:
                    raise ValueError(f"not valid YAML: {str(error).splitlines()[0]}") from error
        _check_unicode(value)
        return value
    if not isinstance(value, str):
        raise ValueError("expected text")
    _check_unicode(value)
    return value


def _check_unicode(value: Any) -> None:
    """Text in answers must encode as UTF-8 (an unpaired surrogate does not)."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as error:
                raise ValueError("invalid unicode (an unpaired surrogate)") from error


def is_asked(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question applies, given the earlier answers (copier's `when`)."""
    result = render(question.when, answers)
    # copier's cast_to_bool: numbers by value, YAML-ish words, anything else by truthiness
    try:
        return bool(float(result))
    except (TypeError, ValueError):
        pass
    if isinstance(result, str):
        word = result.strip().lower()
        if word in ("", "n", "no", "f", "false", "off", "~", "null", "none"):
            return False
    return bool(result)


def choices(question: Question, answers: Mapping[str, Any]) -> list[Any]:
    """The choices that pass the question's validator, given the earlier answers."""
    if question.choices is None:
        return []
    return [c for c in question.choices if not problem(question, c, answers)]


def problem(question: Question, value: Any, answers: Mapping[str, Any]) -> str | None:
    """What is wrong with `value` as the answer to `question`, or None."""
    if question.choices is not None and value not in question.choices:
        return f"choose one of {', '.join(map(str, question.choices))}"
    if not question.validator:
        return None
    try:
        message = render(question.validator, {**answers, question.name: value})
    except Exception as error:
        return f"invalid value ({type(error).__name__})"
    return str(message).strip() or None


def default(question: Question, answers: Mapping[str, Any]) -> Any:
    """The template's own default for the question."""
    return cast(question, render(question.default, answers))


#: The settings the summary shows and Change... offers first, in plain words (copier.yml order).
MAIN = {
    "package_manager": "package manager",
    "runtime_version": "runtime version",
    "framework": "framework",
    "build_command": "build command",
    "start_command": "start command",
    "port": "port",
    "health_path": "health check path",
    "native_deps": "native dependencies",
    "base": "base image",
}
#: Offered under Change... only, after the main settings; never asked otherwise. A question without
#: a label here is offered too, under its name.
ADVANCED = {
    "kind": "ecosystem",
    "package_manager_version": "exact package-manager version",
    "go_main": "main package",
    "rust_bin": "binary target",
    "runtime_assets": "folders the binary reads at run time",
    "runtime_workdir": "working folder of the binary",
    "app_path": "app folder in a monorepo",
    "nx_project": "Nx project",
    "workspace_packages": "workspace packages copied with the app",
    "static_site": "served as a static site by nginx",
    "next_standalone": "Next.js standalone output",
    "self_contained": "build output needs no node_modules",
    "dependency_files": "files the install reads (manifests, lockfiles)",
    "build_output": "build output folders",
    "start_env": "variables of the start command",
    "skip_scripts": "install scripts the installs skip",
    "writable_paths": "paths the app writes (volume /data)",
    "services": "servers run beside the app (postgres, mysql, mongodb, redis)",
    "service_env": "variables that carry the servers' addresses",
    "secret_env": "secrets set in .env (throwaway ones in the test build)",
    "compose": "write compose.yaml",
    "corporate_ca": "corporate CA bundle for the installs",
    "check_ignore": "what `dockgen check` may find changed",
}


def label(name: str) -> str:
    """A question's name in plain words (`health_path` is "health check path")."""
    return MAIN.get(name) or ADVANCED.get(name) or name.replace("_", " ")


def parse_set(items: list[str]) -> dict[str, Any]:
    """`--set KEY=VALUE` items as typed answers.

    Raises:
        AnswerError: unknown key, missing `=`, or a value that does not fit the type.
    """
    by_name = {q.name: q for q in load_questions()}
    result: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[a-z_]+", key):
            raise AnswerError(f"--set {item!r}: expected KEY=VALUE")
        if key not in by_name:
            raise AnswerError(f"--set {key}: unknown answer (known: {', '.join(by_name)})")
        try:
            result[key] = cast(by_name[key], raw)
        except ValueError as error:
            raise AnswerError(f"--set {key}={raw}: {error}") from error
    return result


def retarget_port(command: list[Any], old: int, new: int) -> list[Any]:
    """The start command with the detected port replaced by the chosen one (`--port 8000`)."""
    result = list(command)
    for i, arg in enumerate(result):
        if arg == str(old) and i > 0 and result[i - 1] in ("--port", "-p"):
            result[i] = str(new)
        elif isinstance(arg, str) and arg.endswith(f":{old}") and i > 0 and result[i - 1] in ("--bind", "-b"):
            result[i] = arg[: -len(str(old))] + str(new)
        elif arg == f"0.0.0.0:{old}":
            result[i] = f"0.0.0.0:{new}"
    return result


def collect(
    *,
    overrides: Mapping[str, Any],
    recorded: Mapping[str, Any],
    detected: Mapping[str, Answer],
) -> dict[str, Resolved]:
    """Resolve every question in copier.yml order through the precedence chain.

    `--set` (overrides) > recorded answers > detection > the template's default. Questions whose
    `when` is false are left out, as copier would. The wizard (`wizard.review`) asks the user
    first, and passes what they chose as overrides.

    Raises:
        AnswerError: an answer fails its question's checks (it names the answer and its source).
    """
    answers: dict[str, Any] = {}
    resolved: dict[str, Resolved] = {}
    for question in load_questions():
        if not is_asked(question, answers):
            continue
        name = question.name
        if name in overrides:
            suggestion = Resolved(overrides[name], "--set", "given with --set")
        elif name in recorded:
            suggestion = Resolved(recorded[name], "recorded", "recorded in .copier-answers.yml")
        elif name in detected:
            value, port = detected[name].value, detected["port"].value if "port" in detected else None
            if name == "start_command" and port is not None and answers.get("port") not in (None, port):
                value = retarget_port(value, int(port), int(answers["port"]))
            suggestion = Resolved(value, "detected", detected[name].reason, detected[name].found)
        else:
            suggestion = Resolved(default(question, answers), "default", "the template's default")
        # where the value came from; a detected or recorded one names its file (its reason does)
        origin = suggestion.source
        if suggestion.source == "detected" and suggestion.reason:
            origin = f"detected from {suggestion.reason}"
        elif suggestion.source == "recorded":
            origin = "recorded in .copier-answers.yml"
        try:
            value = cast(question, suggestion.value)
        except ValueError as error:
            raise AnswerError(f"{name} ({origin}): {error}") from error
        issue = problem(question, value, answers)
        if issue:
            raise AnswerError(f"{name}={value!r} ({origin}): {issue}")
        answers[name] = value
        resolved[name] = Resolved(value, suggestion.source, suggestion.reason, suggestion.found)
    return resolved
