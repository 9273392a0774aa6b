"""P4 (literalness or rejection) of hostile answers given with `--set KEY=VALUE`.

Each value goes through `parse_set` (the command line's own parser) and `collect`. Either an
AnswerError refuses it, or it is rendered literally: free text only inside the JSON strings of
exec-form arrays (CMD, HEALTHCHECK, RUN [..], COPY [..]), everything else only when it is made of
the few characters the validators allow. Jinja in a value is data: `{{7*7}}` never becomes 49.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from hypothesis import event, example, given
from hypothesis import strategies as st

from dockgen._answers import parse_set
from dockgen._template import TemplateSource
from dockgen.errors import AnswerError

from .strategies import set_items
from .support import (
    HEADER,
    Parsed,
    benign_answers,
    check_against_benign,
    render_benign,
    render_dockerfile,
    resolve,
)

NODE = {
    "kind": "node",
    "package_manager": "npm",
    "runtime_version": "22",
    "dependency_files": ["package.json", "package-lock.json"],
    "build_command": ["npm", "run", "build"],
    "build_output": ["dist"],
    "start_command": ["node", "server.js"],
    "port": 3000,
    "health_path": "/health",
    "base": "slim",
}
PYTHON = {
    "kind": "python",
    "package_manager": "pip",
    "runtime_version": "3.13",
    "dependency_files": ["requirements.txt", "requirements/base.txt"],
    "start_command": ["gunicorn", "app:app"],
    "port": 8000,
    "health_path": "/health",
    "base": "slim",
}
#: Answers rendered only inside JSON arrays (or, for pip, as a validated `-r` path).
JSON_KEYS = {"start_command", "build_command", "dependency_files", "build_output", "health_path"}
#: What the validators let through for answers rendered as raw text (or not rendered at all).
SAFE = re.compile(r"[A-Za-z0-9._@+/-]*")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@given(base=st.sampled_from([NODE, PYTHON]), item=set_items())
@example(base=NODE, item=("start_command", '["node", "a\\nRUN id"]'))
@example(base=NODE, item=("start_command", '["node", "a\\r\\nUSER root"]'))
@example(base=NODE, item=("start_command", '["node", "a\\u2028RUN id"]'))
@example(base=NODE, item=("start_command", '["node", "a\\u0085RUN id"]'))
@example(base=NODE, item=("start_command", '["node", "server.js\\\\"]'))
@example(base=NODE, item=("start_command", '["node", "a\\"]", "CMD [\\"sh"]'))
@example(base=NODE, item=("start_command", '["node", "<<EOF"]'))
@example(base=NODE, item=("start_command", '["node", "$(id)", "`id`", "${HOME}"]'))
@example(base=NODE, item=("start_command", '["node", "{{7*7}}", "{% raw %}"]'))
@example(
    base=NODE, item=("start_command", '["node", "{{ cycler.__init__.__globals__.os.popen(\'id\').read() }}"]')
)
@example(base=NODE, item=("start_command", '["# syntax=x/y", "# escape=`", "--from=x"]'))
@example(base=NODE, item=("build_command", '["npm", "run", "b\\\\"]'))
@example(base=NODE, item=("build_output", '["--from=x"]'))
@example(base=NODE, item=("dependency_files", '["$(id).json"]'))
@example(base=PYTHON, item=("dependency_files", '["{{7*7}}.txt"]'))
@example(base=NODE, item=("health_path", "/health'); require('child_process')"))
@example(base=NODE, item=("health_path", "/$(id)"))
@example(base=NODE, item=("health_path", "/{{7*7}}"))
@example(base=NODE, item=("runtime_version", "22\nRUN id"))
@example(base=NODE, item=("framework", "{{7*7}}"))
@example(base=NODE, item=("port", "3000; RUN id"))
def test_set_values_are_literal_or_rejected(
    template: TemplateSource, base: dict[str, Any], item: tuple[str, str]
) -> None:
    """P4: a hostile `--set` value is refused, or rendered only as a JSON string (or a safe word)."""
    key, raw = item
    try:
        overrides = parse_set([f"{key}={raw}"])
        answers = resolve(base, overrides=overrides)
    except AnswerError:
        event(f"{key}: rejected")
        return
    event(f"{key}: accepted")
    value = answers.get(key)
    files = render_dockerfile(template, answers)
    text = files["Dockerfile"]
    assert text.split("\n", 1)[0] == HEADER
    # the answers file replays the value exactly
    recorded = yaml.safe_load(files[".copier-answers.yml"])
    if key in answers:
        assert recorded[key] == value, (recorded[key], value)
    if key in JSON_KEYS:
        check_against_benign(text, render_benign(template, benign_answers(answers, {key})), answers)
    else:
        Parsed.of(text)
        for s in _strings(value):
            assert SAFE.fullmatch(s), f"{key}={s!r} accepted but not a plain word"
    # Jinja in a value is data, never evaluated (the exact round trips above say so too)
    for s in _strings(value):
        if "{{7*7}}" in s:
            assert "{{7*7}}" in text
