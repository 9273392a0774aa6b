"""The precedence chain: --set > recorded answers > detection > the template's default."""

from __future__ import annotations

from dockgen._answers import collect, load_questions, retarget_port
from dockgen.detectors import answers_from

DETECTED = {"kind": "node", "package_manager": "pnpm", "port": 3000, "start_command": ["node", "server.js"]}


def value(resolved, name):
    return resolved[name].value, resolved[name].source


def test_template_default_when_nothing_else_says() -> None:
    resolved = collect(overrides={}, recorded={}, detected=answers_from({"kind": "node"}, {}, "package.json"))
    assert value(resolved, "health_path") == ("/", "default")


def test_detection_beats_the_default() -> None:
    resolved = collect(
        overrides={}, recorded={}, detected=answers_from(DETECTED, {"port": "server.js"}, "package.json")
    )
    assert value(resolved, "package_manager") == ("pnpm", "detected")
    assert resolved["port"].reason == "server.js"


def test_recorded_answers_beat_detection() -> None:
    resolved = collect(
        overrides={},
        recorded={"package_manager": "yarn"},
        detected=answers_from(DETECTED, {}, "package.json"),
    )
    assert value(resolved, "package_manager") == ("yarn", "recorded")


def test_set_beats_everything() -> None:
    resolved = collect(
        overrides={"package_manager": "bun"},
        recorded={"package_manager": "yarn"},
        detected=answers_from(DETECTED, {}, "package.json"),
    )
    assert value(resolved, "package_manager") == ("bun", "--set")


def test_questions_whose_condition_is_false_are_left_out() -> None:
    resolved = collect(
        overrides={},
        recorded={},
        detected=answers_from({"kind": "python", "package_manager": "pip"}, {}, "pyproject.toml"),
    )
    assert "package_manager_version" not in resolved  # asked only for managers dockgen installs
    assert "next_standalone" not in resolved and "build_output" not in resolved


def test_every_question_is_known_to_the_resolver() -> None:
    names = [q.name for q in load_questions()]
    assert names[0] == "kind" and names.index("port") < names.index("start_command")


def test_retarget_port() -> None:
    assert retarget_port(["uvicorn", "m:app", "--port", "8000"], 8000, 9000) == [
        "uvicorn",
        "m:app",
        "--port",
        "9000",
    ]
    assert retarget_port(["gunicorn", "--bind", "0.0.0.0:8000", "m:app"], 8000, 81) == [
        "gunicorn",
        "--bind",
        "0.0.0.0:81",
        "m:app",
    ]
    assert retarget_port(["node", "8000.js"], 8000, 1) == ["node", "8000.js"]
