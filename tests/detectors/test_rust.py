"""Rust detector: one behaviour per test, on small inline repositories."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, rust
from dockgen.errors import AmbiguousProjectError, NoProjectError

CARGO = '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "2021"\n'
MAIN = 'fn main() {\n    let _ = std::net::TcpListener::bind("0.0.0.0:8080");\n}\n'


def plan(tree, files: dict[str, Any], **hints: Any) -> Detection:
    return rust.plan(Project(tree(files)), hints)


def test_cargo_toml_is_the_marker(tree) -> None:
    assert rust.detect(Project(tree({"Cargo.toml": CARGO})))
    assert not rust.detect(Project(tree({"src/main.rs": MAIN})))


# ---- binaries ----------------------------------------------------------------------------------
def test_src_main_is_the_package_binary(tree) -> None:
    detection = plan(tree, {"Cargo.toml": CARGO, "Cargo.lock": "version = 4\n", "src/main.rs": MAIN})
    assert {"rust_bin": "shop"}.items() <= detection.values().items()
    assert detection["start_command"] == ["/usr/local/bin/shop"]
    assert detection["dependency_files"] == ["Cargo.toml", "Cargo.lock"]


def test_an_explicit_bin_target(tree) -> None:
    cargo = CARGO + '\n[[bin]]\nname = "shop-server"\npath = "src/server.rs"\n'
    detection = plan(tree, {"Cargo.toml": cargo, "src/server.rs": MAIN, "src/lib.rs": ""})
    assert {"rust_bin": "shop-server"}.items() <= detection.values().items()


def test_several_binaries_are_an_error_with_choices(tree) -> None:
    files = {"Cargo.toml": CARGO, "src/main.rs": MAIN, "src/bin/worker.rs": MAIN, "src/bin/cli/main.rs": MAIN}
    with pytest.raises(AmbiguousProjectError, match=r"--set rust_bin=") as caught:
        plan(tree, files)
    assert caught.value.answer == "rust_bin" and set(caught.value.choices) == {"shop", "worker", "cli"}
    assert plan(tree, files, rust_bin="worker")["start_command"] == ["/usr/local/bin/worker"]


def test_an_unknown_chosen_binary_is_an_error(tree) -> None:
    with pytest.raises(NoProjectError, match="no binary named 'nope'"):
        plan(tree, {"Cargo.toml": CARGO, "src/main.rs": MAIN}, rust_bin="nope")


def test_a_library_has_nothing_to_run(tree) -> None:
    with pytest.raises(NoProjectError, match="no binary target"):
        plan(tree, {"Cargo.toml": CARGO, "src/lib.rs": "pub fn f() {}\n"})


def test_a_workspace_member_binary(tree) -> None:
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
        "Cargo.lock": "version = 4\n",
        "crates/api/Cargo.toml": CARGO.replace("shop", "api"),
        "crates/api/src/main.rs": MAIN,
        "crates/core/Cargo.toml": CARGO.replace("shop", "core"),
        "crates/core/src/lib.rs": "",
    }
    detection = plan(tree, files)
    assert {"rust_bin": "api"}.items() <= detection.values().items()
    assert detection["dependency_files"] == [
        "Cargo.toml",
        "crates/api/Cargo.toml",
        "crates/core/Cargo.toml",
        "Cargo.lock",
    ]


def test_an_excluded_workspace_member_is_left_out(tree) -> None:
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["api", "tools"]\nexclude = ["tools"]\n',
        "api/Cargo.toml": CARGO.replace("shop", "api"),
        "api/src/main.rs": MAIN,
        "tools/Cargo.toml": CARGO.replace("shop", "tools"),
        "tools/src/main.rs": MAIN,
    }
    assert {"rust_bin": "api"}.items() <= plan(tree, files).values().items()


# ---- toolchain -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("files", "version"),
    [
        ({"rust-toolchain.toml": '[toolchain]\nchannel = "1.85"\n'}, "1.85"),
        ({"rust-toolchain.toml": '[toolchain]\nchannel = "1.86.0"\n'}, "1.86.0"),
        ({"rust-toolchain": "1.84.1\n"}, "1.84.1"),
        ({"rust-toolchain.toml": '[toolchain]\nchannel = "nightly-2025-01-01"\n'}, "1"),
        ({}, "1"),
    ],
)
def test_toolchain(tree, files: dict[str, str], version: str) -> None:
    assert plan(tree, {"Cargo.toml": CARGO, "src/main.rs": MAIN, **files})["runtime_version"] == version


# ---- native crates, framework, port, health -----------------------------------------------------
def test_openssl_sys_brings_libssl(tree) -> None:
    lock = 'version = 4\n\n[[package]]\nname = "openssl-sys"\nversion = "0.9.0"\n'
    detection = plan(tree, {"Cargo.toml": CARGO, "Cargo.lock": lock, "src/main.rs": MAIN})
    assert [d.name for d in detection.native_deps] == ["openssl-sys"]


def test_vendored_openssl_needs_no_system_library(tree) -> None:
    lock = 'version = 4\n\n[[package]]\nname = "openssl-sys"\n\n[[package]]\nname = "openssl-src"\n'
    assert plan(tree, {"Cargo.toml": CARGO, "Cargo.lock": lock, "src/main.rs": MAIN}).native_deps == ()


def test_no_lockfile_warns(tree) -> None:
    detection = plan(tree, {"Cargo.toml": CARGO, "src/main.rs": MAIN})
    assert any("no Cargo.lock" in w for w in detection.warnings)


@pytest.mark.parametrize(
    ("source", "port"),
    [
        ('TcpListener::bind("0.0.0.0:3000")', 3000),
        ("let addr = SocketAddr::from(([0, 0, 0, 0], 4000));", 4000),
        ('let port = std::env::var("PORT").unwrap_or_else(|_| "5000".into());', 5000),
    ],
)
def test_port_from_the_code(tree, source: str, port: int) -> None:
    main = "fn main() {\n    " + source + "\n}\n"
    assert plan(tree, {"Cargo.toml": CARGO, "src/main.rs": main})["port"] == port


def test_framework_and_health_route(tree) -> None:
    lock = 'version = 4\n\n[[package]]\nname = "axum"\nversion = "0.8.0"\n'
    main = 'fn main() {\n    let app = Router::new().route("/healthz", get(ok));\n}\n'
    detection = plan(tree, {"Cargo.toml": CARGO, "Cargo.lock": lock, "src/main.rs": main})
    assert detection["framework"] == "axum" and detection["health_path"] == "/healthz"


def test_listening_on_localhost_warns(tree) -> None:
    main = 'fn main() {\n    TcpListener::bind("127.0.0.1:8080");\n}\n'
    detection = plan(tree, {"Cargo.toml": CARGO, "src/main.rs": main})
    assert any("unreachable from outside the container" in w for w in detection.warnings)


# ---- [[bin]] targets and --path -----------------------------------------------------------------
def test_a_bin_target_at_src_main_is_the_package_binary_not_a_second_one(tree) -> None:
    cargo = CARGO + '\n[[bin]]\nname = "server"\npath = "src/main.rs"\n'
    detection = plan(tree, {"Cargo.toml": cargo, "Cargo.lock": "version = 4\n", "src/main.rs": MAIN})
    assert {"rust_bin": "server"}.items() <= detection.values().items()


def test_a_bin_target_at_src_bin_is_one_binary(tree) -> None:
    cargo = CARGO + '\n[[bin]]\nname = "server"\npath = "src/bin/serve.rs"\n'
    files = {"Cargo.toml": cargo, "Cargo.lock": "version = 4\n", "src/bin/serve.rs": MAIN}
    assert {"rust_bin": "server"}.items() <= plan(tree, files).values().items()


def test_path_picks_the_binary_of_a_workspace_member(tree) -> None:
    root = '[workspace]\nmembers = ["basics/*", "web/tera"]\n'
    member = '[package]\nname = "{}"\nversion = "0.1.0"\n'
    files = {"Cargo.toml": root, "Cargo.lock": "version = 4\n"}
    for folder in ("basics/hello", "basics/state", "web/tera"):
        files[f"{folder}/Cargo.toml"] = member.format(folder.replace("/", "-"))
        files[f"{folder}/src/main.rs"] = MAIN
    with pytest.raises(AmbiguousProjectError):
        plan(tree, files)
    assert {"rust_bin": "web-tera"}.items() <= plan(tree, files, app_path="web/tera").values().items()
    with pytest.raises(NoProjectError, match="--path basics: no binary"):
        plan(tree, files, app_path="basics")
    files["examples/demo/Cargo.toml"] = member.format("demo")  # in no workspace the root knows
    with pytest.raises(NoProjectError, match=r"examples/demo/Cargo\.toml is not a member of the root.s"):
        plan(tree, files, app_path="examples/demo")


# ---- files read at run time (issue 12, class 7) ---------------------------------------------------
def test_tera_templates_under_the_crate_folder_are_copied(tree) -> None:
    main = 'fn main() {\n    let t = Tera::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/**/*"));\n}\n'
    root = '[workspace]\nmembers = ["web"]\n'
    files = {
        "Cargo.toml": root,
        "web/Cargo.toml": CARGO,
        "web/src/main.rs": main,
        "web/templates/a.html": "x",
    }
    detection = plan(tree, files)
    assert detection["runtime_assets"] == ["web/templates"]
    assert detection["runtime_workdir"] == "web"


@pytest.mark.parametrize(
    "call",
    [
        'Router::new().nest_service("/assets", ServeDir::new("assets"))',
        'App::new().service(Files::new("/static", "./assets").show_files_listing())',
        'rocket::build().mount("/", FileServer::from("assets"))',
        'hb.register_templates_directory(".hbs", "./assets")',
    ],
)
def test_static_file_services_are_copied(tree, call: str) -> None:
    main = f"fn main() {{\n    let app = {call};\n}}\n"
    files = {"Cargo.toml": CARGO, "src/main.rs": main, "assets/index.html": "x"}
    assert plan(tree, files)["runtime_assets"] == ["assets"]


def test_compile_time_templates_need_nothing(tree) -> None:
    main = 'const PAGE: &str = include_str!("../templates/index.html");\n#[derive(Template)]\n#[template(path = "a.html")]\nstruct A;\nfn main() {}\n'
    files = {"Cargo.toml": CARGO, "src/main.rs": main, "templates/index.html": "x", "templates/a.html": "x"}
    detection = plan(tree, files)
    assert detection["runtime_assets"] == []


def test_rocket_toml_is_copied_and_gives_the_port(tree) -> None:
    main = "#[launch]\nfn rocket() -> _ {\n    rocket::build()\n}\n"
    files = {
        "Cargo.toml": CARGO + '\n[dependencies]\nrocket = "0.5"\n',
        "Cargo.lock": '[[package]]\nname = "rocket"\nversion = "0.5.1"\n',
        "src/main.rs": main,
        "Rocket.toml": '[default]\naddress = "0.0.0.0"\nport = 10000\n',
    }
    detection = plan(tree, files)
    assert detection["runtime_assets"] == ["Rocket.toml"]
    assert detection["port"] == 10000
    assert detection.reasons["port"].startswith("Rocket.toml")


def test_a_lockfile_the_manifest_moved_away_from_builds_without_locked(tree) -> None:
    """railwayapp-templates/rust-starter: Cargo.toml dropped reqwest, Cargo.lock still lists it."""
    cargo = CARGO + '\n[dependencies]\naxum = "0.7"\n'
    lock = (
        'version = 3\n\n[[package]]\nname = "axum"\nversion = "0.7.4"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n\n'
        '[[package]]\nname = "shop"\nversion = "0.1.0"\ndependencies = [\n "axum",\n "reqwest",\n]\n'
    )
    detection = plan(tree, {"Cargo.toml": cargo, "Cargo.lock": lock, "src/main.rs": MAIN})
    assert "Cargo.lock" not in detection["dependency_files"]
    assert any("Cargo.lock lists reqwest, which Cargo.toml no longer has" in w for w in detection.warnings)
    fresh = lock.replace(' "reqwest",\n', "")
    assert (
        "Cargo.lock"
        in plan(tree, {"Cargo.toml": cargo, "Cargo.lock": fresh, "src/main.rs": MAIN})["dependency_files"]
    )
