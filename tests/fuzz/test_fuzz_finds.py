"""dockgen bugs the properties found, each pinned by its minimal example.

A-D were found by the first fuzz runs and fixed in b6b196a; E (a standalone Next.js app without a
build script rendered `COPY --from=build` with no build stage) was fixed next. Each test is a plain
regression test; a bug found later is fixed before its test lands, never tolerated by the properties.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import pytest

import dockgen
from dockgen._answers import parse_set
from dockgen._template import TemplateSource
from dockgen.errors import DockgenError

from .support import Parsed, render_dockerfile, resolve, run_cli, stage_references, write_tree
from .test_set_fuzz import NODE


def _detect_cleanly(tree: dict[str, bytes]) -> tuple[int, str]:
    """detect() ends in a Detection or a DockgenError (anything else propagates); the CLI's exit/stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(Path(tmp), tree)
        with contextlib.suppress(DockgenError):  # anything else propagates
            dockgen.detect(tmp)
        code, _out, err = run_cli(["detect", tmp, "--json"])
    return code, err


# A (fixed): a NUL byte in a path the repository names made Project.is_file raise ValueError.
@pytest.mark.parametrize(
    "tree",
    [
        {"package.json": b'{"name": "", "main": "\\u0000"}'},  # the minimal example hypothesis found
        {"package.json": b'{"scripts": {"start": "nodemon \\"a\\u0000.js\\""}}'},
        {"requirements.txt": b"-r a\x00.txt\n"},
    ],
    ids=["main", "scripts.start", "requirements -r"],
)
def test_a_nul_byte_in_a_repository_path_is_a_clean_error(tree: dict[str, bytes]) -> None:
    code, err = _detect_cleanly(tree)
    assert code in (0, 2), err


# B (fixed): a lone surrogate in a path from YAML (.yarnrc.yml) raised UnicodeEncodeError.
def test_b_lone_surrogate_in_a_yaml_path_is_a_clean_error() -> None:
    code, err = _detect_cleanly(
        {
            "package.json": b'{"name": "", "packageManager": "yarn@4.1.1"}',  # (shrunk by hand from the fuzz find)
            ".yarnrc.yml": b'yarnPath: "\\ud800"',
        }
    )
    assert code in (0, 2), err


# C (fixed): a start argument outside the repository aborted detection, echoed raw in the error.
@pytest.mark.parametrize(
    "start",
    ["node server.js --config /etc/app.json", "node /srv/app/server.js", "node ../shared/server.js"],
)
def test_c_start_arguments_outside_the_repository_do_not_abort_detection(start: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(
            Path(tmp), {"package.json": json.dumps({"name": "a", "scripts": {"start": start}}).encode()}
        )
        detection = dockgen.detect(tmp)
    assert list(detection["start_command"]) == start.split()


# C (fixed): a start argument outside the repository aborted detection, echoed raw in the error.
def test_c_errors_are_one_printable_line() -> None:
    """The fuzz find, shrunk: a start argument with ESC and a newline, echoed raw into the error.

    Since start scripts are split as sh splits them, the script is refused with a warning that
    names package.json (a control character needs a shell); nothing of it reaches the command,
    and nothing printed carries the escape.
    """
    start = "node '/x\x1b[31mRED\nRUN id'"
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(
            Path(tmp), {"package.json": json.dumps({"name": "a", "scripts": {"start": start}}).encode()}
        )
        detection = dockgen.detect(tmp)
        code, out, err = run_cli(["detect", tmp])
    assert detection["start_command"] == ["node", "index.js"]
    assert any(
        w.startswith("package.json: scripts.start") and "needs a shell" in w for w in detection.warnings
    )
    assert code == 0, err
    assert "\x1b" not in out + err and "\\x1b[31mRED" in out


# D (fixed): --set JSON \u escapes outside the BMP became two lone surrogates; lone ones were accepted.
def test_d_set_json_escapes_outside_the_bmp_keep_the_character() -> None:
    given = json.dumps(["node", "caf\u00e9 \U0001f600"])  # '["node", "caf\\u00e9 \\ud83d\\ude00"]'
    assert resolve(NODE, overrides=parse_set([f"start_command={given}"]))["start_command"] == [
        "node",
        "caf\u00e9 \U0001f600",
    ]


# D (fixed): --set JSON \u escapes outside the BMP became two lone surrogates; lone ones were accepted.
def test_d_lone_surrogates_are_refused() -> None:
    with pytest.raises(dockgen.DockgenError):
        resolve(NODE, overrides=parse_set(['start_command=["node", "\\ud800"]']))


# E (fixed): a standalone Next.js app without a build script rendered `COPY --from=build` in the runtime
# stage but no build stage (BuildKit would pull an image named `build`; nothing was installed).
def test_e_standalone_nextjs_without_a_build_script_is_built_with_next_build(
    template: TemplateSource,
) -> None:
    """The fuzz find, reduced by hand: next in dependencies, output: 'standalone', no scripts.build."""
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(
            Path(tmp),
            {
                "package.json": b'{"name": "a", "dependencies": {"next": "15.0.0"}}',
                "next.config.js": b"module.exports = { output: 'standalone' }\n",
            },
        )
        detection = dockgen.detect(tmp)
    answers = resolve(detection.values(), reasons=detection.reasons)
    assert answers["build_command"] == ["node_modules/.bin/next", "build"]
    parsed = Parsed.of(render_dockerfile(template, answers)["Dockerfile"])
    assert not stage_references(parsed)
    assert any(c.cmd == "RUN" and c.value == ("node_modules/.bin/next", "build") for c in parsed.commands)


def test_e_a_nextjs_answer_without_a_build_step_is_refused() -> None:
    overrides = parse_set(["framework=nextjs", "next_standalone=true", "build_command=[]"])
    with pytest.raises(dockgen.DockgenError, match=r"build_command.*Next\.js app needs its build step"):
        resolve(NODE, overrides=overrides)
