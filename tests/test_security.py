"""The security gate's checks, each against a bad case and a good case, without an engine (issue 19).

`layer_checks` reads `docker save` output; here it reads archives made the same way (a manifest and
one tar per layer), so every rule is shown catching what it is for. The docker tier runs the same
checks on a real bad image (`test_build_real.py::test_the_gate_catches_a_bad_image`).
"""

from __future__ import annotations

import io
import json
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockgen.build import _security
from dockgen.build._security import REQUIRED, Check, config_checks, failures, layer_checks, lint_check

Entry = tuple[str, int, bytes | None]  # path, mode, content (None: a folder)


class SavedImage:
    """What the Docker SDK's image object gives `layer_checks`: `save()`, an image archive in chunks."""

    def __init__(self, *layers: list[Entry]) -> None:
        self.layers = layers

    def save(self, named: bool = False) -> Iterator[bytes]:
        outer = io.BytesIO()
        with tarfile.open(fileobj=outer, mode="w") as archive:
            names = []
            for index, entries in enumerate(self.layers):
                layer = io.BytesIO()
                with tarfile.open(fileobj=layer, mode="w") as tar:
                    for path, mode, content in entries:
                        info = tarfile.TarInfo(path)
                        if content is None:
                            info.type, info.mode = tarfile.DIRTYPE, mode
                            tar.addfile(info)
                        else:
                            info.mode, info.size = mode, len(content)
                            tar.addfile(info, io.BytesIO(content))
                names.append(f"{index}/layer.tar")
                _add(archive, names[-1], layer.getvalue())
            _add(archive, "manifest.json", json.dumps([{"Layers": names}]).encode())
        data = outer.getvalue()
        yield from (data[i : i + 4096] for i in range(0, len(data), 4096))


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


BASE: list[Entry] = [("usr/bin/passwd", 0o4755, b""), ("etc/ssl/certs/ca.pem", 0o644, b"cert")]
APP: list[Entry] = [("app/server.js", 0o644, b"x"), ("app/node_modules/x/test/key.pem", 0o644, b"k")]


def checks(*added: list[Entry]) -> dict[str, Check]:
    """The layer checks of an image: a base layer (setuid passwd, CA certificates), then `added`."""
    return {c.name: c for c in layer_checks(SavedImage(BASE, *added), base_layers=1)}


def test_a_clean_image_passes_every_layer_check() -> None:
    assert all(c.ok is True for c in checks(APP).values()), checks(APP)


@pytest.mark.parametrize(
    ("name", "bad", "good"),
    [
        ("no compiler", ("usr/bin/gcc-12", 0o755, b""), ("usr/bin/gcc-wrapper.md", 0o644, b"")),
        (
            "no compiler",
            ("usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", 0o755, b""),
            ("usr/lib/gcc/README", 0o644, b""),
        ),
        ("no compiler", ("usr/local/bin/make", 0o755, b""), ("usr/local/bin/maker", 0o755, b"")),
        ("no package cache", ("root/.npm/_cacache/index-v5/a", 0o644, b""), ("root/.npm/README", 0o644, b"")),
        ("no package cache", ("root/.cache/pip/http/a", 0o644, b""), ("root/.cache/other/a", 0o644, b"")),
        (
            "no package cache",
            ("var/lib/apt/lists/deb_dists_x_Packages", 0o644, b""),
            ("var/lib/apt/lists/lock", 0o644, b""),
        ),
        ("no secret files", ("app/.env", 0o644, b"K=v"), ("app/.env.example", 0o644, b"K=")),
        # an installed package's test data is not the app's secret (found on fastify/demo); a
        # `.env` in a package's own folder still is
        (
            "no secret files",
            ("app/node_modules/dotenv-pkg/.env", 0o644, b"K=v"),
            ("app/node_modules/@fastify/env/test/.env", 0o644, b"K=v"),
        ),
        (
            "no secret files",
            ("app/test/.env", 0o644, b"K=v"),
            ("opt/venv/lib/python3.13/site-packages/environs/tests/.env", 0o644, b"K=v"),
        ),
        (
            "no secret files",
            ("app/.npmrc", 0o644, b"//r/:_authToken=abc"),
            ("app/.npmrc", 0o644, b"save-exact=true"),
        ),
        ("no secret files", ("app/certs/server.key", 0o600, b"k"), ("usr/share/doc/x/key.pem", 0o644, b"k")),
        (
            "no secret files",
            ("app/.git/HEAD", 0o644, b"ref"),
            ("app/node_modules/x/.git/HEAD", 0o644, b"ref"),
        ),
        ("no secret files", ("root/.ssh/id_ed25519", 0o600, b"k"), ("root/.ssh/known_hosts", 0o644, b"h")),
        # a file named credentials is one; @azure/identity's folder of that name is code
        (
            "no secret files",
            ("root/.aws/credentials", 0o600, b"k"),
            ("app/node_modules/@azure/identity/dist/esm/credentials", 0o755, None),
        ),
        ("no setuid added", ("usr/local/bin/helper", 0o4755, b""), ("usr/local/bin/helper", 0o755, b"")),
        ("no setuid added", ("usr/local/bin/group", 0o2755, b""), ("usr/local/bin/group", 0o755, b"")),
    ],
)
def test_each_layer_check_catches_its_bad_case(name: str, bad: Entry, good: Entry) -> None:
    assert checks([*APP, bad])[name].ok is False, checks([*APP, bad])[name]
    assert bad[0].split("/")[-1] in checks([*APP, bad])[name].detail
    assert checks([*APP, good])[name].ok is True, checks([*APP, good])[name]


def test_a_file_deleted_by_a_later_layer_is_not_in_the_image() -> None:
    """A whiteout (`.wh.gcc`) removes the compiler the layer below installed."""
    assert checks([("usr/bin/gcc", 0o755, b"")], [("usr/bin/.wh.gcc", 0o644, b"")])["no compiler"].ok is True
    opaque = [("root/.npm/_cacache/.wh..wh..opq", 0o644, b"")]
    assert checks([("root/.npm/_cacache/a", 0o644, b"")], opaque)["no package cache"].ok is True


def test_a_secret_file_is_caught_even_when_a_later_layer_deletes_it() -> None:
    """Deleted in a later layer, it still sits in the earlier one: `docker save` hands it out."""
    found = checks([("app/.env", 0o644, b"K=v")], [("app/.wh..env", 0o644, b"")])["no secret files"]
    assert found.ok is False and "layer 2" in found.detail


@pytest.mark.parametrize(
    ("config", "name", "ok"),
    [
        ({}, "non-root user", False),
        ({"User": "root"}, "non-root user", False),
        ({"User": "0:0"}, "non-root user", False),
        ({"User": "node"}, "non-root user", False),  # a name: runAsNonRoot cannot verify it
        ({"User": "1000:1000"}, "non-root user", True),
        ({}, "health check", False),
        ({"Healthcheck": {"Test": ["NONE"]}}, "health check", False),
        ({"Healthcheck": {"Test": ["CMD", "node", "probe.js"]}}, "health check", True),
        ({"Env": ["PATH=/usr/bin", "API_TOKEN=abc"]}, "no secrets in ENV", False),
        ({"Env": ["DB_PASSWORD=x"]}, "no secrets in ENV", False),
        ({"Env": ["AWS_SECRET_ACCESS_KEY=x"]}, "no secrets in ENV", False),
        ({"Env": ["PATH=/usr/bin", "NODE_ENV=production", "GPG_KEY=ABCD"]}, "no secrets in ENV", True),
    ],
)
def test_each_config_check_catches_its_bad_case(config: dict, name: str, ok: bool) -> None:
    found = {c.name: c for c in config_checks({"Config": config})}[name]
    assert found.ok is ok, found


def test_hadolint_findings_fail_the_lint_check(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text('FROM debian:latest\nRUN cd /tmp && echo hi\nCMD ["sh"]\n')
    found = lint_check(bad)
    assert found.ok is False and "DL3007" in found.detail and "DL3003" in found.detail
    good = tmp_path / "Good.Dockerfile"
    good.write_text(
        'FROM debian:trixie-slim\nUSER 1000\nHEALTHCHECK CMD ["true"]\nCMD ["sleep", "infinity"]\n'
    )
    assert lint_check(good).ok is True, lint_check(good)


def test_a_check_that_cannot_run_fails_the_gate(tmp_path: Path, monkeypatch) -> None:
    """hadolint missing: its check cannot run, and a required check that cannot run is a failure."""
    monkeypatch.setattr(_security.shutil, "which", lambda _name: None)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python3"))  # no hadolint beside it
    (tmp_path / "Dockerfile").write_text('FROM debian:trixie-slim\nCMD ["true"]\n')
    lint = lint_check(tmp_path / "Dockerfile")
    assert lint.ok is None and "not installed" in lint.detail
    failed = failures([lint])
    assert [c.name for c in failed if c.name == "hadolint clean"] == ["hadolint clean"]
    assert failed[0].ok is False and failed[0].detail == "could not run: hadolint is not installed"


def test_a_required_check_that_never_ran_fails_the_gate() -> None:
    passing = [Check(name, True, "fine") for name in REQUIRED]
    assert failures(passing) == []
    missing = [c for c in passing if c.name != "stops on SIGTERM"]
    assert failures(missing) == [Check("stops on SIGTERM", False, "did not run")]


def test_a_note_never_fails_the_gate() -> None:
    passing = [Check(name, True, "fine") for name in REQUIRED]
    notes = [Check("read-only root filesystem", False, "writes", required=False)]
    assert failures(passing + notes) == []
    assert failures([*passing, Check("read-only root filesystem", None, "?", required=False)]) == []
