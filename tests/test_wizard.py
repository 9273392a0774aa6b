"""The wizard drives the real questionary prompts; keystrokes come through a pipe."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import copy_fixture
from dockgen import init
from dockgen.wizard import QuestionaryPrompter

ENTER, DOWN, CTRL_U = "\r", "\x1b[B", "\x15"


def recorded(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def test_enter_everywhere_accepts_the_detected_answers(tmp_path: Path, keys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    keys(ENTER * 30)
    result = init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    assert answers["start_command"] == ["node", "src/server.js"]
    assert answers["port"] == 8080
    assert answers["base"] == "slim"
    assert answers["native_deps"] == ["bcrypt"]
    assert all(a.source == "wizard" for a in result.answers.values())


def test_typed_answers_replace_the_detected_ones(tmp_path: Path, keys) -> None:
    """Questions in order: kind, package_manager, package_manager_version, runtime_version, framework,
    app_path, static_site, self_contained, dependency_files, build_command, build_output, port, start_command,
    start_env, skip_scripts, health_path, native_deps, base, corporate_ca, check_ignore."""
    project = copy_fixture("node-nest-ts", tmp_path)
    keys(
        ENTER  # kind
        + ENTER  # package manager
        + ENTER  # package manager version
        + CTRL_U
        + "24"
        + ENTER  # runtime version
        + ENTER
        * 7  # framework, app path, static site, self-contained, dependency files, build command, output
        + CTRL_U
        + "4000"
        + ENTER  # port
        + ENTER * 5  # start command, start env, skip scripts, health path, native deps
        + DOWN
        + ENTER  # base: alpine is detected; down wraps round to slim (choices: slim, alpine)
        + ENTER * 5  # corporate CA, check_ignore, and spares (a prompt left waiting then fails with EOFError)
    )
    init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    assert answers["runtime_version"] == "24"
    assert answers["port"] == 4000
    assert answers["base"] == "slim"
    dockerfile = (project / "Dockerfile").read_text()
    assert "ARG NODE_VERSION=24" in dockerfile and "EXPOSE 4000" in dockerfile
    assert "node:${NODE_VERSION}-trixie-slim" in dockerfile


def test_invalid_typed_answer_is_asked_again(tmp_path: Path, keys) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    # questions: kind, pm, runtime_version, framework, dependency_files, build_command, port, ...
    keys(ENTER * 6 + CTRL_U + "not-a-port" + ENTER + CTRL_U + "9000" + ENTER + ENTER * 10)
    init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    assert answers["port"] == 9000
    # the start command suggested after the port follows the chosen port
    assert answers["start_command"][-2:] == ["--port", "9000"]


def test_choices_are_filtered_by_the_validator(tmp_path: Path, keys) -> None:
    """For a Python app the package-manager list holds only Python managers."""
    project = copy_fixture("python-fastapi-pip", tmp_path)
    keys(ENTER + DOWN + ENTER + ENTER * 15)  # one down from pip
    init(project, prompter=QuestionaryPrompter())
    assert recorded(project)["package_manager"] == "poetry"


def test_set_answers_are_not_asked(tmp_path: Path, keys) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    keys(ENTER * 30)
    result = init(project, prompter=QuestionaryPrompter(), overrides={"base": "alpine"})
    assert result.answers["base"].source == "--set"
    assert recorded(project)["base"] == "alpine"


def test_ctrl_c_writes_nothing(tmp_path: Path, keys) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    before = sorted(p.name for p in project.iterdir())
    keys(ENTER + "\x03")
    with pytest.raises(KeyboardInterrupt):
        init(project, prompter=QuestionaryPrompter())
    assert sorted(p.name for p in project.iterdir()) == before


def test_an_ambiguity_with_choices_is_asked(tmp_path: Path, keys) -> None:
    """Two Go main packages: without a terminal an error lists them; the wizard asks which one."""
    main = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n'
    for folder in ("api", "worker"):
        (tmp_path / "cmd" / folder).mkdir(parents=True)
        (tmp_path / "cmd" / folder / "main.go").write_text(main)
    (tmp_path / "go.mod").write_text("module example.com/two\n\ngo 1.24\n")
    keys(DOWN + ENTER + ENTER * 20)  # ./cmd/api, ./cmd/worker: one down
    result = init(tmp_path, prompter=QuestionaryPrompter())
    assert result.answers["go_main"].value == "./cmd/worker"
    assert recorded(tmp_path)["go_main"] == "./cmd/worker"
    assert 'CMD ["/usr/local/bin/worker"]' in (tmp_path / "Dockerfile").read_text()
    # the recorded answer settles it on the next run, with no terminal
    assert init(tmp_path).written == []


def test_the_wizard_asks_which_app_of_an_npm_workspace(tmp_path: Path, keys) -> None:
    """Two apps and none at the root: the wizard offers them, then the packages the app uses."""
    project = copy_fixture("node-monorepo-npm", tmp_path)
    keys(DOWN + ENTER + ENTER * 30)  # apps/admin, apps/api: one down
    result = init(project, prompter=QuestionaryPrompter())
    answers = recorded(project)
    assert answers["app_path"] == "apps/api" and answers["workspace_packages"] == ["packages/greeting"]
    assert result.answers["workspace_packages"].source == "wizard"
    dockerfile = (project / "Dockerfile").read_text()
    assert "npm ci --omit=dev --workspace=apps/api" in dockerfile
    assert "COPY --from=app-files /app/packages/greeting ./packages/greeting" in dockerfile
