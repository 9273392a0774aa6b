"""`python -m bench.corpus`: dockgen's own loop on real public repositories (issue 12).

`run CHECKOUTS_DIR` takes each app of bench/corpus.toml whose checkout is CHECKOUTS_DIR/owner+name,
copies it to a scratch folder (the checkout is never changed), runs `dockgen init -y --no-build`
(no --set), makes the stand-ins its Dockerfile names, then `dockgen build --json` on an empty build
cache (cold), appends a comment line to one source file and builds again (warm). It writes a
Markdown table and a JSON file of the results. `list [CHECKOUTS_DIR]` checks the data file and
says which checkouts are there and at which commit.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
DATA = REPOSITORY / "bench" / "corpus.toml"
RESULTS = REPOSITORY / "bench" / "results" / "corpus.md"

VERDICTS = ("buildable", "needs-service", "needs-download", "needs-code-change")
ECOSYSTEMS = ("node", "python", "go", "rust", "java", "static")
_FIELDS = {"repo", "commit", "path", "workspace", "ecosystem", "framework", "verdict", "reason", "classes"}
_REQUIRED = ("repo", "commit", "ecosystem", "framework", "verdict", "reason")

#: Result codes, in the order the summary lists them, with the words the table shows.
OUTCOMES = {
    "pass": "healthy, gate clean",
    "init-ok": "init ok (not built)",
    "gate": "healthy, gate fails",
    "unhealthy": "not healthy",
    "build-failed": "build fails",
    "init-failed": "init fails",
    "no-standin": "no stand-in",
    "time-limit": "time limit",
    "no-checkout": "no checkout",
    "runner-error": "runner error",
}

#: Folders a clean checkout does not hold, or that no app source lives in.
# fmt: off
_NOT_SOURCE = frozenset({
    ".git", "node_modules", ".venv", "venv", "target", "dist", "build", "out", ".next", ".nuxt",
    ".output", ".svelte-kit", ".dockgen", "public", "static", "assets", "test", "tests", "e2e",
    "cypress", "scripts", "migrations", "alembic",
})
# fmt: on
#: Source files a comment can be appended to, and the comment that ends them.
_COMMENT = {".py": "#"} | dict.fromkeys(
    (".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".rs", ".java", ".kt"), "//"
)
#: Where dockgen's progress says how long the image took to build.
_BUILT = re.compile(r"^Built \S+ in ([0-9.]+)s")
_GATE = "the image fails the security gate: "


class CorpusError(Exception):
    """The data file is malformed; the message names the app and the field."""


@dataclass(frozen=True, slots=True)
class App:
    """One app of the corpus: where it is, and what a correct dockgen should make of it."""

    repo: str
    commit: str
    ecosystem: str
    framework: str
    verdict: str
    reason: str
    path: str = "."
    workspace: bool = False
    classes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """`owner/name`, or `owner/name:path` for an app inside the repository."""
        return self.repo if self.path == "." else f"{self.repo}:{self.path}"

    @property
    def folder(self) -> str:
        """The checkout's folder name under CHECKOUTS_DIR: `owner+name`."""
        return self.repo.replace("/", "+")

    @property
    def slug(self) -> str:
        """A file-name-safe name, unique in the corpus (also the test image's name)."""
        text = self.folder if self.path == "." else f"{self.folder}--{self.path}"
        return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")


def load(path: Path = DATA) -> list[App]:
    """The apps of the data file, validated.

    Raises:
        CorpusError: a missing or unknown field, a value of the wrong form, or a name twice.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CorpusError(f"{path.name}: {error}") from error
    if set(data) != {"app"} or not isinstance(data["app"], list):
        raise CorpusError(f"{path.name}: expected [[app]] tables and nothing else")
    apps: list[App] = []
    seen: set[str] = set()
    for number, table in enumerate(data["app"], 1):
        app = _app(table, f"{path.name}: app {number}")
        if app.name in seen:
            raise CorpusError(f"{path.name}: app {number}: {app.name} is listed twice")
        seen.add(app.name)
        apps.append(app)
    return apps


def _app(table: dict[str, Any], where: str) -> App:
    unknown = set(table) - _FIELDS
    if unknown:
        raise CorpusError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in _REQUIRED:
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise CorpusError(f"{where}: {key} must be a non-empty string")
    where = f"{where} ({table['repo']})"
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9._-]*", table["repo"]):
        raise CorpusError(f"{where}: repo must be owner/name")
    if not re.fullmatch(r"[0-9a-f]{40}", table["commit"]):
        raise CorpusError(f"{where}: commit must be a full 40-digit sha in lowercase hex")
    if table["verdict"] not in VERDICTS:
        raise CorpusError(f"{where}: verdict must be one of {', '.join(VERDICTS)}")
    if table["ecosystem"] not in ECOSYSTEMS:
        raise CorpusError(f"{where}: ecosystem must be one of {', '.join(ECOSYSTEMS)}")
    if "\n" in table["reason"]:
        raise CorpusError(f"{where}: reason must be one line")
    path = table.get("path", ".")
    parts = path.split("/") if isinstance(path, str) else []
    if not parts or path.startswith("/") or any(p in ("", "..") for p in parts) or path.endswith("/"):
        raise CorpusError(f"{where}: path must be a relative folder inside the repository, without ..")
    if "." in parts and path != ".":
        raise CorpusError(f"{where}: path must not contain '.' segments")
    workspace = table.get("workspace", False)
    if not isinstance(workspace, bool):
        raise CorpusError(f"{where}: workspace must be true or false")
    if workspace and path == ".":
        raise CorpusError(f"{where}: workspace = true needs a path (the app to pass to --path)")
    classes = table.get("classes", [])
    if not isinstance(classes, list) or not all(
        isinstance(c, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c) for c in classes
    ):
        raise CorpusError(f"{where}: classes must be a list of kebab-case tags")
    return App(
        repo=table["repo"],
        commit=table["commit"],
        ecosystem=table["ecosystem"],
        framework=table["framework"],
        verdict=table["verdict"],
        reason=table["reason"],
        path=path,
        workspace=workspace,
        classes=tuple(classes),
    )


def select(apps: list[App], only: Iterable[str]) -> list[App]:
    """The apps named in `only` (a repo names every app of that repository); all when empty.

    Raises:
        CorpusError: a name that is in the corpus under no form.
    """
    wanted = list(only)
    if not wanted:
        return apps
    unknown = [w for w in wanted if not any(w in (a.name, a.repo, a.folder, a.slug) for a in apps)]
    if unknown:
        raise CorpusError(f"not in the corpus: {', '.join(unknown)}")
    return [a for a in apps if any(w in (a.name, a.repo, a.folder, a.slug) for w in wanted)]


# ---------------------------------------------------------------- running one app


@dataclass(slots=True)
class Outcome:
    """What dockgen's loop made of one app."""

    app: App
    outcome: str = "runner-error"
    note: str = ""
    checkout_commit: str | None = None
    detected: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    base_images: list[str] = field(default_factory=list)
    missing_standins: list[str] = field(default_factory=list)
    health: str | None = None
    seconds_to_healthy: float | None = None
    gate_failed: list[str] = field(default_factory=list)
    size_bytes: int | None = None
    cold_seconds: float | None = None
    warm_seconds: float | None = None
    warm_deps_cached: bool | None = None
    edited: str | None = None
    log: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON record: the data file's entry, then what happened."""
        app = self.app
        return {
            "name": app.name,
            "repo": app.repo,
            "commit": app.commit,
            "path": app.path,
            "workspace": app.workspace,
            "ecosystem": app.ecosystem,
            "framework": app.framework,
            "verdict": app.verdict,
            "reason": app.reason,
            "classes": list(app.classes),
            "checkout_commit": self.checkout_commit,
            "outcome": self.outcome,
            "note": self.note,
            "detected": self.detected,
            "warnings": self.warnings,
            "base_images": self.base_images,
            "missing_standins": self.missing_standins,
            "health": self.health,
            "seconds_to_healthy": self.seconds_to_healthy,
            "gate_failed": self.gate_failed,
            "size_bytes": self.size_bytes,
            "cold_seconds": self.cold_seconds,
            "warm_seconds": self.warm_seconds,
            "warm_deps_cached": self.warm_deps_cached,
            "edited": self.edited,
            "log": self.log,
        }


@dataclass(frozen=True, slots=True)
class Run:
    """One dockgen command: exit code, stdout, stderr lines, wall time, and whether it was cut off."""

    code: int | None
    stdout: str
    stderr: list[str]
    seconds: float
    cut_off: bool = False

    def error(self) -> str:
        """The one-line error dockgen printed (its last `dockgen: ...error` line), else the last line."""
        for line in reversed(self.stderr):
            if line.startswith(("dockgen: error:", "dockgen: internal error:")):
                return line.removeprefix("dockgen: ")
        said = [line for line in self.stderr if line.strip()]
        return said[-1].strip() if said else f"exit code {self.code}"

    def built_seconds(self) -> float | None:
        """The build time dockgen reports ("Built ... in 12.3s"), None when the image was not built."""
        for line in self.stderr:
            match = _BUILT.match(line)
            if match:
                return float(match[1])
        return None

    def report(self) -> dict[str, Any] | None:
        """The `--json` report on stdout, when dockgen printed one."""
        try:
            data = json.loads(self.stdout)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


def dockgen(args: list[str], timeout: float) -> Run:
    """`python -m dockgen ARGS` with this repository's dockgen, in its own process group.

    Past `timeout` seconds the whole group (the docker client included) is stopped.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPOSITORY / "generator"), env.get("PYTHONPATH", "")) if p
    )
    env.pop("CI", None)  # no CI-only behaviour in a measurement
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "dockgen", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        env=env,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
        cut_off = False
    except subprocess.TimeoutExpired:
        _stop_group(process)
        out, err = process.communicate()
        cut_off = True
    return Run(process.returncode, out, err.splitlines(), time.monotonic() - started, cut_off)


def _stop_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM to the process group, SIGKILL ten seconds later if it is still there."""
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def base_images(dockerfile: str) -> list[str]:
    """The images a Dockerfile's FROM lines name (ARG defaults applied; stages and scratch left out)."""
    from dockgen.build import Dockerfile

    args: dict[str, str] = {}
    stages: set[str] = set()
    images: list[str] = []
    seen_from = False
    for keyword, rest in Dockerfile.parse(dockerfile).instructions:
        if keyword == "ARG" and not seen_from:
            name, _, default = rest.partition("=")
            args[name.strip()] = default.strip().strip("\"'")
        elif keyword == "FROM":
            seen_from = True
            words = [w for w in rest.split() if not w.startswith("--")]
            if not words:
                continue
            image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m[1], m[0]), words[0])
            if len(words) >= 3 and words[1].upper() == "AS":
                stages.add(words[2].lower())
            if image.lower() not in stages and image != "scratch" and image not in images:
                images.append(image)
    return images


def source_to_edit(app_dir: Path, answers: dict[str, Any]) -> Path | None:
    """The source file a developer's one-line change goes to: the entry file, else a first source file."""
    for word in answers.get("start_command") or []:
        if not isinstance(word, str):
            continue
        for candidate in (word, word.split(":")[0].replace(".", "/") + ".py"):
            path = app_dir / candidate
            if path.suffix in _COMMENT and path.is_file() and not path.is_symlink():
                return path
    wanted = {"python": {".py"}, "go": {".go"}, "rust": {".rs"}, "java": {".java", ".kt"}}.get(
        str(answers.get("kind")), {".ts", ".tsx", ".js", ".jsx", ".mjs"}
    )
    if answers.get("kind") == "rust" and (app_dir / "src" / "main.rs").is_file():
        return app_dir / "src" / "main.rs"
    found: list[tuple[int, str, Path]] = []
    for root, dirs, files in os.walk(app_dir):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_SOURCE and not d.startswith("."))
        for name in files:
            path = Path(root) / name
            low = name.lower()
            skip = any(w in low for w in ("config", "test", "spec", ".d.ts", "setup", "conftest"))
            if path.suffix in wanted and not skip and not path.is_symlink():
                depth = len(path.relative_to(app_dir).parts)
                found.append((depth, str(path), path))
    return min(found)[2] if found else None


def edit(path: Path) -> None:
    """Append one comment line, as a developer's one-line change."""
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"\n{_COMMENT[path.suffix]} dockgen corpus: a one-line change\n")


def copy_checkout(source: Path, destination: Path) -> None:
    """The checkout's files as a clean clone holds them (no .git; nothing installed is expected)."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(
        source, destination, symlinks=True, ignore=shutil.ignore_patterns(".git", "node_modules", ".venv")
    )


def checkout_head(checkout: Path) -> str | None:
    """The commit a checkout is at (None when git cannot say)."""
    result = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else None


class Standins:
    """Offline stand-ins of the base images (tests/standins/build.sh); a tag that failed is not retried."""

    def __init__(self, has: Callable[[str], bool], make: Callable[[str], str | None]) -> None:
        self._has = has
        self._make = make
        self.failed: dict[str, str] = {}  # tag -> why build.sh could not make it
        self.made: list[str] = []

    def missing(self, tags: list[str]) -> dict[str, str]:
        """Make the tags the engine lacks; those that cannot be made, with build.sh's reason."""
        out: dict[str, str] = {}
        for tag in tags:
            if tag in self.failed:
                out[tag] = self.failed[tag]
            elif not self._has(tag):
                problem = self._make(tag)
                if problem is None:
                    self.made.append(tag)
                else:
                    self.failed[tag] = out[tag] = problem
        return out


def standin_problem(line: str) -> str:
    """build.sh's last line without its `build.sh: [TAG] STEP:` prefix or the list of tags it knows."""
    line = re.sub(r"^(build\.sh: )?\[[^\]]*\] [^:]*: ", "", line.strip())
    return re.sub(r" \(node:<N>-trixie-slim, .*\)$", "", line)


@dataclass
class Options:
    """How `run` measures."""

    build_timeout: float = 900.0  # each `dockgen build`, the health wait included
    health_timeout: float = 120.0  # `dockgen build --timeout` on the cold build
    warm_health_timeout: float = 30.0  # the warm build is timed; its health wait is not the point
    init_only: bool = False
    keep_work: bool = False  # leave each app's scratch copy (with --work)


def run_app(
    app: App,
    checkouts: Path,
    work: Path,
    engine: Any,
    standins: Standins,
    options: Options,
    say: Callable[[str], None],
) -> Outcome:
    """Run dockgen's loop on one app; every failure becomes the outcome and its one-line reason."""
    result = Outcome(app)
    checkout = checkouts / app.folder
    if not checkout.is_dir():
        result.outcome, result.note = "no-checkout", f"no checkout {app.folder} in the checkouts folder"
        return result
    notes: list[str] = []
    result.checkout_commit = checkout_head(checkout)
    if result.checkout_commit != app.commit:
        at = (result.checkout_commit or "an unknown commit")[:12]
        notes.append(f"checkout at {at}, not {app.commit[:12]}")
        say(f"[{app.name}] warning: the checkout is at {at}, not at the recorded {app.commit[:12]}")
    source = checkout if app.workspace else checkout / app.path
    if not source.is_dir():
        result.outcome, result.note = "runner-error", f"no folder {app.path} in the checkout"
        return result
    root = work / app.slug
    copy_checkout(source, root)
    app_dir = root / app.path if app.workspace else root
    if (root / "Dockerfile").exists():
        notes.append("its own Dockerfile replaced (--force)")
    try:
        _loop(app, root, app_dir, engine, standins, options, result, notes, say)
    except Exception as error:  # a runner bug must not lose the other apps' hour of builds
        result.outcome, result.note = "runner-error", f"{type(error).__name__}: {error}"
        notes = []
    finally:
        if not options.keep_work:
            shutil.rmtree(root, ignore_errors=True)
    result.note = "; ".join([*notes, result.note] if result.note else notes)
    return result


def _loop(
    app: App,
    root: Path,
    app_dir: Path,
    engine: Any,
    standins: Standins,
    options: Options,
    result: Outcome,
    notes: list[str],
    say: Callable[[str], None],
) -> None:
    from dockgen.build import image_tag

    say(f"[{app.name}] dockgen init -y --no-build")
    init = ["init", str(root), "-y", "--no-build", "--force"]
    if app.workspace:
        init += ["--path", app.path]
    ran = dockgen(init, timeout=300)
    result.warnings = [line.strip()[len("warning: ") :] for line in _lines(ran) if "warning: " in line[:12]]
    if ran.code != 0 or ran.cut_off:
        result.outcome, result.note = "init-failed", ran.error()
        result.log = ran.stderr[-20:]
        return
    answers = yaml.safe_load((root / ".copier-answers.yml").read_text(encoding="utf-8")) or {}
    keys = ("kind", "package_manager", "runtime_version", "framework", "base", "start_command", "port")
    result.detected = {k: answers.get(k) for k in keys if k in answers}
    result.base_images = base_images((root / "Dockerfile").read_text(encoding="utf-8"))
    if options.init_only:
        result.outcome = "init-ok"
        return
    missing = standins.missing(result.base_images)
    if missing:
        result.missing_standins = sorted(missing)
        result.outcome = "no-standin"
        result.note = "; ".join(f"no stand-in for {tag} ({why})" for tag, why in missing.items())
        return
    tag = image_tag(root)
    engine.remove_image(tag)
    engine.prune_build_cache()
    say(f"[{app.name}] dockgen build --json (cold)")
    cold = dockgen(
        ["build", str(root), "--json", "--timeout", str(options.health_timeout)], options.build_timeout
    )
    result.cold_seconds = cold.built_seconds()
    report = cold.report()
    result.log = cold.stderr[-30:]
    if cold.cut_off:
        result.outcome = "time-limit"
        result.note = f"dockgen build cut off after {options.build_timeout:.0f}s"
    elif report is not None:
        result.health = report.get("health")
        result.seconds_to_healthy = report.get("seconds_to_healthy")
        result.size_bytes = report.get("size_bytes")
        gate = [line for line in cold.stderr if _GATE in line]
        if cold.code == 0:
            result.outcome = "pass"
        elif gate:
            result.outcome = "gate"
            result.gate_failed = _gate_checks(gate[-1].split(_GATE, 1)[1])
            result.note = "gate: " + gate[-1].split(_GATE, 1)[1]
        else:
            result.outcome, result.note = "runner-error", cold.error()
    elif result.cold_seconds is not None:
        result.outcome, result.note = "unhealthy", cold.error()
        result.note += _last_app_line(cold)
    elif cold.code == 1 and "build failed" in cold.error():
        result.outcome, result.note = "build-failed", cold.error() + _last_step_line(cold)
    else:
        result.outcome, result.note = "runner-error", cold.error()
    if result.cold_seconds is None:
        engine.remove_image(tag)
        return
    if result.size_bytes is None and engine.has_image(tag):
        result.size_bytes = engine.image_bytes(tag)
    source = source_to_edit(app_dir, answers)
    if source is None:
        notes.append("no source file to edit: no warm rebuild")
    else:
        result.edited = str(source.relative_to(root))
        edit(source)
        say(f"[{app.name}] dockgen build --json (warm, {result.edited} edited)")
        warm = dockgen(
            ["build", str(root), "--json", "--timeout", str(options.warm_health_timeout)],
            options.build_timeout,
        )
        result.warm_seconds = warm.built_seconds()
        warm_report = warm.report()
        if warm_report is not None:
            result.warm_deps_cached = warm_report.get("deps_cached")
        if result.warm_seconds is None:
            notes.append(f"warm rebuild failed: {warm.error()}")
    engine.remove_image(tag)


def _lines(run: Run) -> list[str]:
    return [*run.stdout.splitlines(), *run.stderr]


def _gate_checks(text: str) -> list[str]:
    """`name (detail), name (detail)` → the check names."""
    names = []
    depth = 0
    current = ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            names.append(current.strip())
            current = ""
            continue
        if depth == 0 and char not in "()":
            current += char
    names.append(current.strip())
    return [n for n in names if n]


def _section(run: Run, header: str) -> list[str]:
    """The indented lines dockgen printed under its last `--- <header>...` line."""
    starts = [n for n, line in enumerate(run.stderr) if line.startswith(f"--- {header}")]
    if not starts:
        return []
    said = []
    for line in run.stderr[starts[-1] + 1 :]:
        if not line.startswith("  "):
            break
        if line.strip():
            said.append(line.strip())
    return said


def _last_step_line(run: Run) -> str:
    """The failing step's last output line (dockgen prints it under `--- last output of`)."""
    said = _section(run, "last output of") or _section(run, "last build output")
    return f": {said[-1]}" if said else ""


def _last_app_line(run: Run) -> str:
    """The app's last log line, else the last health probe's, from what dockgen prints when unhealthy."""
    said = [line for line in _section(run, "last 40 lines of the container") if line != "(empty)"]
    if said:
        return f": {said[-1]}"
    probe = _section(run, "last health probe")
    return f": probe said {probe[-1]}" if probe else ""


def _places(work: Path, checkouts: Path, app: App) -> dict[str, str]:
    """This machine's paths, and the names a results file shows instead."""
    return {
        str(work / app.slug): "<app>",
        str(work): "<scratch>",
        str(checkouts): "<checkouts>",
        str(REPOSITORY): "<dockgen>",
    }


#: a URL's scheme and host: a build log names the registry it fetched from, which results must not
_URL_HOST = re.compile(r"\bhttps?://[A-Za-z0-9.:@-]+")


def scrub(value: Any, places: dict[str, str]) -> Any:
    """`value` (JSON data) with every string's machine paths and URL hosts replaced.

    Results are committed: they name neither this machine's folders nor the registries it used.
    """
    if isinstance(value, str):
        for path, name in places.items():
            value = value.replace(path, name)
        return _URL_HOST.sub("<url>", value)
    if isinstance(value, list):
        return [scrub(v, places) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, places) for k, v in value.items()}
    return value


# ---------------------------------------------------------------- the report


def _cell(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return (text if len(text) <= limit else text[: limit - 1] + "…").replace("|", "\\|")


def _number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def render(results: dict[str, Any]) -> str:
    """The Markdown report: how it ran, the summary, the table, and the stand-ins that were missing."""
    meta = results["meta"]
    apps = results["apps"]
    lines = [
        "# dockgen on real repositories",
        "",
        f"`python3 -m bench.corpus run CHECKOUTS_DIR`, last on {meta.get('date', '?')} with dockgen at "
        f"{meta.get('dockgen_commit', '?')} (each row names the commit it ran at: `--merge` runs add up); "
        f"{meta.get('machine', '?')}; engine {meta.get('engine', '?')}, "
        f"builder {meta.get('builder', '?')}. Each app: `dockgen init -y --no-build` (no `--set`), then "
        "`dockgen build --json` on an empty build cache (cold), then again after a one-line source "
        "edit (warm). **Base images are offline stand-ins** (`tests/standins/build.sh`); an image "
        "no stand-in exists for is reported, not built. The verdict is what a correct dockgen should "
        "reach (bench/corpus.toml), the result what it reached.",
        "",
        "## Summary",
        "",
        "| result | " + " | ".join(VERDICTS) + " | all |",
        "|---|" + "---:|" * (len(VERDICTS) + 1),
    ]
    counts = Counter((a["outcome"], a["verdict"]) for a in apps)
    for outcome, label in OUTCOMES.items():
        row = [counts[(outcome, v)] for v in VERDICTS]
        if sum(row):
            lines.append(f"| {label} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
    totals = [sum(1 for a in apps if a["verdict"] == v) for v in VERDICTS]
    lines.append("| **apps** | " + " | ".join(str(n) for n in totals) + f" | {len(apps)} |")
    lines += [
        "",
        "## Results",
        "",
        "| repo | framework | expected verdict | result | size MB | cold s | warm s | dockgen | note |",
        "|---|---|---|---|---:|---:|---:|---|---|",
    ]
    for a in apps:
        size = None if a.get("size_bytes") is None else a["size_bytes"] / 1e6
        lines.append(
            f"| {_cell(a['name'], 80)} | {_cell(a['framework'], 40)} | {a['verdict']} | "
            f"{OUTCOMES.get(a['outcome'], a['outcome'])} | {_number(size)} | "
            f"{_number(a.get('cold_seconds'), 1)} | {_number(a.get('warm_seconds'), 1)} | "
            f"{str(a.get('dockgen_commit') or meta.get('dockgen_commit', '?'))[:12]} | "
            f"{_cell(a.get('note') or '')} |"
        )
    missing = Counter(tag for a in apps for tag in a.get("missing_standins") or [])
    if missing:
        lines += ["", "## Base images with no stand-in", "", "| image | apps |", "|---|---:|"]
        lines += [f"| `{tag}` | {n} |" for tag, n in sorted(missing.items(), key=lambda t: (-t[1], t[0]))]
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], out: Path) -> None:
    """The Markdown report at `out` and the JSON beside it (same name, .json)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(results), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _machine() -> str:
    cpus = os.cpu_count() or 0
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {cpus} cores, {memory:.0f} GiB"


def _dockgen_commit() -> str:
    result = subprocess.run(
        ["git", "-C", str(REPOSITORY), "rev-parse", "--short=12", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "-C", str(REPOSITORY), "status", "--porcelain", "--", "generator", "template", "copier.yml"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    commit = result.stdout.strip() if result.returncode == 0 else "?"
    return f"{commit} (with local changes)" if dirty else commit


# ---------------------------------------------------------------- command line


def _cmd_list(apps: list[App], checkouts: Path | None) -> int:
    problems = 0
    for app in apps:
        state = ""
        if checkouts is not None:
            checkout = checkouts / app.folder
            head = checkout_head(checkout) if checkout.is_dir() else None
            if not checkout.is_dir():
                state, problems = "  (no checkout)", problems + 1
            elif head != app.commit:
                state, problems = f"  (checkout at {(head or '?')[:12]})", problems + 1
        mode = " --path" if app.workspace else ""
        print(f"{app.name:60} {app.commit[:12]} {app.ecosystem:7} {app.verdict:15}{mode}{state}")
    print(f"{len(apps)} apps, {len({a.repo for a in apps})} repositories")
    return 1 if problems else 0


def _cmd_run(apps: list[App], args: argparse.Namespace) -> int:
    from bench.engine import BenchError, Engine
    from bench.standins import ensure_standin

    def say(message: str) -> None:
        print(message, flush=True)

    checkouts = args.checkouts.resolve()
    engine: Any = None
    if not args.init_only:
        try:
            engine = Engine()
        except (BenchError, Exception) as error:
            print(f"bench.corpus: error: no Docker engine to build with: {error}", file=sys.stderr)
            return 3

    def make(tag: str) -> str | None:
        try:
            ensure_standin(engine, tag)
        except BenchError as error:
            return standin_problem(str(error).removeprefix(f"could not build the stand-in {tag}: "))
        return None

    standins = Standins(lambda tag: bool(engine and engine.has_image(tag)), make)
    options = Options(build_timeout=args.timeout, init_only=args.init_only, keep_work=args.work is not None)
    out: Path = args.out
    results: dict[str, Any] = {"meta": {}, "apps": []}
    if args.merge and out.with_suffix(".json").is_file():
        results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    version = engine.client.version() if engine else {}
    results["meta"] = {
        "date": datetime.date.today().isoformat(),
        "dockgen_commit": _dockgen_commit(),
        "machine": _machine(),
        "engine": version.get("Version", "?"),
        "builder": " ".join(Path(w).name if w.startswith("/") else w for w in engine.builder.label.split())
        if engine
        else "-",
        "build_timeout_seconds": args.timeout,
        "data": "bench/corpus.toml",
        "standins": True,
    }
    data = {a.name: a for a in load(args.data)}
    order = {name: n for n, name in enumerate(data)}
    for row in results["apps"]:  # a merged row is judged against today's verdict, not its run's
        if row["name"] in data:
            row["verdict"], row["reason"] = data[row["name"]].verdict, data[row["name"]].reason
    with tempfile.TemporaryDirectory(prefix="dockgen-corpus-") as scratch:
        work = (args.work or Path(scratch)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        for number, app in enumerate(apps, 1):
            say(f"== {number}/{len(apps)} {app.name}")
            started = time.monotonic()
            outcome = run_app(app, checkouts, work, engine, standins, options, say)
            say(
                f"[{app.name}] {OUTCOMES[outcome.outcome]} in {time.monotonic() - started:.0f}s"
                + (f": {outcome.note}" if outcome.note else "")
            )
            record = scrub(outcome.to_json(), _places(work, checkouts, app))
            record["dockgen_commit"] = results["meta"]["dockgen_commit"]  # rows of merged runs differ
            results["apps"] = [r for r in results["apps"] if r["name"] != app.name] + [record]
            results["apps"].sort(key=lambda r: order.get(r["name"], len(order)))
            write(results, out)  # after every app: an interrupted run keeps what it measured
    if standins.made or standins.failed:
        say(f"stand-ins made: {', '.join(standins.made) or 'none'}")
        for tag, why in standins.failed.items():
            say(f"stand-in missing: {tag}: {why}")
    say(f"results in {out} and {out.with_suffix('.json')}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`run` the corpus or `list` it; 0 when it ran (failures are results), 2 on a bad data file."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the data file (default bench/corpus.toml)")
    commands = parser.add_subparsers(dest="command", required=True)
    p_run = commands.add_parser("run", help="run dockgen's loop on the checkouts")
    p_run.add_argument("checkouts", type=Path, help="folder of checkouts named owner+name")
    p_run.add_argument(
        "--only", nargs="+", default=[], metavar="NAME", help="owner/name[:path], or owner+name"
    )
    p_run.add_argument("--out", type=Path, default=RESULTS, help="the Markdown table (JSON beside it)")
    p_run.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    p_run.add_argument("--timeout", type=float, default=900.0, help="seconds each build may take (900)")
    p_run.add_argument("--merge", action="store_true", help="replace these apps' rows in --out's results")
    p_run.add_argument(
        "--init-only", action="store_true", help="only dockgen init (and the base images it names)"
    )
    p_list = commands.add_parser("list", help="check the data file and the checkouts")
    p_list.add_argument("checkouts", type=Path, nargs="?", help="folder of checkouts named owner+name")
    args = parser.parse_args(argv)
    try:
        apps = load(args.data)
        if args.command == "list":
            return _cmd_list(apps, args.checkouts)
        if not args.checkouts.is_dir():
            parser.error(f"{args.checkouts}: not a folder")
        return _cmd_run(select(apps, args.only), args)
    except CorpusError as error:
        print(f"bench.corpus: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
