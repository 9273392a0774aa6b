"""Smoke tests of the benchmarks: `python -m bench` (one fixture, one repetition, a small large repo;
docker tier) and `python -m bench.adversarial` (two cases at tiny sizes).

The benchmark's numbers are not asserted against its targets here (they live in bench/results);
this checks that every measurement is made and recorded, and the relations no run can break.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.docker
def test_the_benchmark_runs_on_one_fixture(engine, standins, tmp_path: Path) -> None:
    standins("node:22-trixie-slim")
    out = tmp_path / "results"
    app = ROOT / "tests" / "fixtures" / "node-express-bcrypt" / "app"
    command = [sys.executable, "-m", "bench", str(app), "--reps", "1", "--large-repo-files", "3000"]
    command += ["--out", str(out), "--work", str(tmp_path / "work")]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    results = json.loads((out / "results.json").read_text())
    (measured,) = results["apps"]
    ours, naive, fly = (measured["generators"][g] for g in ("dockgen", "naive", "fly"))
    assert ours["answers"] and naive["answers"], (ours, naive)
    # dockgen's dependency layer survives a source edit; the naive COPY . . before install cannot
    assert ours["install_cached_on_source_change"] and not naive["install_cached_on_source_change"]
    assert ours["image_bytes"] * 2 < naive["image_bytes"]
    assert "image_bytes" in fly, fly  # fly's generator ran (pinned, from the npm registry) and built
    assert 0.9 < ours["image_over_floor"] < 1.5
    context = measured["context"]
    assert context["with_dockerignore_bytes"] * 10 < context["without_dockerignore_bytes"]
    large = results["large_repo"]
    assert large["files"] >= 3000 and set(large["commands"]) == {"detect", "init"}

    report = (out / "results.md").read_text()
    assert "| node-express-bcrypt | dockgen |" in report and "## Targets" in report
    assert (out / "image-sizes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_adversarial_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "adversarial.json"
    cases = ["java-yaml-server-no-port", "pnpm-lock-v9"]
    command = [sys.executable, "-m", "bench.adversarial", "--scale", "0.002", "--reps", "1"]
    command += ["--cases", ",".join(cases), "--json", str(out)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(out.read_text())
    assert [r["case"] for r in results] == cases
    for result in results:
        assert [r["outcome"] for r in result["runs"]] == [result["detector"]] * 3, result
        assert result["verdict"] in ("fast", "linear"), result
    assert "pnpm-lock-v9" in run.stdout and "seconds at 1x/2x/4x" in run.stdout
