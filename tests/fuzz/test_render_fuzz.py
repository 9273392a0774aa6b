"""P2 (every render parses) and P3 (exact shape) over repositories with hostile contents.

Each example writes a repository into a fresh temporary folder, detects it, resolves the answers
as `dockgen init -y` would (`collect`; an AnswerError is a clean refusal and is counted), renders
through copier from a plain-folder copy of the template, and checks the Dockerfile.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import dockerfile
import yaml
from hypothesis import event, example, given
from hypothesis import strategies as st

import dockgen
from dockgen._template import TemplateSource
from dockgen.errors import AnswerError, DockgenError

from .strategies import (
    Tree,
    _json_doc,
    go_trees,
    java_trees,
    node_trees,
    node_workspace_trees,
    python_trees,
    python_workspace_trees,
    rust_trees,
    start_script_trees,
)
from .support import (
    Parsed,
    benign_answers,
    check_against_benign,
    hadolint,
    render_benign,
    render_dockerfile,
    resolve,
    stage_references,
    write_tree,
)

repositories = st.one_of(
    node_trees(raw=False),
    start_script_trees(),
    node_workspace_trees(),
    python_trees(raw=False),
    python_workspace_trees(),
    go_trees(raw=False),
    rust_trees(raw=False),
    java_trees(raw=False),
)


def _printable(text: str) -> str:
    """`text` as ASCII, escapes for the rest, at most 80 characters (an event label)."""
    return text.encode("ascii", "backslashreplace").decode()[:80]


def _answers_for(tree: Tree) -> dict[str, Any] | None:
    """The answers `dockgen init -y` would render for `tree`, or None (clean refusal, counted)."""
    with tempfile.TemporaryDirectory(prefix="dockgen-fuzz-") as tmp:
        write_tree(Path(tmp), tree)
        try:
            detection = dockgen.detect(tmp)
        except DockgenError as error:
            event(f"detect: {type(error).__name__}")
            return None
    values, reasons = detection.values(), detection.reasons
    try:
        answers = resolve(values, reasons=reasons)
    except AnswerError as error:
        # repository text in the message may hold surrogates, which hypothesis' statistics (sent
        # between xdist workers as UTF-8) cannot carry: the 10,000-example run lost a worker to one
        event(f"collect: AnswerError ({_printable(str(error).split('=', 1)[0])})")
        return None
    static = " (static site)" if answers.get("static_site") else ""
    workspace = " (workspace app)" if answers.get("app_path") else ""
    event(f"rendered {answers['kind']}/{answers['package_manager']}{static}{workspace}")
    return answers


@given(tree=repositories)
def test_every_render_parses(template: TemplateSource, tree: Tree) -> None:
    """P2: a detection that renders gives a Dockerfile that parses (dockerfile) and is hadolint-clean:
    any finding fails, as it would fail the security gate of `dockgen build`."""
    answers = _answers_for(tree)
    if answers is None:
        return
    files = render_dockerfile(template, answers)  # copier refusing what collect accepted is a failure
    text = files["Dockerfile"]
    parsed = Parsed.of(text)
    assert parsed.commands and parsed.commands[0].cmd == "ARG"
    dangling = stage_references(parsed)  # every --from= names an earlier stage
    assert not dangling, dangling
    findings = hadolint(text)
    assert not findings, findings
    # the answers file replays exactly what was rendered (copier update, dockgen check read it)
    recorded = yaml.safe_load(files[".copier-answers.yml"])
    for name, value in answers.items():
        assert recorded[name] == value, (name, recorded[name], value)
    assert files[".dockerignore"]


@given(tree=repositories)
# found by the 10,000-example run (issue 18): Next.js without standalone output on slim; `.next`,
# which `next start` writes into, is the template's own literal COPY, owned by the app user
@example(
    tree={
        "package.json": _json_doc(
            {
                "pnpm": [],
                "main": "index.js",
                "name": "zwg.",
                "dependencies": {
                    "better-sqlite3": "file:../x",
                    "canvas": "",
                    "sharp": "*",
                    "": "{% endraw %}",
                    "\U000794baÉh±": "\x9b\U00036df5\t-&& rm -rf /",
                    "next": "^1.0.0",
                },
                "version": "",
                "scripts": None,
                "devDependencies": None,
                "workspaces": '"]\nCMD ["sh\r"',
            },
        ),
        "tsconfig.json": b'{\n  // comment\n  "extends": "./tsconfig.base",\n  "compilerOptions": {"outDir": "dist/", "rootDir": "\\u00a0\\u00b5\\u00ec\\u0006\\ud810\\udc0f",},\n}\n',
        "index.ts": b"const fastify = require('fastify');\nconst app = fastify();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen($HOME\xc3\x8f\xc2\x85);\n",
        "patches/x.patch": b"diff\n",
        ".yarn/releases/yarn-4.5.1.cjs": b"// yarn\n",
    },
).via("discovered failure")
def test_repository_strings_never_change_the_shape(template: TemplateSource, tree: Tree) -> None:
    """P3: the same answers with every free-text value replaced by a placeholder render the same
    instructions in the same stages; data stays inside its JSON arrays and round-trips exactly."""
    answers = _answers_for(tree)
    if answers is None:
        return
    text = render_dockerfile(template, answers)["Dockerfile"]
    benign = render_benign(template, benign_answers(answers))
    assert dockerfile.parse_string(benign)
    check_against_benign(text, benign, answers)


@given(tree=start_script_trees())
def test_start_scripts_render_their_command_and_variables_exactly(
    template: TemplateSource, tree: Tree
) -> None:
    """Issue 18, class 12: a start script's command is split as sh would (or refused, with a
    warning), and the variables it sets come out as one ENV line holding exactly the answers."""
    answers = _answers_for(tree)
    if answers is None:
        return
    event(f"start_env: {len(answers.get('start_env', []))} variable(s)")
    text = render_dockerfile(template, answers)["Dockerfile"]
    check_against_benign(text, render_benign(template, benign_answers(answers)), answers)
    lines = text.split("\n")
    start_env = answers.get("start_env", [])
    assert lines.count("# the variables the start script sets for the app") == (1 if start_env else 0)
    if start_env:  # one ENV line, just before tini's lines and EXPOSE: in the runtime stage
        pairs = (item.split("=", 1) for item in start_env)
        line = "ENV " + " ".join(f'{name}="{value}"' for name, value in pairs)
        after = lines[lines.index(line) + 1]
        assert lines.count(line) == 1 and after.startswith(("EXPOSE ", "# tini is PID 1")), line
