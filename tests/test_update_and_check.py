"""Template upgrades (`dockgen update`, i.e. copier update) and the CI drift check (`dockgen check`),
against real git repositories: a template with two tagged releases, and a committed project."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_fixture
from dockgen import __version__
from dockgen._template import TEMPLATE_URL
from dockgen.cli import main

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}
V1_PROBE = "--retries=3"
V2_PROBE = "--retries=5"  # what the second release changes: the health check of the base stage


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True, text=True
    ).stdout


def make_template_repo(where: Path, old: str, new: str) -> Path:
    """A git repository of dockgen's template with two tagged releases, `old` and `new`."""
    repo = where / "template-repo"
    repo.mkdir()
    shutil.copy(ROOT / "copier.yml", repo)
    shutil.copytree(ROOT / "template", repo / "template", ignore=shutil.ignore_patterns("__pycache__"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", old)
    git(repo, "tag", old)
    skeleton = repo / "template" / "_partials" / "_skeleton.Dockerfile.jinja"
    skeleton.write_text(skeleton.read_text().replace(V1_PROBE, V2_PROBE))
    git(repo, "commit", "-q", "-am", new)
    git(repo, "tag", new)
    return repo


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    return make_template_repo(tmp_path, "v1.0.0", "v2.0.0")


@pytest.fixture
def project_at_v1(tmp_path: Path, releases: Path) -> Path:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    assert (
        main(["init", str(project), "-y", "--no-build", "--template", str(releases), "--vcs-ref", "v1.0.0"])
        == 0
    )
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "dockerize")
    return project


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


# ---- copier update ---------------------------------------------------------------------------------
def test_update_brings_the_template_change_and_keeps_the_users_edit(
    project_at_v1: Path, releases: Path
) -> None:
    dockerfile = project_at_v1 / "Dockerfile"
    assert V1_PROBE in dockerfile.read_text()
    edited = dockerfile.read_text().replace(
        "EXPOSE 8000", 'LABEL org.opencontainers.image.authors="me@example.com"\nEXPOSE 8000'
    )
    dockerfile.write_text(edited)
    commit_all(project_at_v1, "my label")
    assert main(["update", str(project_at_v1), "--vcs-ref", "v2.0.0"]) == 0
    text = dockerfile.read_text()
    assert V2_PROBE in text and V1_PROBE not in text  # the template change arrived
    assert 'LABEL org.opencontainers.image.authors="me@example.com"' in text  # the edit survived
    assert answers(project_at_v1)["_commit"] == "v2.0.0"
    assert answers(project_at_v1)["_src_path"] == str(releases)


def test_plain_copier_update_works_without_dockgen_or_trust(project_at_v1: Path) -> None:
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "copier", "update", "--defaults", "--vcs-ref", "v2.0.0", str(project_at_v1)],
        capture_output=True,
        text=True,
        env=GIT_ENV,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert V2_PROBE in (project_at_v1 / "Dockerfile").read_text()
    assert answers(project_at_v1)["_commit"] == "v2.0.0"


def test_update_can_change_answers_too(project_at_v1: Path) -> None:
    dockerfile = project_at_v1 / "Dockerfile"
    # an edit away from the lines the port answer renders (an edit next to them would conflict)
    edited = dockerfile.read_text().replace(
        "ENV PIP_ROOT_USER_ACTION=ignore", "ENV PIP_ROOT_USER_ACTION=ignore\nENV TZ=UTC"
    )
    dockerfile.write_text(edited)
    commit_all(project_at_v1, "my timezone")
    assert main(["update", str(project_at_v1), "--vcs-ref", "v1.0.0", "--set", "port=9000"]) == 0
    text = dockerfile.read_text()
    assert "EXPOSE 9000" in text and "ENV PORT=9000" in text and "ENV TZ=UTC" in text
    assert answers(project_at_v1)["port"] == 9000


def test_renamed_question_takes_its_default_from_the_old_answer(tmp_path: Path) -> None:
    """How template releases rename a question without copier migrations (which need --trust)."""
    releases = make_template_repo(tmp_path, "v1.0.0", "v1.5.0")
    copier_yml = releases / "copier.yml"
    spec = copier_yml.read_text().replace("health_path", "probe_path")  # the question and its validator
    # the recorded answer of the old name becomes the new question's default
    spec = re.sub(
        r"(probe_path:\n(?:  .*\n)*?)  default: .*\n",
        lambda m: m[1] + "  default: \"{{ health_path | default('/') }}\"\n",
        spec,
        count=1,
    )
    copier_yml.write_text(spec)
    for partial in (releases / "template" / "_partials").glob("*.jinja"):
        partial.write_text(partial.read_text().replace("health_path", "probe_path"))
    git(releases, "commit", "-q", "-am", "rename health_path to probe_path")
    git(releases, "tag", "v2.0.0")
    project = copy_fixture("python-fastapi-pip", tmp_path)
    assert (
        main(["init", str(project), "-y", "--no-build", "--template", str(releases), "--vcs-ref", "v1.0.0"])
        == 0
    )
    assert answers(project)["health_path"] == "/health"
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "dockerize")
    assert main(["update", str(project), "--vcs-ref", "v2.0.0"]) == 0
    assert answers(project)["probe_path"] == "/health"
    assert "c.request('GET', '/health')" in (project / "Dockerfile").read_text()


def test_conflicting_edit_leaves_markers_and_fails(project_at_v1: Path, capsys) -> None:
    dockerfile = project_at_v1 / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace(V1_PROBE, "--retries=4"))
    commit_all(project_at_v1, "my retries")
    assert main(["update", str(project_at_v1), "--vcs-ref", "v2.0.0"]) == 1
    err = capsys.readouterr().err
    assert "conflicts in Dockerfile" in err and err.count("\n") == 1
    text = dockerfile.read_text()
    assert "<<<<<<<" in text and ">>>>>>>" in text and "--retries=4" in text and V2_PROBE in text


def test_update_needs_a_clean_git_tree(project_at_v1: Path, capsys) -> None:
    (project_at_v1 / "Dockerfile").write_text("# uncommitted\n")
    assert main(["update", str(project_at_v1)]) == 2
    assert "uncommitted changes" in capsys.readouterr().err


def test_update_needs_git(tmp_path: Path, releases: Path, capsys) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    assert (
        main(["init", str(project), "-y", "--no-build", "--template", str(releases), "--vcs-ref", "v1.0.0"])
        == 0
    )
    assert main(["update", str(project)]) == 2
    assert "not a git repository" in capsys.readouterr().err


def test_mirror_stands_in_for_the_canonical_url(tmp_path: Path) -> None:
    """Air-gapped: the answers name the public URL; --template points at a local mirror of it."""
    current = f"v{__version__}"
    mirror = make_template_repo(tmp_path, current, "v99.0.0")
    project = copy_fixture("python-fastapi-pip", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0  # the bundled template
    assert answers(project)["_src_path"] == TEMPLATE_URL
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "dockerize")
    assert main(["update", str(project), "--template", str(mirror), "--vcs-ref", "v99.0.0"]) == 0
    assert V2_PROBE in (project / "Dockerfile").read_text()
    assert answers(project)["_src_path"] == TEMPLATE_URL  # still the portable source
    assert answers(project)["_commit"] == "v99.0.0"


# ---- dockgen check ---------------------------------------------------------------------------------
def run_check(project: Path, *args: str, capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["check", str(project), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_clean_project_passes(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    capsys.readouterr()
    assert main(["check", str(project)]) == 0
    assert "dockgen check: clean" in capsys.readouterr().out


def test_hand_edited_dockerfile_fails_with_a_diff(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("USER 1000:1000", "USER root"))
    capsys.readouterr()
    assert main(["check", str(project)]) == 1
    out = capsys.readouterr().out
    assert "--- Dockerfile (template)" in out and "-USER 1000:1000" in out and "+USER root" in out
    assert out.strip().splitlines()[-1] == "dockgen check: 1 file(s) differ from the template (Dockerfile)"


def test_files_allowed_to_differ(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build", "--set", "check_ignore=[Dockerfile]"]) == 0
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "LABEL team=payments\n")
    code, report = run_check(project, capsys=capsys)
    assert code == 0 and report["clean"] and report["ignored"] == ["Dockerfile"]


def test_native_dependency_added_while_base_is_alpine(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-fastify-pnpm", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert answers(project)["base"] == "alpine"
    manifest = json.loads((project / "package.json").read_text())
    manifest["dependencies"]["sharp"] = "^0.34.0"
    (project / "package.json").write_text(json.dumps(manifest, indent=2))
    code, report = run_check(project, capsys=capsys)
    assert code == 1 and not report["files"]
    base = next(f for f in report["project"] if f["answer"] == "base")
    assert base["file"] == "package.json" and "sharp" in base["message"] and "base" in base["message"]
    native = next(f for f in report["project"] if f["answer"] == "native_deps")
    assert native["file"] == "package.json" and "added sharp" in native["message"]


def test_system_package_added_while_base_is_distroless(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert answers(project)["base"] == "distroless"
    manifest = json.loads((project / "package.json").read_text())
    manifest["dependencies"]["canvas"] = "^3.2.0"
    (project / "package.json").write_text(json.dumps(manifest, indent=2))
    code, report = run_check(project, capsys=capsys)
    assert code == 1
    base = next(f for f in report["project"] if f["answer"] == "base")
    assert (base["recorded"], base["detected"], base["file"]) == ("distroless", "slim", "package.json")
    assert "canvas needs libcairo2" in base["message"] and "--set 'base=slim'" in base["message"]


def test_node_version_change_is_reported(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    (project / ".nvmrc").write_text("24\n")
    code, report = run_check(project, capsys=capsys)
    assert code == 1
    [finding] = report["project"]
    assert (finding["answer"], finding["recorded"], finding["detected"], finding["file"]) == (
        "runtime_version",
        "22",
        "24",
        ".nvmrc",
    )


def test_a_variable_added_to_the_start_script_is_reported(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-fastify-pnpm", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert answers(project)["start_env"] == []
    manifest = json.loads((project / "package.json").read_text())
    manifest["scripts"]["start"] = "NODE_OPTIONS=--max-old-space-size=4096 " + manifest["scripts"]["start"]
    (project / "package.json").write_text(json.dumps(manifest, indent=2))
    code, report = run_check(project, capsys=capsys)
    assert code == 1
    [finding] = report["project"]
    assert (finding["answer"], finding["recorded"], finding["detected"], finding["file"]) == (
        "start_env",
        [],
        ["NODE_OPTIONS=--max-old-space-size=4096"],
        "package.json",
    )


def test_go_cgo_added_while_base_is_scratch(tmp_path: Path, capsys) -> None:
    project = copy_fixture("go-api", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    assert answers(project)["base"] == "scratch"
    (project / "internal/greeting/c.go").write_text(
        'package greeting\n\n// int one() { return 1; }\nimport "C"\n\nfunc One() int { return int(C.one()) }\n'
    )
    code, report = run_check(project, capsys=capsys)
    assert code == 1 and not report["files"]
    base = next(f for f in report["project"] if f["answer"] == "base")
    assert base["file"] == "internal/greeting/c.go" and "--set base=slim" in base["message"]


def test_go_version_change_names_go_mod(tmp_path: Path, capsys) -> None:
    project = copy_fixture("go-api", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    go_mod = project / "go.mod"
    go_mod.write_text(go_mod.read_text().replace("go 1.24", "go 1.26"))
    code, report = run_check(project, capsys=capsys)
    assert code == 1
    [finding] = report["project"]
    assert (finding["answer"], finding["detected"], finding["file"]) == ("runtime_version", "1.26", "go.mod")


def test_an_edited_go_health_probe_is_file_drift(tmp_path: Path, capsys) -> None:
    project = copy_fixture("go-api", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    probe = project / ".dockgen/healthcheck.go"
    probe.write_text(probe.read_text() + "// edited\n")
    code, report = run_check(project, capsys=capsys)
    assert code == 1 and [f["path"] for f in report["files"]] == [".dockgen/healthcheck.go"]


def test_answers_listed_in_check_ignore_are_not_reported(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert (
        main(
            [
                "init",
                str(project),
                "-y",
                "--no-build",
                "--set",
                "port=9090",
                "--set",
                "check_ignore=[port, start_command]",
            ]
        )
        == 0
    )
    code, report = run_check(project, capsys=capsys)
    assert code == 0 and report["project"] == []


def test_newer_template_release_is_information_unless_strict(project_at_v1: Path, capsys) -> None:
    code, report = run_check(project_at_v1, capsys=capsys)
    assert code == 0 and report["template"] == {
        "source": report["template"]["source"],
        "version": "v1.0.0",
        "latest": "v2.0.0",
        "update_available": True,
        "lookup_skipped": None,
    }
    code, report = run_check(project_at_v1, "--strict", capsys=capsys)
    assert code == 1 and report["failed"]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("_src_path", "-oProxyCommand=touch /tmp/pwned", "_src_path"),
        ("_src_path", "../elsewhere", "neither a git URL nor an absolute path"),
        ("_commit", "--upload-pack=touch /tmp/pwned", "_commit"),
        ("_commit", "v1/../../x", "_commit"),
    ],
)
def test_tampered_answers_are_refused_before_git_runs(
    tmp_path: Path, capsys, key: str, value: str, message: str
) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    data = answers(project)
    data[key] = value
    (project / ".copier-answers.yml").write_text(yaml.safe_dump(data))
    capsys.readouterr()
    assert main(["check", str(project)]) == 2
    err = capsys.readouterr().err
    assert ".copier-answers.yml" in err and message in err


def test_check_without_answers_file(tmp_path: Path, capsys) -> None:
    assert main(["check", str(tmp_path)]) == 2
    assert "run `dockgen init` first" in capsys.readouterr().err


def test_pre_commit_hook_runs_dockgen_check() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "dockgen-check" and hook["entry"] == "dockgen check"
    assert hook["pass_filenames"] is False and hook["language"] == "python"


def test_c69_an_invalid_answer_in_the_answers_file_is_a_clear_error(tmp_path: Path, capsys) -> None:
    project = copy_fixture("node-express-bcrypt", tmp_path)
    assert main(["init", str(project), "-y", "--no-build"]) == 0
    data = answers(project)
    data["base"] = "busybox"
    (project / ".copier-answers.yml").write_text(yaml.safe_dump(data))
    capsys.readouterr()
    assert main(["check", str(project)]) == 2
    err = capsys.readouterr().err
    assert "base" in err and "busybox" in err and err.count("\n") == 1
