"""Go detector: one behaviour per test, on small inline repositories."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, detect, go
from dockgen.errors import AmbiguousProjectError, NoProjectError

NEWEST = "1.27"  # pinned, not read from versions.yml: a wrong table must fail here
MOD = "module example.com/shop\n\ngo 1.26.1\n"
MAIN = 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n'


def plan(tree, files: dict[str, Any], **hints: Any) -> Detection:
    return go.plan(Project(tree(files)), hints)


# ---- markers -----------------------------------------------------------------------------------
def test_go_mod_is_the_marker(tree) -> None:
    assert go.detect(Project(tree({"go.mod": MOD})))
    assert not go.detect(Project(tree({"main.go": MAIN})))


def test_go_and_node_at_one_root_is_ambiguous_with_choices(tree) -> None:
    web = {"name": "web", "scripts": {"start": "node server.js"}}
    root = tree({"go.mod": MOD, "main.go": MAIN, "package.json": web, "server.js": ""})
    with pytest.raises(AmbiguousProjectError, match=r"--set kind=node\|go") as caught:
        detect(Project(root))
    assert caught.value.answer == "kind" and caught.value.choices == ("node", "go")
    assert detect(Project(root), kind="go").kind == "go"


@pytest.mark.parametrize(
    "manifest",
    [
        {
            "name": "site",
            "devDependencies": {"eslint": "9", "prettier": "3"},
            "scripts": {"lint": "eslint ."},
        },
        {"name": "tools", "private": True},
        # a wrong-typed field is no crash (found by the fuzz suite: `"devDependencies": true`)
        {"name": "tools", "devDependencies": True},
    ],
)
def test_a_package_json_of_development_tools_is_not_a_second_app(tree, manifest) -> None:
    """wagtail/bakerydemo: eslint and stylelint in a package.json beside the Django app."""
    result = detect(Project(tree({"go.mod": MOD, "main.go": MAIN, "package.json": manifest})))
    assert result.kind == "go"
    assert result.warnings[-1].startswith("package.json lists only development tools")
    assert result.warnings[-1].endswith("dockgen builds the Go app (--set kind=... to choose)")


@pytest.mark.parametrize(
    "manifest",
    [
        {"name": "web", "dependencies": {"express": "5"}},
        {"name": "web", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "7"}},
        {"name": "web", "main": "index.js"},
        {"name": "web", "workspaces": ["apps/*"]},
    ],
)
def test_a_package_json_that_runs_or_builds_something_is_an_app(tree, manifest) -> None:
    with pytest.raises(AmbiguousProjectError):
        detect(Project(tree({"go.mod": MOD, "main.go": MAIN, "package.json": manifest})))


# ---- go.mod ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mod", "version", "reason"),
    [
        ("module m\n\ngo 1.26.1\n", "1.26", "go.mod: go 1.26.1"),
        ("module m\ngo 1.27\n", "1.27", "go.mod: go 1.27"),
        ("module m\ngo 1.26.0\ntoolchain go1.27.2\n", "1.27", "go.mod: toolchain go1.27.2"),
        ("module m\ngo 1.26 // comment\ntoolchain default\n", "1.26", "go.mod: go 1.26"),
        ("module m\ngo 1.27rc1\n", "1.27", "go.mod: go 1.27rc1"),
        ("module m\n", NEWEST, "no go directive"),
        ("module m\ngo banana\n", NEWEST, "no go directive"),
    ],
)
def test_go_version(tree, mod: str, version: str, reason: str) -> None:
    detection = plan(tree, {"go.mod": mod, "main.go": MAIN})
    assert detection["runtime_version"] == version
    assert reason in detection.reasons["runtime_version"]


def test_an_unmaintained_go_with_an_image_is_used_as_asked_with_a_warning(tree) -> None:
    detection = plan(tree, {"go.mod": "module m\ngo 1.25\n", "main.go": MAIN})
    assert detection["runtime_version"] == "1.25"
    assert any("1.25 is no longer maintained" in w for w in detection.warnings)


@pytest.mark.parametrize("written", ["1.13", "1.21.0", "1.23.4"])
def test_a_go_line_without_a_trixie_image_builds_with_the_oldest_maintained(tree, written: str) -> None:
    """`go 1.13` is a minimum: golang:1.13-trixie does not exist, a maintained toolchain builds it."""
    detection = plan(tree, {"go.mod": f"module m\ngo {written}\n", "main.go": MAIN})
    assert detection["runtime_version"] == "1.26"
    assert "is a minimum" in detection.reasons["runtime_version"]
    assert any("building with Go 1.26" in w for w in detection.warnings)


def test_dependency_files_are_go_mod_and_go_sum(tree) -> None:
    files = {"go.mod": MOD + "require github.com/google/uuid v1.6.0\n", "go.sum": "", "main.go": MAIN}
    assert plan(tree, files)["dependency_files"] == ["go.mod", "go.sum"]


def test_requires_without_go_sum_warns(tree) -> None:
    detection = plan(tree, {"go.mod": MOD + "require github.com/google/uuid v1.6.0\n", "main.go": MAIN})
    assert detection["dependency_files"] == ["go.mod"]
    assert any("no go.sum" in w for w in detection.warnings)


def test_vendored_modules_need_no_download(tree) -> None:
    files = {"go.mod": MOD, "go.sum": "", "vendor/modules.txt": "# x v1\n", "main.go": MAIN}
    detection = plan(tree, files)
    assert detection["dependency_files"][-1] == "vendor/modules.txt"
    assert "vendored" in detection.reasons["dependency_files"]


def test_local_replace_inside_the_repository_copies_its_go_mod(tree) -> None:
    mod = MOD + "require example.com/lib v0.0.0\n\nreplace (\n\texample.com/lib => ./lib\n)\n"
    files = {"go.mod": mod, "go.sum": "", "lib/go.mod": "module example.com/lib\n", "main.go": MAIN}
    assert plan(tree, files)["dependency_files"] == ["go.mod", "go.sum", "lib/go.mod"]


def test_local_replace_outside_the_repository_warns(tree) -> None:
    mod = MOD + "require example.com/lib v0.0.0\nreplace example.com/lib => ../lib\n"
    detection = plan(tree, {"go.mod": mod, "go.sum": "", "main.go": MAIN})
    assert any("outside the repository" in w for w in detection.warnings)


# ---- main package and binary -------------------------------------------------------------------
def test_root_main_names_the_binary_after_the_module(tree) -> None:
    detection = plan(tree, {"go.mod": "module github.com/acme/shop/v2\ngo 1.26\n", "main.go": MAIN})
    assert {"go_main": "."}.items() <= detection.values().items()
    assert detection["start_command"] == ["/usr/local/bin/shop"]


def test_cmd_main_names_the_binary_after_its_folder(tree) -> None:
    detection = plan(tree, {"go.mod": MOD, "cmd/api/main.go": MAIN, "internal/x/x.go": "package x\n"})
    assert {"go_main": "./cmd/api"}.items() <= detection.values().items()
    assert detection["start_command"] == ["/usr/local/bin/api"]


def test_several_mains_are_an_error_with_choices(tree) -> None:
    files = {"go.mod": MOD, "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN}
    with pytest.raises(AmbiguousProjectError, match=r"--set go_main=./cmd/api\|./cmd/worker") as caught:
        plan(tree, files)
    assert caught.value.answer == "go_main" and caught.value.choices == ("./cmd/api", "./cmd/worker")


def test_a_given_main_settles_it(tree) -> None:
    files = {"go.mod": MOD, "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN}
    detection = plan(tree, files, go_main="./cmd/worker")
    assert detection["start_command"] == ["/usr/local/bin/worker"]


@pytest.mark.parametrize(
    "ignored",
    [
        "tools/gen/main.go",
        "examples/demo/main.go",
        "vendor/github.com/x/y/main.go",
        "internal/testdata/main.go",
        "cmd/api/main_test.go",
    ],
)
def test_helpers_and_examples_are_not_main_packages(tree, ignored: str) -> None:
    detection = plan(tree, {"go.mod": MOD, "cmd/api/main.go": MAIN, ignored: MAIN})
    assert {"go_main": "./cmd/api"}.items() <= detection.values().items()


def test_a_go_run_script_with_an_ignore_constraint_is_not_a_main(tree) -> None:
    script = "//go:build ignore\n\n" + MAIN
    detection = plan(tree, {"go.mod": MOD, "main.go": MAIN, "gen.go": script, "scripts2/gen/gen.go": script})
    assert {"go_main": "."}.items() <= detection.values().items()


def test_a_library_has_nothing_to_run(tree) -> None:
    with pytest.raises(NoProjectError, match="no main package"):
        plan(tree, {"go.mod": MOD, "lib.go": "package shop\n\nfunc Add(a, b int) int { return a + b }\n"})


# ---- cgo and the base image --------------------------------------------------------------------
def test_pure_go_runs_on_scratch(tree) -> None:
    detection = plan(tree, {"go.mod": MOD, "main.go": MAIN})
    assert detection["base"] == "scratch" and detection.native_deps == ()


def test_own_cgo_needs_glibc(tree) -> None:
    cgo = 'package main\n\n// int one() { return 1; }\nimport "C"\n\nfunc main() { _ = C.one() }\n'
    detection = plan(tree, {"go.mod": MOD, "main.go": MAIN.replace("func main", "func unused"), "c.go": cgo})
    assert [d.name for d in detection.native_deps] == ["cgo"]
    assert detection["base"] == "slim" and "c.go" in detection.native_deps[0].reason


def test_a_cgo_module_from_the_table_needs_glibc(tree) -> None:
    mod = MOD + "require (\n\tgithub.com/mattn/go-sqlite3 v1.14.24 // indirect\n)\n"
    detection = plan(tree, {"go.mod": mod, "go.sum": "", "main.go": MAIN})
    assert [d.name for d in detection.native_deps] == ["github.com/mattn/go-sqlite3"]
    assert detection["base"] == "slim"


def test_a_pure_go_sqlite_stays_static(tree) -> None:
    mod = MOD + "require modernc.org/sqlite v1.34.0\n"
    assert plan(tree, {"go.mod": mod, "go.sum": "", "main.go": MAIN})["base"] == "scratch"


def test_cgo_in_a_test_file_does_not_count(tree) -> None:
    cgo_test = 'package main\n\nimport "C"\n'
    assert plan(tree, {"go.mod": MOD, "main.go": MAIN, "x_test.go": cgo_test})["base"] == "scratch"


# ---- framework, port, health -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("module", "framework", "port"),
    [
        ("github.com/gin-gonic/gin", "gin", 8080),
        ("github.com/labstack/echo/v4", "echo", 1323),
        ("github.com/gofiber/fiber/v2", "fiber", 3000),
        ("github.com/go-chi/chi/v5", "chi", 8080),
    ],
)
def test_framework_and_its_default_port(tree, module: str, framework: str, port: int) -> None:
    main = "package main\n\nfunc main() {}\n"
    detection = plan(tree, {"go.mod": MOD + f"require {module} v1.0.0\n", "go.sum": "", "main.go": main})
    assert detection["framework"] == framework and detection["port"] == port


@pytest.mark.parametrize(
    ("source", "port"),
    [
        ('http.ListenAndServe(":9090", nil)', 9090),
        ('srv := &http.Server{Addr: "0.0.0.0:7000"}', 7000),
        ('port := os.Getenv("PORT")\nif port == "" {\n\tport = "4000"\n}', 4000),
        ('r.Run(":8081")', 8081),
    ],
)
def test_port_from_the_code(tree, source: str, port: int) -> None:
    main = "package main\n\nfunc main() {\n\t" + source + "\n}\n"
    assert plan(tree, {"go.mod": MOD, "main.go": main})["port"] == port


def test_listening_on_localhost_warns(tree) -> None:
    main = 'package main\n\nfunc main() { http.ListenAndServe("127.0.0.1:8080", nil) }\n'
    detection = plan(tree, {"go.mod": MOD, "main.go": main})
    assert any("unreachable from outside the container" in w for w in detection.warnings)


def test_no_port_found_says_so(tree) -> None:
    detection = plan(tree, {"go.mod": MOD, "main.go": "package main\n\nfunc main() {}\n"})
    assert detection["port"] == 8080 and any("assuming 8080" in w for w in detection.warnings)


@pytest.mark.parametrize(
    ("route", "path"),
    [
        ('mux.HandleFunc("GET /healthz", h)', "/healthz"),
        ('r.GET("/health", h)', "/health"),
        ('http.HandleFunc("/api/v1/ping", h)', "/api/v1/ping"),
    ],
)
def test_health_route(tree, route: str, path: str) -> None:
    main = "package main\n\nfunc main() {\n\t" + route + "\n}\n"
    assert plan(tree, {"go.mod": MOD, "main.go": main})["health_path"] == path


def test_no_health_route_probes_the_root(tree) -> None:
    detection = plan(tree, {"go.mod": MOD, "main.go": MAIN})
    assert detection["health_path"] == "/" and "probe asks /" in detection.reasons["health_path"]


# ---- files read at run time (issue 12, class 7) ---------------------------------------------------
GIN = (
    'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n'
    '\tr.LoadHTMLGlob("templates/*.html")\n\tr.Static("/static", "./static")\n'
    '\tr.StaticFile("/favicon.ico", "./public/favicon.ico")\n\tr.Run(":8080")\n}\n'
)


def test_gin_templates_and_static_folders_are_copied(tree) -> None:
    files = {"go.mod": MOD, "main.go": GIN, "templates/index.html": "x", "static/app.css": "x"}
    files["public/favicon.ico"] = "x"
    detection = plan(tree, files)
    assert detection["runtime_assets"] == ["templates", "static", "public"]
    assert detection["runtime_workdir"] == ""
    assert "main.go: gin templates" in detection.reasons["runtime_assets"]


@pytest.mark.parametrize(
    "call",
    [
        'http.Handle("/", http.FileServer(http.Dir("web")))',
        'template.Must(template.ParseGlob("web/*.tmpl"))',
        'template.ParseFiles("web/a.tmpl", "web/b.tmpl")',
        'os.ReadFile("web/config.json")',
    ],
)
def test_net_http_and_template_reads(tree, call: str) -> None:
    main = f"package main\n\nfunc main() {{\n\t{call}\n}}\n"
    detection = plan(tree, {"go.mod": MOD, "main.go": main, "web/config.json": "{}", "web/a.tmpl": "x"})
    assert detection["runtime_assets"] == ["web"]


def test_embedded_folders_need_nothing(tree) -> None:
    main = (
        'package main\n\nimport "embed"\n\n//go:embed templates/*\nvar fs embed.FS\n\n'
        'func main() {\n\tr.LoadHTMLGlob("templates/*")\n}\n'
    )
    detection = plan(tree, {"go.mod": MOD, "main.go": main, "templates/a.html": "x"})
    assert detection["runtime_assets"] == []
    assert "embedded by //go:embed" in detection.reasons["runtime_assets"]


def test_url_prefixes_and_missing_paths_are_not_copied(tree) -> None:
    main = 'package main\n\nfunc main() {\n\tr.Static("/assets", "./assets")\n}\n'
    detection = plan(tree, {"go.mod": MOD, "main.go": main})
    assert detection["runtime_assets"] == []
    assert any(
        'reads "assets" (static files) at run time, which is not in the repository' in w
        for w in detection.warnings
    )


def test_paths_are_relative_to_the_main_package_folder_first(tree) -> None:
    main = 'package main\n\nfunc main() {\n\tr.LoadHTMLFiles("./testdata/raw.tmpl")\n}\n'
    other = 'package main\n\nfunc main() {\n\tr.LoadHTMLGlob("views/*")\n}\n'
    files = {"go.mod": MOD, "template/main.go": main, "template/testdata/raw.tmpl": "x"}
    files |= {"other/main.go": other, "other/views/a.html": "x"}
    detection = plan(tree, files, app_path="template")
    assert detection["go_main"] == "./template"
    assert detection["runtime_assets"] == ["template/testdata"]  # not the other main's views
    assert detection["runtime_workdir"] == "template"


def test_another_main_packages_routes_and_port_are_not_this_programs(tree) -> None:
    """gin-gonic/examples: the health route of one example is no route of another."""
    ping = 'package main\n\nfunc main() {\n\tr.GET("/ping", nil)\n\tr.Run(":9999")\n}\n'
    raw = 'package main\n\nfunc main() {\n\tr.GET("/raw", nil)\n}\n'
    files = {"go.mod": MOD, "ping/main.go": ping, "template/main.go": raw}
    detection = plan(tree, files, app_path="template")
    assert detection["health_path"] == "/" and detection["port"] == 8080


def test_path_picks_the_main_package_of_an_examples_module(tree) -> None:
    files = {"go.mod": MOD, "a/main.go": MAIN, "b/main.go": MAIN}
    with pytest.raises(AmbiguousProjectError):
        plan(tree, files)
    assert plan(tree, files, app_path="b")["go_main"] == "./b"
    with pytest.raises(NoProjectError, match="--path c: no main package"):
        plan(tree, files, app_path="c")


def test_a_package_the_main_imports_is_scanned_and_one_it_does_not_is_not(tree) -> None:
    main = 'package main\n\nimport "example.com/shop/internal/web"\n\nfunc main() {\n\tweb.Run()\n}\n'
    web = 'package web\n\nfunc Run() {\n\tr.LoadHTMLGlob("templates/*")\n}\n'
    unused = 'package gae\n\nfunc init() {\n\thttp.HandleFunc("/ping", nil)\n}\n'
    files = {"go.mod": MOD, "cmd/web/main.go": main, "internal/web/web.go": web, "gae/hello.go": unused}
    detection = plan(tree, {**files, "templates/a.html": "x"})
    assert detection["runtime_assets"] == ["templates"]
    assert detection["health_path"] == "/"
