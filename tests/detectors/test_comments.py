"""Config files read as text: comments decide nothing (issue 12, class 6)."""

from __future__ import annotations

import time

import pytest

from dockgen._project import Project
from dockgen.detectors import node, python
from dockgen.detectors._comments import syntax_of, without_comments


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        (
            "export default {\n  // output: 'export',\n  reactStrictMode: true,\n}",
            "reactStrictMode",
            "output",
        ),
        ("export default { /* output: 'export', */ }", "export default", "output"),
        ("const u = 'http://host/a'; // output: 'export'", "'http://host/a'", "output"),
        ('const s = "a /* b */ c"; /* gone */', '"a /* b */ c"', "gone"),
        ("const t = `x // y\n z`; // gone", "`x // y\n z`", "gone"),
        ("const r = /\\/\\//g; // gone", "/\\/\\//g", "gone"),
        ("const r = /[/]/; // gone", "/[/]/", "gone"),
        ("const q = a / b; // gone", "a / b", "gone"),
        ("const e = 'it\\'s // kept' // gone", "'it\\'s // kept'", "gone"),
    ],
)
def test_js_comments_are_removed_strings_kept(text: str, kept: str, gone: str) -> None:
    stripped = without_comments(text, "js")
    assert kept in stripped
    assert gone not in stripped


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("# STATIC_ROOT = BASE_DIR / 'static'\nDEBUG = True\n", "DEBUG", "STATIC_ROOT"),
        ("URL = 'http://x/#anchor'  # gone\n", "'http://x/#anchor'", "gone"),
        ('DOC = """\n# kept\n"""  # gone\n', "# kept", "gone"),
        ('name = "a#b" # gone\n[tool] # gone too\n', '"a#b"', "gone"),
    ],
)
def test_hash_comments_are_removed_strings_kept(text: str, kept: str, gone: str) -> None:
    stripped = without_comments(text, "hash")
    assert kept in stripped
    assert gone not in stripped


def test_a_comment_keeps_its_line_break_and_parts_never_join() -> None:
    assert without_comments("a// c\nb", "js") == "a \nb"
    assert without_comments("a/* c */b", "js") == "a b"
    assert without_comments("a# c\nb", "hash") == "a \nb"


def test_syntax_by_suffix() -> None:
    assert syntax_of("next.config.mjs") == "js" and syntax_of("build.gradle.kts") == "js"
    assert syntax_of("app/settings.py") == "hash" and syntax_of("pyproject.toml") == "hash"
    assert syntax_of("angular.json") is None


@pytest.mark.parametrize(
    "text",
    [
        "/" * 1_000_000,
        "'" * 1_000_000,
        "`" * 1_000_000,
        "/*" * 500_000,
        "/[" * 500_000,
        "=/" * 500_000,
        " /" * 500_000,
        '"' + "\\" * 999_999,
        "#\n" * 500_000,
    ],
)
def test_hostile_input_stays_linear(text: str) -> None:
    """A MiB of the worst shapes (the read cap of a config file) in a few seconds at most."""
    started = time.perf_counter()
    without_comments(text, "js")
    without_comments(text, "hash")
    assert time.perf_counter() - started < 10


def test_commented_out_export_is_a_next_server(tree) -> None:
    config = '/** @type {import("next").NextConfig} */\nexport default {\n  // output: "export",\n}\n'
    files = {"package.json": {"name": "a", "dependencies": {"next": "15"}}, "next.config.mjs": config}
    detection = node.plan(Project(tree(files)))
    assert not detection.get("static_site")
    assert detection["start_command"] == ["node_modules/.bin/next", "start"]


def test_commented_out_standalone_is_not_standalone(tree) -> None:
    config = "module.exports = {\n  /* output: 'standalone', */\n}\n"
    files = {"package.json": {"name": "a", "dependencies": {"next": "15"}}, "next.config.js": config}
    assert not node.plan(Project(tree(files)))["next_standalone"]


def test_commented_out_adapter_static_config_is_ignored(tree) -> None:
    config = "export default { build: { /* outDir: 'web' */ outDir: 'site' } }\n// outDir: 'other'\n"
    files = {
        "package.json": {"name": "a", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "7"}},
        "vite.config.js": config,
    }
    assert node.plan(Project(tree(files)))["build_output"] == ["site"]


def test_commented_out_static_root_collects_nothing(tree) -> None:
    settings = "INSTALLED_APPS = ['django.contrib.staticfiles']\n# STATIC_ROOT = BASE_DIR / 'staticfiles'\n"
    manage = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n"
    files = {
        "requirements.txt": "django==5.1\ngunicorn==23.0\n",
        "manage.py": manage,
        "site1/__init__.py": "",
        "site1/settings.py": settings,
        "site1/wsgi.py": "",
    }
    detection = python.plan(Project(tree(files)))
    assert detection["build_command"] == []
