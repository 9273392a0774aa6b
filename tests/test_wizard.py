"""The wizard drives the real questionary prompts; keystrokes come through a pipe.

The pipe closes once a test's keys are sent, so a prompt the test did not expect fails with
EOFError: each test counts the prompts, and the keys, that its flow takes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import copy_fixture
from dockgen import init
from dockgen.wizard import MAIN, QuestionaryPrompter

ENTER, DOWN, UP, SPACE, CTRL_U, CTRL_C = "\r", "\x1b[B", "\x1b[A", " ", "\x15", "\x03"
CHANGE = DOWN + ENTER  # "Generate with these settings?": Yes, Change…, Cancel
CANCEL = DOWN + DOWN + ENTER


def recorded(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def pick(*names: str, offered: list[str]) -> str:
    """The keys that tick `names` in the Change… checkbox (offered: its fields, in order)."""
    keys, at = "", 0
    for index in sorted(offered.index(MAIN[n]) for n in names):
        keys += DOWN * (index - at) + SPACE
        at = index
    return keys + ENTER


#: The Change… list of a Node.js app that is not a static site, before the advanced fields.
NODE_FIELDS = [MAIN[n] for n in MAIN]
PYTHON_FIELDS = NODE_FIELDS


def test_one_enter_generates_a_fully_detected_app(tmp_path: Path, keys, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    keys(ENTER)  # the only prompt: "Generate with these settings?" Yes
    result = init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    assert answers["start_command"] == ["node", "src/server.js"] and answers["port"] == 8080
    assert answers["base"] == "distroless" and answers["native_deps"] == ["bcrypt"]
    assert not any(a.source == "wizard" for a in result.answers.values())
    shown = capsys.readouterr().out  # the summary: value and reason, warnings beneath
    assert "port                 8080                       src/server.js: process.env.PORT || 8080" in shown
    assert "warning: package.json: scripts.start runs nodemon" in shown
    for advanced in ("corporate", "check_ignore", "manifests", "dependency_files", "package_manager_version"):
        assert advanced not in shown


def test_changing_only_the_port_takes_the_checkbox_and_one_answer(tmp_path: Path, keys) -> None:
    project = copy_fixture("node-nest-ts", tmp_path)
    keys(CHANGE + pick("port", offered=NODE_FIELDS) + CTRL_U + "4000" + ENTER + ENTER)
    result = init(project, prompter=QuestionaryPrompter())
    assert recorded(project)["port"] == 4000 and result.answers["port"].source == "wizard"
    dockerfile = (project / "Dockerfile").read_text()
    assert "EXPOSE 4000" in dockerfile and "ENV PORT=4000" in dockerfile


def test_several_changes_in_one_round(tmp_path: Path, keys) -> None:
    project = copy_fixture("node-nest-ts", tmp_path)
    keys(
        CHANGE
        + pick("runtime_version", "port", "base", offered=NODE_FIELDS)
        + CTRL_U + "24" + ENTER  # runtime version
        + CTRL_U + "4000" + ENTER  # port
        + UP + ENTER  # base: alpine is detected; the choices are slim, alpine, distroless (never scratch)
        + ENTER  # Yes
    )  # fmt: skip
    init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    assert (answers["runtime_version"], answers["port"], answers["base"]) == ("24", 4000, "slim")
    dockerfile = (project / "Dockerfile").read_text()
    assert "ARG NODE_VERSION=24" in dockerfile and "node:${NODE_VERSION}-trixie-slim" in dockerfile


def test_a_command_is_typed_as_a_shell_line_and_written_as_exec_form(tmp_path: Path, keys, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    line = "node --max-old-space-size=256 'src/server.js'"
    keys(CHANGE + pick("start_command", offered=NODE_FIELDS) + CTRL_U + line + ENTER + ENTER)
    init(project, prompter=QuestionaryPrompter())
    command = ["node", "--max-old-space-size=256", "src/server.js"]
    assert recorded(project)["start_command"] == command
    assert f"start command: written as {json.dumps(command)}" in capsys.readouterr().out


def test_an_invalid_answer_is_asked_again(tmp_path: Path, keys) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    keys(
        CHANGE
        + pick("port", offered=PYTHON_FIELDS)
        + CTRL_U
        + "not-a-port"
        + ENTER
        + CTRL_U
        + "9000"
        + ENTER
        + ENTER
    )
    init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    # the start command follows the chosen port
    assert answers["port"] == 9000 and answers["start_command"][-2:] == ["--port", "9000"]


def test_the_package_manager_choices_fit_the_ecosystem(tmp_path: Path, keys) -> None:
    """For a Python app the package-manager list holds only Python managers (pip, poetry…)."""
    project = copy_fixture("python-fastapi-pip", tmp_path)
    keys(CHANGE + pick("package_manager", offered=PYTHON_FIELDS) + DOWN + ENTER + ENTER)
    init(project, prompter=QuestionaryPrompter())
    assert recorded(project)["package_manager"] == "poetry"


def test_a_guessed_port_is_asked_first(tmp_path: Path, keys, capsys) -> None:
    (tmp_path / "package.json").write_text(
        json.dumps({"name": "a", "scripts": {"start": "node server.js"}, "dependencies": {"express": "5"}})
    )
    (tmp_path / "server.js").write_text("require('express')().listen(require('./config').port)\n")
    keys(CTRL_U + "5000" + ENTER + ENTER)  # the port first, then Yes
    result = init(tmp_path, prompter=QuestionaryPrompter())
    assert recorded(tmp_path)["port"] == 5000 and result.answers["port"].source == "wizard"


def test_set_answers_are_neither_asked_nor_offered(tmp_path: Path, keys) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    keys(ENTER)
    result = init(project, prompter=QuestionaryPrompter(), overrides={"base": "alpine"})
    assert result.answers["base"].source == "--set" and recorded(project)["base"] == "alpine"


def test_cancel_writes_nothing_and_exits_130(tmp_path: Path, keys, monkeypatch, capsys) -> None:
    from dockgen import cli

    project = copy_fixture("python-fastapi-pip", tmp_path)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    keys(CANCEL)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli.main(["init", str(project), "--no-build"]) == 130
    assert capsys.readouterr().err == "dockgen: cancelled; nothing was written\n"
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    "keys_before",
    [
        "",  # at "Generate with these settings?"
        CHANGE,  # in the Change… checkbox
        CHANGE + pick("port", offered=PYTHON_FIELDS),  # at the port
        CHANGE + pick("base", offered=PYTHON_FIELDS),  # at the base image
    ],
)
def test_ctrl_c_at_any_prompt_leaves_the_folder_byte_identical(
    tmp_path: Path, keys, keys_before: str
) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    keys(keys_before + CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        init(project, prompter=QuestionaryPrompter())
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_ctrl_c_at_a_guessed_value_writes_nothing(tmp_path: Path, keys) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"name": "a", "scripts": {"start": "node server.js"}}))
    (tmp_path / "server.js").write_text("require('http').createServer().listen(require('./port'))\n")
    keys(CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        init(tmp_path, prompter=QuestionaryPrompter())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package.json", "server.js"]


def test_an_ambiguity_with_choices_is_asked(tmp_path: Path, keys) -> None:
    """Two Go main packages: without a terminal an error lists them; the wizard asks which one."""
    main = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n'
    for folder in ("api", "worker"):
        (tmp_path / "cmd" / folder).mkdir(parents=True)
        (tmp_path / "cmd" / folder / "main.go").write_text(main)
    (tmp_path / "go.mod").write_text("module example.com/two\n\ngo 1.24\n")
    keys(DOWN + ENTER + ENTER)  # ./cmd/api, ./cmd/worker: one down; then Yes
    result = init(tmp_path, prompter=QuestionaryPrompter())
    assert result.answers["go_main"].value == "./cmd/worker"
    assert recorded(tmp_path)["go_main"] == "./cmd/worker"
    assert 'CMD ["/usr/local/bin/worker"]' in (tmp_path / "Dockerfile").read_text()
    # the recorded answer settles it on the next run, with no terminal
    assert init(tmp_path).written == []


def test_the_wizard_asks_which_app_of_an_npm_workspace(tmp_path: Path, keys) -> None:
    """Two apps and none at the root: the wizard offers them; the packages the app uses follow."""
    project = copy_fixture("node-monorepo-npm", tmp_path)
    keys(DOWN + ENTER + ENTER)  # apps/admin, apps/api: one down; then Yes
    init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    assert answers["app_path"] == "apps/api" and answers["workspace_packages"] == ["packages/greeting"]
    dockerfile = (project / "Dockerfile").read_text()
    assert "npm ci --omit=dev --workspace=apps/api" in dockerfile
    assert "COPY --from=app-files /app/packages/greeting ./packages/greeting" in dockerfile


@pytest.mark.parametrize(
    ("kind", "asked"),
    [
        ("node", ["package_manager", "runtime_version", "framework", "build_command", "port", "start_command",
                  "health_path", "services", "compose", "native_deps", "base"]),
        ("go", ["package_manager", "runtime_version", "framework", "go_main", "port", "start_command",
                "health_path", "services", "compose", "native_deps", "base"]),
    ],
)  # fmt: skip
def test_plain_copier_asks_only_what_applies(
    tmp_path: Path, monkeypatch, kind: str, asked: list[str]
) -> None:
    """`copier copy` on the template itself: no other ecosystem's questions, no advanced ones, and
    other ecosystems' package managers and bases disabled in the lists."""
    import copier
    import copier._main

    from dockgen._answers import load_questions
    from fuzz.support import copy_template

    prompts: dict[str, dict] = {}

    def prompt(questions: list[dict], answers: dict) -> dict:  # copier's real question loop, our answer
        (question,) = questions
        if question.get("when", lambda _: True)(answers):  # questionary skips the others
            prompts[question["name"]] = question
        return {question["name"]: answers[question["name"]]}  # the default

    monkeypatch.setattr(copier._main, "unsafe_prompt", prompt)
    template = copy_template(tmp_path)
    copier.run_copy(template.src_path, str(tmp_path / "out"), data={"kind": kind}, unsafe=False, quiet=True)
    assert list(prompts) == asked, list(prompts)
    enabled = [c.value for c in prompts["package_manager"]["choices"] if not c.disabled]
    assert enabled == {"node": ["npm", "pnpm", "yarn", "bun"], "go": ["go"]}[kind]
    bases = [c.value for c in prompts["base"]["choices"] if not c.disabled]
    assert bases == {"node": ["slim", "alpine", "distroless"], "go": ["slim", "scratch"]}[kind]
    # the questions copier does not ask are still recorded, so updates replay them
    recorded = yaml.safe_load((tmp_path / "out" / ".copier-answers.yml").read_text())
    assert {"dependency_files", "check_ignore", "corporate_ca"} <= set(recorded)
    assert len(load_questions()) > len(asked)
