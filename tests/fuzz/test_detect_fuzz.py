"""P1 (no crash): detection of any repository ends in a Detection or a DockgenError, never a traceback."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import event, example, given

import dockgen
from dockgen.errors import DockgenError

from .strategies import Tree, any_trees
from .support import CANARY, FS_DIR_SYMLINK_OUT, FS_FIFO, FS_LOOP, FS_SYMLINK_OUT, run_cli, write_tree


def _detect(root: Path, kind: str | None = None) -> str:
    try:
        detection = dockgen.detect(root, kind=kind)
    except DockgenError as error:  # a clean, one-line user error
        return type(error).__name__
    assert isinstance(detection, dockgen.Detection)
    json.dumps(detection.to_json())  # what `dockgen detect --json` prints
    return f"detected {detection.kind}"


@given(tree=any_trees())
@example(tree={"package.json": b"[" * 20000 + b"]" * 20000})
@example(tree={"package.json": b'{"scripts": ' + b"[" * 20000 + b"]" * 20000 + b"}"})
@example(tree={"package.json": b'\xef\xbb\xbf{"name": "a", "main": "server.js"}'})
@example(tree={"package.json": b'{"name": "a", "name": "b"}'})
@example(tree={"package.json": b'{"engines": {"node": NaN}, "volta": {"node": Infinity}}'})
@example(tree={"package.json": b'{"name": "\\ud800", "main": "\\udfff.js"}'})
@example(tree={"package.json": b'{"name": "caf\xe9"}'})
@example(tree={"package.json": b'{"main": 5, "scripts": "start", "engines": [], "workspaces": true}'})
@example(tree={"package.json": b'{"name": "a"', "package-lock.json": b"{"})
@example(tree={"pyproject.toml": b"a = " + b"[" * 20000 + b"]" * 20000})
@example(
    tree={
        "package.json": b'{"devDependencies": {"typescript": "5"}, "scripts": {"build": "tsc"}}',
        "tsconfig.json": b"// c\n" + b"[" * 20000 + b"]" * 20000,
    }
)
@example(
    tree={"package.json": b'{"dependencies": {"@angular/core": "19"}}', "angular.json": b'{"a": 1, "a": 2}'}
)
@example(tree={"pyproject.toml": b"[project\n"})
@example(tree={"requirements.txt": b"-r a.txt\r\nflask==3.0\r\n", "a.txt": b"-r requirements.txt\n"})
@example(tree={"requirements.txt": b"--extra-index-url https://u:SECRET@host/simple\n-r ../x.txt\n"})
@example(tree={"requirements.txt": b"-e .\n", "pnpm-lock.yaml": b"a: &a [*a, *a]\n"})
@example(tree={"package.json": b"{}", "requirements.txt": b"flask\n"})
@example(tree={"go.mod": b"module m\ngo 1.24\n", "cmd/$(id)/main.go": b"package main\nfunc main() {}\n"})
@example(tree={"go.mod": b"require (\n", "main.go": b"package main\nfunc main() {}\n"})
@example(tree={})
@example(tree={"package.json": FS_SYMLINK_OUT})
@example(tree={"package.json": b'{"scripts": {"start": "node lib/x.js"}}', "lib": FS_DIR_SYMLINK_OUT})
@example(tree={"requirements.txt": b"-r conf/package.json\n", "app.py": b"", "conf": FS_DIR_SYMLINK_OUT})
@example(tree={"package.json": FS_LOOP})
@example(tree={"package.json": b'{"main": "server.js"}', "server.js": FS_FIFO})
def test_detect_never_crashes(tree: Tree) -> None:
    """P1: `dockgen.detect` returns a Detection or raises a DockgenError; the CLI exits 0 or 2.

    Nothing outside the repository is ever read into what it prints (the canary), and nothing it
    prints carries a control character.
    """
    with tempfile.TemporaryDirectory(prefix="dockgen-fuzz-") as tmp:
        root = Path(tmp)
        write_tree(root, tree)
        outcome = _detect(root)
        event(f"detect: {outcome}")
        for kind in ("node", "python", "go", "rust", "java"):  # `--kind`, as for a folder with two apps
            _detect(root, kind)
        code, out, err = run_cli(["detect", tmp, "--json"])
        assert "Traceback" not in err, err
        assert code in (0, 2), f"exit {code}: {err}"
        assert CANARY not in out + err
        _, text, text_err = run_cli(["detect", tmp])
        assert CANARY not in text + text_err
        assert all(c.isprintable() or c == "\n" for c in text + text_err), text + text_err
        if code == 0:
            assert isinstance(json.loads(out), dict)
            assert outcome.startswith("detected")
        else:
            # README: every error is a single line on stderr that names the file and the problem
            assert err.startswith("dockgen: error: ") and err.count("\n") == 1, err
            assert err[:-1].isprintable(), err
