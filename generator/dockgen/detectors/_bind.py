"""Servers that listen on localhost only: inside a container, nothing outside it reaches them.

The image's own health check runs inside the container and passes; `docker run -p` and every
other container do not get through. dockgen cannot change the code, so init says where it is.
"""

from __future__ import annotations

import re

from dockgen._project import Project
from dockgen.detectors._comments import syntax_of, without_comments

__all__ = ["is_test_path", "localhost_bind"]

_SUFFIXES = {
    "node": (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"),
    "python": (".py",),
    "go": (".go",),
    "rust": (".rs",),
}
_LOCAL = r"""(?P<local>["'`](?:127\.0\.0\.1|localhost)(?::\d{1,5})?["'`])"""
# Bounded gaps, no two unbounded runs side by side: linear on any input (issue 18).
_BINDS = (
    # Rust: SocketAddr::from(([127, 0, 0, 1], port))
    re.compile(r"SocketAddr(?:V4)?::(?:from|new)\s*\((?:\s*\()?\s*\[\s*127\s*,\s*0\s*,\s*0\s*,\s*1\s*\]"),
    # a listen/bind/serve call given a localhost address: app.listen(3000, 'localhost'),
    # http.ListenAndServe("localhost:8080", nil), TcpListener::bind("127.0.0.1:3000")
    re.compile(
        rf"\b(?:listen|bind|ListenAndServe|ListenAndServeTLS|Listen|Run|run|serve)\s*\([^()\n]{{0,80}}?{_LOCAL}"
    ),
    # keyword arguments: uvicorn.run(app, host="127.0.0.1"), app.run(host='localhost')
    re.compile(rf"\b(?:run|serve|Config|listen)\s*\([^()\n]{{0,120}}?\bhost\s*=\s*{_LOCAL}"),
    # an options object: server.listen({ port, host: 'localhost' })
    re.compile(rf"\blisten\s*\(\s*\{{[^{{}}\n]{{0,120}}?\bhost\s*:\s*{_LOCAL}"),
)
_LINE_COMMENT = re.compile(r"//[^\n]*")
#: the address is a fallback for a variable, which the user sets: `process.env.HOST || 'localhost'`,
#: `os.getenv("HOST", "127.0.0.1")`, `env::var("HOST").unwrap_or("127.0.0.1")`
_FALLBACK = re.compile(
    r"""(?:\|\||\?\?|\bor|(?:getenv|environ\.get|env\.get|Getenv|\.get)\(\s*["'][A-Za-z_]+["']\s*,|unwrap_or(?:_else)?\()\s*\Z"""
)
_TESTS = re.compile(
    r"(^|/)(tests?|__tests__|spec|e2e|examples?|docs?)/|_test\.go$|\.(spec|test)\.[a-z]+$|(^|/)test_[^/]+\.py$"
    # test runners' own configurations (the port of a test server, a browser's base URL)
    r"|(^|/)(playwright|cypress|vitest|jest|karma|wdio|nightwatch)\.conf(ig)?(\.[a-z]+)*\.[cm]?[jt]s$"
)


def is_test_path(rel: str) -> bool:
    """A test, an end-to-end suite, a test runner's configuration, an example or documentation.

    Their addresses and ports are a client's (or a reader's), not the server's.
    """
    return bool(_TESTS.search(rel))


def localhost_bind(project: Project, kind: str) -> str | None:
    """A warning naming the first source line that listens on localhost only, or None."""
    for rel in project.files(*_SUFFIXES.get(kind, ()), max_depth=5)[:400]:
        if is_test_path(rel):
            continue
        text = project.read_source(rel)
        if not text or ("127" not in text and "localhost" not in text):
            continue
        syntax = syntax_of(rel)
        # Go and Rust: their line comments go (a string holding // loses its tail, which no
        # address pattern needs)
        code = without_comments(text, syntax) if syntax else _LINE_COMMENT.sub("", text)
        for pattern in _BINDS:
            for match in pattern.finditer(code):
                start = match.start("local") if "local" in pattern.groupindex else match.start()
                if _FALLBACK.search(code[max(0, start - 60) : start]):
                    continue
                line = code.count("\n", 0, match.start()) + 1
                return (
                    f"{rel}:{line}: the server listens on localhost only ({match[0].strip()[:60]}): in a "
                    "container nothing outside it reaches the app (its own health check still passes); "
                    "listen on 0.0.0.0"
                )
    return None
