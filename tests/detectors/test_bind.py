"""A server that listens on localhost only is named at init, with its file and line."""

from __future__ import annotations

import pytest

from dockgen._project import Project
from dockgen.detectors import detect
from dockgen.detectors._bind import localhost_bind


@pytest.mark.parametrize(
    ("kind", "file", "code"),
    [
        ("rust", "src/main.rs", "let addr = SocketAddr::from(([127, 0, 0, 1], 3000));"),
        ("rust", "src/main.rs", 'let l = TcpListener::bind("127.0.0.1:3000").await?;'),
        ("go", "main.go", 'log.Fatal(http.ListenAndServe("localhost:8080", nil))'),
        ("go", "main.go", 'r.Run("127.0.0.1:8080")'),
        ("node", "server.js", "app.listen(3000, 'localhost', () => {});"),
        ("node", "server.ts", "await fastify.listen({ port: 3000, host: '127.0.0.1' });"),
        ("python", "main.py", 'uvicorn.run(app, host="127.0.0.1", port=8000)'),
    ],
)
def test_a_localhost_bind_is_named_with_its_line(tree, kind: str, file: str, code: str) -> None:
    project = Project(tree({file: f"// header\n\n{code}\n" if kind != "python" else f"# header\n\n{code}\n"}))
    warning = localhost_bind(project, kind)
    assert warning is not None and warning.startswith(f"{file}:3: the server listens on localhost only")
    assert "listen on 0.0.0.0" in warning


@pytest.mark.parametrize(
    ("kind", "file", "code"),
    [
        # the address comes from a variable the user sets
        ("node", "server.js", "app.listen(port, process.env.HOST || 'localhost');"),
        ("python", "main.py", 'uvicorn.run(app, host=os.getenv("HOST", "127.0.0.1"))'),
        # a client, not a server
        ("node", "db.js", "const knex = require('knex')({ connection: { host: 'localhost' } });"),
        ("go", "db.go", 'db, err := sql.Open("postgres", "host=localhost port=5432")'),
        ("python", "settings.py", 'DATABASES = {"default": {"HOST": "localhost"}}'),
        # commented out, and in a test
        ("node", "server.js", "// app.listen(3000, 'localhost');\napp.listen(3000);"),
        ("go", "main_test.go", 'http.ListenAndServe("localhost:8080", nil)'),
        ("node", "server.js", "app.listen(3000, '0.0.0.0');"),
    ],
)
def test_other_addresses_and_clients_are_not_named(tree, kind: str, file: str, code: str) -> None:
    assert localhost_bind(Project(tree({file: code + "\n"})), kind) is None


def test_init_warns_about_it(tree) -> None:
    root = tree({
        "package.json": {"name": "a", "scripts": {"start": "node server.js"}, "dependencies": {"express": "5"}},
        "server.js": "require('express')().listen(process.env.PORT || 3000, '127.0.0.1');\n",
    })  # fmt: skip
    detection = detect(Project(root))
    assert any(w.startswith("server.js:1: the server listens on localhost only") for w in detection.warnings)


def test_go_says_it_once(tree) -> None:
    """The Go detector's own address scan names `"localhost:8080"`: no second warning."""
    root = tree({
        "go.mod": "module example.com/app\n\ngo 1.24\n",
        "main.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe("localhost:8080", nil) }\n',
    })  # fmt: skip
    warnings = [w for w in detect(Project(root)).warnings if "localhost" in w]
    assert len(warnings) == 1, warnings
