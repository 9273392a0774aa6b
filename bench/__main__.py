"""`python -m bench [APP_DIR ...]`: dockgen against the naive Dockerfile and @flydotio/dockerfile.

With no APP_DIR, the seven fixture apps of the published results (BENCH_FIXTURES). Needs a Docker engine
(tests/standins/engine.sh starts one) and, for the fly comparison, the npm registry.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import generators, measure, report
from bench.engine import BenchError, Engine

REPOSITORY = Path(__file__).resolve().parent.parent


#: The fixtures the published results compare: Node.js and Python servers, which the naive
#: Dockerfile and (for Node.js) @flydotio/dockerfile can build too. The other fixtures (Go, Rust,
#: Java, static sites, workspaces, servers beside the app) have no naive or fly counterpart here.
BENCH_FIXTURES = (
    "node-express-bcrypt",
    "node-fastify-pnpm",
    "node-nest-ts",
    "node-next-standalone",
    "python-django-poetry",
    "python-fastapi-pip",
    "python-flask-psycopg2",
)


def _fixtures() -> list[Path]:
    return [REPOSITORY / "tests" / "fixtures" / name / "app" for name in BENCH_FIXTURES]


def _machine() -> str:
    cpus = os.cpu_count() or 0
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {cpus} cores, {memory:.0f} GiB"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when it ran (missed targets are reported, not failures), 3 without an engine."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", type=Path, help="app folders (default: the fixture apps)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of every timing (median reported)")
    parser.add_argument(
        "--generators",
        default=",".join(generators.GENERATORS),
        help="comma-separated subset of dockgen,naive,fly",
    )
    parser.add_argument("--out", type=Path, default=REPOSITORY / "bench" / "results", help="where results go")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument(
        "--large-repo-files", type=int, default=50_000, help="0 skips the large-repository timing"
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="put this run's measurements into --out's results (e.g. --generators dockgen)",
    )
    parser.add_argument(
        "--large-repo-only",
        action="store_true",
        help="time the large repository only, into the existing results",
    )
    args = parser.parse_args(argv)
    which = tuple(g for g in args.generators.split(",") if g)
    unknown = set(which) - set(generators.GENERATORS)
    if unknown or "dockgen" not in which:
        parser.error(f"--generators: choose among {', '.join(generators.GENERATORS)}, dockgen included")
    apps = [p.resolve() for p in args.apps] or _fixtures()
    for app in apps:
        if not app.is_dir():
            parser.error(f"{app}: not a folder")

    def say(message: str) -> None:
        print(message, flush=True)

    try:
        engine = Engine()
    except (BenchError, Exception) as error:
        print(f"bench: error: no Docker engine to build with: {error}", file=sys.stderr)
        return 3
    version = engine.client.version()
    results: dict[str, Any] = {
        "meta": {
            "date": datetime.date.today().isoformat(),
            "machine": _machine(),
            "engine": version.get("Version", "?"),
            "builder": " ".join(
                Path(w).name if w.startswith("/") else w for w in engine.builder.label.split()
            ),
            "reps": args.reps,
            "fly_version": generators.FLY_VERSION,
            "standins": True,
        },
        "apps": [],
    }
    previous: dict[str, Any] | None = None
    if args.large_repo_only or args.merge:
        previous = json.loads((args.out / "results.json").read_text())
        results = previous  # new measurements replace those of the same app and generator
    if args.large_repo_only:
        apps = []
    with tempfile.TemporaryDirectory(prefix="dockgen-bench-") as scratch:
        work = args.work or Path(scratch)
        for app in apps:
            measured = measure.bench_app(engine, app, work, args.reps, which, say)
            if previous is not None:
                measure.merge(results, measured)
            else:
                results["apps"].append(measured)
            report.write(results, args.out)  # after every app: an interrupted run keeps what it measured
        if args.large_repo_files:
            from bench import large_repo

            say(f"large repository: {args.large_repo_files:,} files")
            root = work / "large-repo"
            large_repo.make_large_repo(root, args.large_repo_files)
            timed = large_repo.time_commands(root, reps=max(args.reps, 3))
            for command in timed["commands"].values():  # the scratch path is this machine's
                command["args"] = ["<large repo>" if a == str(root) else a for a in command["args"]]
            results["large_repo"] = timed
    report.write(results, args.out)
    say(f"results in {args.out}")
    for line in report.target_lines(results):
        say(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
