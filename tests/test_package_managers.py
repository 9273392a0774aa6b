"""The package-manager table (template/_data/package_managers.yml) and what dockgen builds from it.

The template renders the install steps from the table; the install-step classifier and the
security gate's cache check are built from the same rows, so a new manager is one row.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import FIXTURES
from dockgen._knowledge import package_managers, pnpm_by_lockfile
from dockgen.build import _security
from dockgen.build._dockerfile import Dockerfile, is_dependency_install

ROWS = package_managers()
REQUIRED = {
    "ecosystem": str,
    "lockfiles": list,
    "install": dict,
    "prod_flags": str,
    "lock_flags": str,
    "cache": list,
    "setup": str,
    "detect": list,
}
#: What the placeholders of the commands stand for in a rendered Dockerfile.
PLACEHOLDERS = {"{requirements}": "requirements.txt", "{member}": "apps/api"}


def _rendered(command: str, row: dict[str, Any]) -> list[str]:
    """`command` as a RUN of a rendered Dockerfile holds it, once the Dockerfile is parsed."""
    for placeholder, value in PLACEHOLDERS.items():
        command = command.replace(placeholder, value)
    tools = [row["tool"], "./" + row["wrapper"]] if "{tool}" in command else [""]
    runs = []
    for tool in tools:
        mounts = "".join(f"--mount=type=cache,target={c} \\\n    " for c in row["cache"])
        text = f"FROM base\nRUN {mounts}{command.replace('{tool}', tool)}\n"
        ((keyword, args),) = Dockerfile.parse(text).instructions[1:]
        assert keyword == "RUN"
        runs.append(args)
    return runs


def _installs(row: dict[str, Any]) -> list[str]:
    commands = [*row["install"].values(), *(row.get("unlocked") or {}).values()]
    if "prod_without_focus" in row:
        commands.append(row["prod_without_focus"])
    if "member" in row:
        commands.append(row["member"]["prod"])
    return [str(c) for c in commands]


def test_the_table_names_the_managers_the_template_offers() -> None:
    assert set(ROWS) == {
        *("npm", "pnpm", "yarn", "yarn-berry", "bun"),
        *("pip", "poetry", "uv", "pdm", "pipenv"),
        *("go", "cargo", "maven", "gradle"),
    }


@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_manager_has_the_required_keys(name: str) -> None:
    row = ROWS[name]
    for key, kind in REQUIRED.items():
        assert isinstance(row.get(key), kind), f"{name}: {key} should be a {kind.__name__}"
    assert row["ecosystem"] in ("node", "python", "go", "rust", "java")
    assert all(isinstance(f, str) and "/" not in f for f in row["lockfiles"])
    assert all(isinstance(c, str) and c.startswith("/") and not c.endswith("/") for c in row["cache"])
    assert set(row["install"]) <= {"all", "prod"}
    assert set(row.get("unlocked") or {}) <= set(row["install"])
    if row["ecosystem"] == "node":  # prod-deps and build stages
        assert set(row["install"]) == {"all", "prod"} == set(row["unlocked"])
        assert row["cache"], name
    if row["ecosystem"] == "python":  # the build stage installs production dependencies
        assert set(row["install"]) == {"prod"}
    if row["ecosystem"] == "java":
        assert row["tool"] and row["wrapper"]
    if row["install"]:
        assert row["detect"], f"{name} installs, so the classifier must know its words"
    if row["setup"]:
        assert "{version}" in row["setup"]


@pytest.mark.parametrize("name", sorted(ROWS))
def test_flags_are_those_of_the_commands(name: str) -> None:
    row = ROWS[name]
    if row["prod_flags"]:
        assert row["prod_flags"] in row["install"]["prod"]
        if "prod" in (row.get("unlocked") or {}):
            assert row["prod_flags"] in row["unlocked"]["prod"]
    if row["lock_flags"] and row["install"]:
        assert any(row["lock_flags"] in c for c in row["install"].values())
        assert not any(row["lock_flags"] in c for c in (row.get("unlocked") or {}).values())


@pytest.mark.parametrize("name", sorted(ROWS))
def test_the_classifier_recognizes_every_install_as_rendered(name: str) -> None:
    row = ROWS[name]
    for command in _installs(row):
        for run in _rendered(command, row):
            assert is_dependency_install(run), f"{name}: {run!r}"


@pytest.mark.parametrize("name", sorted(n for n in ROWS if ROWS[n]["setup"]))
def test_installing_the_manager_itself_is_no_dependency_install(name: str) -> None:
    row = ROWS[name]
    for run in _rendered(row["setup"].replace("{version}", "1.2.3"), row):
        assert not is_dependency_install(run), f"{name}: {run!r}"


def test_a_uv_members_source_install_is_no_dependency_install() -> None:
    for run in _rendered(ROWS["uv"]["member"]["source"], ROWS["uv"]):
        assert not is_dependency_install(run)


def test_every_golden_install_step_is_recognized() -> None:
    """Each RUN of a golden Dockerfile that holds one of the table's installs is classified as one."""
    installs = []
    for row in ROWS.values():
        for command in _installs(row):
            for placeholder, value in {**PLACEHOLDERS, "{tool}": ""}.items():
                command = command.replace(placeholder, value)
            installs.append(command.split(" \\\n")[-1].lstrip("& "))
    setups = [row["setup"].split("{version}")[0] for row in ROWS.values() if row["setup"]]
    for path in sorted(FIXTURES.glob("*/expected/Dockerfile")):
        instructions = Dockerfile.parse(path.read_text(encoding="utf-8")).instructions
        runs = [a for k, a in instructions if k == "RUN" and not any(s in a for s in setups)]
        found = [run for run in runs if any(c in run for c in installs)]
        assert found or path.parts[-3].startswith("rust-"), f"{path}: no install step of the table"
        for run in found:
            assert is_dependency_install(run), f"{path}: {run!r}"


@pytest.mark.parametrize("name", sorted(n for n in ROWS if ROWS[n]["cache"]))
def test_the_gate_fails_an_image_that_ships_the_cache(name: str) -> None:
    for folder in ROWS[name].get("shipped_cache", ROWS[name]["cache"]):
        assert _security._CACHES.match(folder.lstrip("/") + "/some/package"), folder
        assert not _security._CACHES.match(folder.lstrip("/") + "-other/file"), folder
    for cache in ROWS[name]["cache"]:  # what the gate looks for is the mount, in it or around it
        shipped = ROWS[name].get("shipped_cache", [cache])
        assert any(cache.startswith(s + "/") or s.startswith(cache + "/") or s == cache for s in shipped)


def test_pnpm_lockfile_formats() -> None:
    assert pnpm_by_lockfile() == {"9": "9.15.9", "6": "8.15.9", "5": "7.33.7"}
