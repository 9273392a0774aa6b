"""Where the template comes from, and what the answers file records for later `copier update`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import ROOT, copy_fixture
from dockgen import init
from dockgen._template import TEMPLATE_URL, template_identity, template_source

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def test_bundled_template_records_the_canonical_url_and_the_release_tag(tmp_path: Path) -> None:
    project = copy_fixture("python-fastapi-pip", tmp_path)
    init(project)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == TEMPLATE_URL
    assert answers["_commit"] == template_identity()


def test_redirect_is_scoped_to_the_copier_run() -> None:
    from plumbum import local

    with template_source() as source:
        assert source.src_path == TEMPLATE_URL
        assert local.env.get("GIT_CONFIG_VALUE_0") == TEMPLATE_URL
    assert local.env.get("GIT_CONFIG_VALUE_0") is None
    assert "GIT_CONFIG_VALUE_0" not in os.environ


def test_materialised_template_is_made_once() -> None:
    with template_source():
        pass
    cache = Path(os.environ["DOCKGEN_CACHE_DIR"]) / "template"
    first = sorted(cache.iterdir())
    with template_source():
        pass
    assert sorted(cache.iterdir()) == first and len(first) == 1


def test_user_named_template_clone_and_ref(tmp_path: Path, monkeypatch) -> None:
    """`--template` with a local clone (air-gapped mirror) and `--vcs-ref`: recorded as given, absolute."""
    clone = tmp_path / "mirror"
    clone.mkdir()
    shutil.copy(ROOT / "copier.yml", clone)
    shutil.copytree(ROOT / "template", clone / "template", ignore=shutil.ignore_patterns("__pycache__"))
    git("init", "-q", "-b", "main", cwd=clone)
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "template", cwd=clone)
    git("tag", "v9.9.9", cwd=clone)
    project = copy_fixture("node-fastify-pnpm", tmp_path)
    monkeypatch.chdir(tmp_path)
    init(project, template="mirror", vcs_ref="v9.9.9")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == str(clone)
    assert answers["_commit"] == "v9.9.9"
