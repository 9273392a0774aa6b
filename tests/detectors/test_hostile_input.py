"""Hostile or malformed repository inputs (reliability catalogue C1): one clean error or a warning,
never a traceback, a hang or a read outside the repository. Numbers refer to the catalogue."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockgen._answers import collect
from dockgen._project import MAX_FILE_BYTES, Project
from dockgen.detectors import answers_from, detect
from dockgen.errors import AnswerError, DockgenError, InputError


def run(root: Path):
    return detect(Project(root))


def test_c1_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({"main": "a.js"}).encode())
    assert run(tmp_path)["start_command"] == ["node", "a.js"]


@pytest.mark.parametrize(
    ("name", "text"),
    [("package.json", "[" * 5000 + "]" * 5000), ("pyproject.toml", "a = " + "[" * 600 + "]" * 600)],
)
def test_c2_c3_deep_nesting(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(InputError, match=rf"{name}: invalid (JSON|TOML): nested too deeply"):
        run(tmp_path)


def test_c4_oversized_file_is_not_read(tmp_path: Path) -> None:
    with (tmp_path / "package.json").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, the size is what counts
    started = time.monotonic()
    with pytest.raises(InputError, match=r"package\.json: file is too large"):
        run(tmp_path)
    assert time.monotonic() - started < 1


def test_c5_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "package.json")
    with pytest.raises(InputError, match=r"package\.json: not a regular file"):
        run(tmp_path)


def test_c6_symlink_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"name": "TOP-SECRET"}')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "package.json").symlink_to(secret)
    with pytest.raises(InputError, match="symlink points outside the repository") as error:
        run(repo)
    assert "TOP-SECRET" not in str(error.value)


def test_c6_symlink_inside_the_repository_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text('{"main": "a.js"}')
    (tmp_path / "package.json").symlink_to(tmp_path / "real.json")
    assert run(tmp_path)["start_command"] == ["node", "a.js"]


def test_c7_directory_named_like_a_manifest_is_not_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "package.json").mkdir()
    with pytest.raises(DockgenError, match=r"no Node\.js, Python, Go, Rust or Java app"):
        run(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"name": "a", "name": "b"}', "duplicate key 'name'"),
        ('{"engines": {"node": NaN}}', "invalid JSON constant NaN"),
        ('{"name": "\\ud800"}', "unpaired surrogate"),
    ],
    ids=["c8-duplicate-keys", "c9-nan", "c10-lone-surrogate"],
)
def test_c8_c10_strict_json(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "package.json").write_text(text)
    with pytest.raises(InputError, match=message):
        run(tmp_path)


def test_c11_wrong_types_are_ignored_with_warnings(tmp_path: Path) -> None:
    manifest = {"scripts": "start", "engines": [], "main": 5, "workspaces": True, "dependencies": ["x"]}
    (tmp_path / "package.json").write_text(json.dumps(manifest))
    result = run(tmp_path)
    for field in ("scripts", "engines", "main", "workspaces", "dependencies"):
        assert any(w.startswith(f"package.json: {field} should be") for w in result.warnings), field
    assert result["start_command"] == ["node", "index.js"]


def test_c11_wrong_types_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = 5\nrequires-python = 3.12\ndependencies = "flask"\n'
    )
    result = run(tmp_path)
    assert any("project.requires-python should be a string" in w for w in result.warnings)
    assert any("project.dependencies should be a list" in w for w in result.warnings)


def test_c12_latin1_manifest(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(InputError, match=r"package\.json: not valid UTF-8 \(byte 13\)"):
        run(tmp_path)


def test_c13_requirements_include_cycle(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-r a.txt\nflask==3.1.0\n")
    (tmp_path / "a.txt").write_text("-r requirements.txt\ngunicorn==23.0.0\n")
    result = run(tmp_path)
    assert result["dependency_files"] == ["requirements.txt", "a.txt"]
    assert any("include cycle" in w for w in result.warnings)


def test_c14_credentials_in_requirements_are_reported_without_the_secret(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "--extra-index-url https://user:S3CRET-CANARY@pkgs.example/simple\nflask==3.1.0\n"
    )
    result = run(tmp_path)
    warning = next(w for w in result.warnings if "credentials" in w)
    assert "S3CRET-CANARY" not in json.dumps(result.to_json())
    assert "requirements.txt" in warning and "netrc" in warning


def test_c19_yaml_alias_bomb_in_pnpm_lock(tmp_path: Path) -> None:
    bomb = "lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        bomb += f"{level}: &{level} [" + ", ".join([f"*{chr(ord(level) - 1)}"] * 9) + "]\n"
    bomb += "packages:\n  bomb@1.0.0: *h\n"
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "pnpm-lock.yaml").write_text(bomb)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"pnpm-lock\.yaml: invalid YAML: aliases expand to more than"):
        run(tmp_path)
    assert time.monotonic() - started < 2


def test_c20_invalid_toml_names_the_place(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    with pytest.raises(InputError, match=r"pyproject\.toml: invalid TOML: .*line 1"):
        run(tmp_path)


def test_c24_garbage_engines_fall_back_to_lts_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"engines": {"node": "banana"}}))
    result = run(tmp_path)
    assert result["runtime_version"].isdigit()
    assert any("banana" in w for w in result.warnings)


# Issue 18, class 9: one large source file must not break a whole repository.
@pytest.mark.parametrize(
    ("tree", "big", "kind"),
    [
        (
            {"package.json": '{"main": "server.js"}', "server.js": "require('http')"},
            "public/js/vendor.min.js",
            "node",
        ),
        (
            {"requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            "generated.py",
            "python",
        ),
        (
            {"go.mod": "module example.com/a\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"},
            "bindata.go",
            "go",
        ),
    ],
)
def test_a_large_source_file_is_skipped_not_fatal(
    tmp_path: Path, tree: dict[str, str], big: str, kind: str
) -> None:
    for name, text in tree.items():
        (tmp_path / name).write_text(text)
    target = tmp_path / big
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("// generated\n" + "x" * (1200 * 1024))
    assert run(tmp_path).kind == kind


def test_a_large_source_file_is_noted_with_debug(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"main": "server.js"}')
    (tmp_path / "server.js").write_text("x" * (1200 * 1024))
    result = subprocess.run(
        [sys.executable, "-m", "dockgen", "--debug", "detect", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "server.js: skipped by the source scan (file is too large to read" in result.stderr


# Issue 18, class 3: a symlinked folder on the way to a file is resolved before any read.
def test_a_requirements_include_through_a_folder_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "conf").symlink_to("/etc", target_is_directory=True)
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\n-r conf/passwd\n")
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    with pytest.raises(InputError, match=r"conf/passwd: symlink points outside the repository") as error:
        run(tmp_path)
    assert "root:" not in str(error.value)


def test_a_start_script_through_a_folder_symlink_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "lib").symlink_to("/proc", target_is_directory=True)
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"start": "node lib/kmsg"}}))
    # in a child process with a timeout: before the fix, reading /proc/kmsg never ended
    result = subprocess.run(
        [sys.executable, "-m", "dockgen", "detect", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "lib/kmsg: symlink points outside the repository" in result.stderr


def test_a_folder_symlink_inside_the_repository_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "server.js").write_text("require('http').createServer().listen(3000)\n")
    (tmp_path / "src").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "package.json").write_text(json.dumps({"main": "src/server.js"}))
    assert run(tmp_path)["start_command"] == ["node", "src/server.js"]


# Issue 18, class 5 (part) and class 13: the JSONC files (tsconfig.json, angular.json) are read as
# strictly as package.json; comments and trailing commas stay allowed there.
_TS_APP = {"scripts": {"build": "tsc", "start": "node dist/main.js"}, "devDependencies": {"typescript": "5"}}
_ANGULAR_APP = {"scripts": {"build": "ng build"}, "dependencies": {"@angular/core": "19"}}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).write_text(text)


@pytest.mark.parametrize(
    ("manifest", "name", "text", "message"),
    [
        (_TS_APP, "tsconfig.json", "[" * 5000 + "]" * 5000, "nested too deeply"),
        (_TS_APP, "tsconfig.json", '{"compilerOptions": ' + '{"a": ' * 5000 + "1" + "}" * 5001, "nested too deeply"),
        (_ANGULAR_APP, "angular.json", "[" * 5000 + "]" * 5000, "nested too deeply"),
        (_TS_APP, "tsconfig.json", '{"compilerOptions": {"outDir": "a", // a comment\n"outDir": "b",},}', "duplicate key 'outDir'"),
        (_TS_APP, "tsconfig.json", '/* c */ {"compilerOptions": {"outDir": NaN}}', "invalid JSON constant NaN"),
        (_TS_APP, "tsconfig.json", '{"compilerOptions": {"outDir": "\\udc00"}}', "unpaired surrogate"),
        (_ANGULAR_APP, "angular.json", '{"projects": {"a": {}}, "projects": {"b": {}}}', "duplicate key 'projects'"),
        (_ANGULAR_APP, "angular.json", '{"version": Infinity}', "invalid JSON constant Infinity"),
    ],
    ids=["tsconfig-deep", "tsconfig-deep-objects", "angular-deep", "tsconfig-duplicate", "tsconfig-nan",
         "tsconfig-surrogate", "angular-duplicate", "angular-infinity"],
)  # fmt: skip
def test_jsonc_files_are_strict_json(
    tmp_path: Path, manifest: dict[str, object], name: str, text: str, message: str
) -> None:
    _write(tmp_path, {"package.json": json.dumps(manifest), name: text})
    with pytest.raises(InputError, match=rf"^{re.escape(name)}: invalid JSON: .*{message}"):
        run(tmp_path)


def test_jsonc_deep_nesting_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    _write(tmp_path, {"package.json": json.dumps(_TS_APP), "tsconfig.json": "[" * 5000 + "]" * 5000})
    result = subprocess.run(
        [sys.executable, "-m", "dockgen", "detect", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == "dockgen: error: tsconfig.json: invalid JSON: nested too deeply\n"


def test_jsonc_comments_and_trailing_commas_stay_allowed(tmp_path: Path) -> None:
    tsconfig = '{\n  // out\n  "compilerOptions": {"outDir": "out,]", /* x */ "rootDir": "src",},\n}\n'
    _write(tmp_path, {"package.json": json.dumps(_TS_APP), "tsconfig.json": tsconfig})
    assert run(tmp_path)["build_output"] == ["out,]"]  # a comma inside a string is not a trailing comma


@pytest.mark.parametrize(("manifest", "name"), [(_TS_APP, "tsconfig.json"), (_ANGULAR_APP, "angular.json")])
def test_jsonc_syntax_errors_stay_warnings_naming_the_file(
    tmp_path: Path, manifest: dict[str, object], name: str
) -> None:
    _write(tmp_path, {"package.json": json.dumps(manifest), name: "{nope"})
    result = run(tmp_path)
    assert any(w.startswith(f"{name}: cannot parse") for w in result.warnings), result.warnings


# Issue 18, class 5 (part): a chain of workspace packages longer than Python's recursion limit.
@pytest.mark.parametrize("pm", ["npm", "yarn"])
def test_a_1200_deep_workspace_chain_is_walked(tmp_path: Path, pm: str) -> None:
    depth = 1200
    root = {"name": "root", "private": True, "workspaces": ["packages/*"]}
    if pm == "yarn":
        root["packageManager"] = "yarn@4.1.1"
    (tmp_path / "package.json").write_text(json.dumps(root))
    for i in range(depth):
        folder = tmp_path / "packages" / f"p{i}"
        folder.mkdir(parents=True)
        manifest: dict[str, object] = {
            "name": f"p{i}",
            "dependencies": {f"p{i + 1}": "*"} if i + 1 < depth else {},
        }
        if i == 0:
            manifest["scripts"] = {"start": "node index.js"}
        (folder / "package.json").write_text(json.dumps(manifest))
    result = run(tmp_path)
    assert result["app_path"] == "packages/p0"
    # dependencies before their dependents: the end of the chain first
    assert result["workspace_packages"] == [f"packages/p{i}" for i in range(depth - 1, 0, -1)]


# Issue 18, class 13: wrong-typed scripts.* entries are ignored with a warning, as README promises.
def test_wrong_typed_scripts_entries_are_ignored_with_warnings(tmp_path: Path) -> None:
    scripts = {
        "start": ["node", "a.js"],
        "build": 5,
        "start.prod": None,
        "serve": {"x": 1},
        "dev": "node d.js",
    }
    (tmp_path / "package.json").write_text(json.dumps({"main": "m.js", "scripts": scripts}))
    result = run(tmp_path)
    for name, kind in (("start", "list"), ("build", "int"), ("start.prod", "null"), ("serve", "dict")):
        assert f"package.json: scripts.{name} should be a string, not {kind}; ignored" in result.warnings
    assert not any("scripts.dev" in w for w in result.warnings)
    assert result["start_command"] == ["node", "m.js"] and result["build_command"] == []


def test_wrong_typed_scripts_of_a_workspace_app_name_its_manifest(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"name": "root", "workspaces": ["apps/*"]}))
    (tmp_path / "apps" / "api").mkdir(parents=True)
    (tmp_path / "apps" / "api" / "package.json").write_text(
        json.dumps({"name": "api", "main": "m.js", "scripts": {"start": "node m.js", "build": True}})
    )
    result = run(tmp_path)
    assert "apps/api/package.json: scripts.build should be a string, not bool; ignored" in result.warnings


# Issue 18, class 13: every error names its file, also about detected values; the Python detector
# range-checks ports as the others do; a Go main package in a folder go_main cannot name.
@pytest.mark.parametrize(
    "source",
    [
        "import uvicorn\nuvicorn.run(app, port=99999)\n",
        "import uvicorn\nuvicorn.run(app, port=00)\n",
        "import os\nPORT = 1\nport = int(os.environ.get('PORT', '65536'))\n",
    ],
)
def test_python_ports_out_of_range_are_ignored_with_a_warning(tmp_path: Path, source: str) -> None:
    (tmp_path / "requirements.txt").write_text("uvicorn==0.30.0\n")
    (tmp_path / "main.py").write_text(source)
    result = run(tmp_path)
    assert result["port"] == 8000
    assert any(w.startswith("main.py: ") and "is not a TCP port" in w for w in result.warnings), (
        result.warnings
    )
    collect(overrides={}, recorded={}, detected=result.answers)  # `init -y` accepts it


def test_an_invalid_detected_value_names_its_file() -> None:
    detected = {
        "kind": "python",
        "package_manager": "pip",
        "port": 99999,
        "start_command": ["python", "main.py"],
    }
    with pytest.raises(AnswerError, match=r"port=99999 \(detected from main\.py: port=99999\): use a port"):
        collect(
            overrides={},
            recorded={},
            detected=answers_from(detected, {"port": "main.py: port=99999"}, "main.py"),
        )
    with pytest.raises(AnswerError, match=r"port=0 \(recorded in \.copier-answers\.yml\)"):
        collect(overrides={}, recorded={"port": 0}, detected=answers_from(detected, {}, "main.py"))


@pytest.mark.parametrize("folder", ["cmd/my api", "cmd/$(id)", "cmd/a;b", "cmd/caf\u00e9"])
def test_a_go_main_package_in_an_unusable_folder_names_the_file(tmp_path: Path, folder: str) -> None:
    (tmp_path / "go.mod").write_text("module example.com/a\n\ngo 1.24\n")
    (tmp_path / folder).mkdir(parents=True)
    (tmp_path / folder / "main.go").write_text("package main\n\nfunc main() {}\n")
    with pytest.raises(
        InputError, match=rf"^{re.escape(folder)}/main\.go: a main package in a folder whose name"
    ):
        run(tmp_path)
    (tmp_path / "cmd" / "api").mkdir()
    (tmp_path / "cmd" / "api" / "main.go").write_text("package main\n\nfunc main() {}\n")
    result = run(tmp_path)
    assert result["go_main"] == "./cmd/api"
    assert any(w.startswith(f"{folder}/main.go: ") and "skipped" in w for w in result.warnings)


# Issue 18, class 12: start scripts are never silently changed. A script is split as sh splits it;
# one that needs a shell is refused with a warning naming package.json and the script, and the
# start command comes from elsewhere (here the main field), never from a mangled argv.
@pytest.mark.parametrize(
    ("script", "why"),
    [
        ("node server.js;curl x|sh", "a pipe |"),
        ("node server.js|tee log", "a pipe |"),
        ("node server.js>log 2>&1", "a redirection >"),
        ("node server.js<input", "a redirection <"),
        ("node server.js&", "a background job &"),
        ("node server.js&&curl x&", "a background job &"),
        ("(cd dist;node server.js)", "a subshell"),
        ("node server.js||node fallback.js", "a fallback ||"),
        ("node $(cat entry)", "a substitution"),
        ("node `cat entry`", "a substitution"),
        ("node $ENTRY", "a substitution"),
        ('node "${ENTRY:-server.js}"', "a substitution"),
        ("node dist/*.js", "a glob"),
        ("node ~/server.js", "a ~ expansion"),
        ("node {server,main}.js", "a brace expansion"),
        ("if true; then node server.js; fi", "shell syntax: if"),
        ("node server.js\r\nnode other.js", "a control character"),
        ("node 'server.js", "an unterminated quote"),
        ("cd dist && node server.js", "changes the shell the app starts in"),
        ("env -i node server.js", "`env -i`"),
        ("npm run web --port 4000", "without `--`"),
        ("node server.js ''", "an empty argument"),
        ("npm run web -- ''", "an empty argument"),
        ("node 'server\n.js'", "a tab or line break inside quotes"),
        ("cross-env node 'a\tb';", "a tab or line break inside quotes"),
    ],
)
def test_start_scripts_that_need_a_shell_are_refused_with_a_warning(
    tmp_path: Path, script: str, why: str
) -> None:
    scripts = {"start": script, "web": "node server.js"}
    (tmp_path / "package.json").write_text(json.dumps({"main": "main.js", "scripts": scripts}))
    result = run(tmp_path)
    assert result["start_command"] == ["node", "main.js"]
    assert result["start_env"] == []
    warning = next(w for w in result.warnings if w.startswith("package.json: scripts.start ("))
    assert why in warning, warning


@pytest.mark.parametrize(
    ("script", "command", "dropped"),
    [
        ("node migrate.js;node server.js", ("node", "server.js"), "node migrate.js"),
        ("node migrate.js\nnode server.js", ("node", "server.js"), "node migrate.js"),
        ("node migrate.js &&\n  node server.js", ("node", "server.js"), "node migrate.js"),
        ("node \"a;b.js\" 'x|y' c\\&d", ("node", "a;b.js", "x|y", "c&d"), None),
        ("node server.js --title='a b' # a comment", ("node", "server.js", "--title=a b"), None),
        ("node server.js;", ("node", "server.js"), None),
        ("exec node server.js", ("node", "server.js"), None),
        ("npm run web -- --port 4000", ("node", "server.js", "--port", "4000"), None),
        ("npm run --silent web", ("node", "server.js"), None),
    ],
)
def test_start_scripts_are_split_as_sh_splits_them(
    tmp_path: Path, script: str, command: tuple[str, ...], dropped: str | None
) -> None:
    scripts = {"start": script, "web": "node server.js"}
    (tmp_path / "package.json").write_text(json.dumps({"main": "main.js", "scripts": scripts}))
    result = run(tmp_path)
    assert result["start_command"] == list(command)
    also = [w for w in result.warnings if "also runs" in w]
    if dropped is None:
        assert not also and not any("scripts.start (" in w for w in result.warnings), result.warnings
    else:
        assert also == [
            f"package.json: scripts.start also runs `{dropped}` before the app; the image starts only the "
            "app (run the rest as a release or init step)"
        ]


@pytest.mark.parametrize(
    ("scripts", "env", "port"),
    [
        ({"start": "NODE_OPTIONS=--max-old-space-size=4096 node server.js"},
         ["NODE_OPTIONS=--max-old-space-size=4096"], 3000),
        ({"start": "NODE_ENV=production node dist/main.js"}, [], 3000),  # the image sets it already
        ({"start": "NODE_ENV=staging TZ=UTC node server.js"}, ["NODE_ENV=staging", "TZ=UTC"], 3000),
        ({"start": "cross-env PORT=4000 node x.js"}, [], 4000),
        ({"start": "cross-env NODE_OPTIONS='--enable-source-maps --trace-warnings' node x.js"},
         ["NODE_OPTIONS=--enable-source-maps --trace-warnings"], 3000),
        ({"start": "env FOO=1 BAR= node x.js"}, ["FOO=1", "BAR="], 3000),
        ({"start": "export FOO=1 BAR=a:b && node x.js"}, ["FOO=1", "BAR=a:b"], 3000),
        ({"start": "NODE_OPTIONS=--x npm run serve", "serve": "PORT=8080 node s.js"}, ["NODE_OPTIONS=--x"], 8080),
        ({"start": "npm run serve", "serve": "DEBUG=app:* node s.js"}, ["DEBUG=app:*"], 3000),
    ],
)  # fmt: skip
def test_start_script_variables_are_kept_as_start_env(
    tmp_path: Path, scripts: dict[str, str], env: list[str], port: int
) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"scripts": scripts}))
    result = run(tmp_path)
    assert result["start_command"][0] == "node"
    assert result["start_env"] == env
    assert result["port"] == port
    answers = collect(overrides={}, recorded={}, detected=result.answers)
    assert answers["start_env"].value == env and answers["port"].value == port
    if env:
        assert "package.json" in answers["start_env"].reason


@pytest.mark.parametrize(
    ("script", "name"),
    [
        ("GREETING='say \"hi\"' node server.js", "GREETING"),
        ("GREETING=caf\u00e9 node server.js", "GREETING"),
        ("RAW='a\\b' node server.js", "RAW"),
        ("RAW='$HOME' node server.js", "RAW"),
    ],
)
def test_start_script_variables_an_env_line_cannot_hold_are_named(
    tmp_path: Path, script: str, name: str
) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"start": script}}))
    result = run(tmp_path)
    assert result["start_command"] == ["node", "server.js"]
    assert result["start_env"] == []
    assert any(w.startswith(f"package.json: scripts.start sets {name} to a value") for w in result.warnings)


def test_a_port_the_start_script_sets_that_is_no_port_is_named(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"start": "PORT=99999 node server.js"}}))
    result = run(tmp_path)
    assert result["port"] == 3000 and result["start_env"] == []
    assert any(w.startswith("package.json: scripts.start sets PORT='99999'") for w in result.warnings)


def test_a_next_standalone_app_keeps_the_start_script_variables(tmp_path: Path) -> None:
    manifest = {
        "scripts": {"build": "next build", "start": "NODE_OPTIONS=--max-old-space-size=2048 next start"},
        "dependencies": {"next": "16"},
    }
    (tmp_path / "package.json").write_text(json.dumps(manifest))
    (tmp_path / "next.config.mjs").write_text("export default { output: 'standalone' };\n")
    result = run(tmp_path)
    assert result["start_command"] == ["node", "server.js"]
    assert result["start_env"] == ["NODE_OPTIONS=--max-old-space-size=2048"]


def test_a_workspace_glob_is_matched_without_backtracking(tmp_path: Path) -> None:
    """Issue 18, class 7: the glob became a backtracking pattern; this ran for minutes."""
    (tmp_path / "package.json").write_text(
        json.dumps({"private": True, "workspaces": ["a*a*a*a*a*a*a*a*a*b"]})
    )
    (tmp_path / "package-lock.json").write_text(json.dumps({"lockfileVersion": 3, "packages": {}}))
    member = tmp_path / ("a" * 120)
    member.mkdir()
    (member / "package.json").write_text(json.dumps({"name": "m"}))
    result = subprocess.run(  # a child process: a hang fails the test instead of stalling the suite
        [sys.executable, "-m", "dockgen", "detect", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in result.stderr


def test_a_toml_or_yaml_manifest_too_large_to_parse_quickly_is_refused(tmp_path: Path) -> None:
    """Issue 18, class 8: tomllib is pure Python (a 32 MB pyproject.toml took 13 s)."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n' + "# padding\n" * 500_000)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"pyproject\.toml: file is too large to read"):
        run(tmp_path)
    assert time.monotonic() - started < 30  # a hang guard, not a speed target


def test_a_cap_holds_when_the_file_was_read_before_under_a_larger_one(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x" * 5000)
    project = Project(tmp_path)
    assert project.read_text("notes.txt") is not None
    with pytest.raises(InputError, match="too large"):
        project.read_text("notes.txt", limit=4096)
