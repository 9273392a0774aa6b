"""One app through the three generators: sizes, the floor, cold and warm builds, context, time to answer."""

from __future__ import annotations

import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import generators
from bench.engine import BenchError, Engine, context_bytes, dive
from bench.generators import App
from dockgen.build import Dockerfile

#: Files a checkout can hold that the apps never need (fixtures keep goldens beside the app).
GENERATED = (".copier-answers.yml", "Dockerfile", ".dockerignore")


def median(values: list[float]) -> float | None:
    """The median, rounded to milliseconds (None for no values)."""
    return round(statistics.median(values), 3) if values else None


def copy_app(source: Path, destination: Path) -> Path:
    """A fresh copy of the app, as a clean checkout holds it (nothing installed, nothing generated)."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(
        source,
        destination,
        symlinks=True,
        ignore=shutil.ignore_patterns("node_modules", ".venv", ".git", "__pycache__", *GENERATED),
    )
    return destination


def bench_app(
    engine: Engine,
    source: Path,
    work: Path,
    reps: int,
    which: tuple[str, ...],
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Every measurement of one app; failures are recorded per generator, never raised."""
    name = source.name if source.name != "app" else source.parent.name
    root = work / name
    say(f"[{name}] dockgen init")
    app_dir = copy_app(source, root / "dockgen")
    app = generators.dockgen(app_dir, engine)
    app = App(name, app.answers)
    result: dict[str, Any] = {
        "app": name,
        "kind": app.kind,
        "package_manager": app.answers.get("package_manager"),
        "framework": app.answers.get("framework") or None,
        "native_deps": [
            d.get("name", d) if isinstance(d, dict) else d for d in app.answers.get("native_deps") or []
        ],
        "base": app.answers.get("base"),
        "generators": {},
    }
    for generator in which:
        if generator == "fly" and app.kind != "node":
            continue  # @flydotio/dockerfile generates for Node.js apps only
        say(f"[{name}] {generator}")
        try:
            result["generators"][generator] = _bench_generator(
                engine, source, root, app, generator, reps, say
            )
        except BenchError as error:
            result["generators"][generator] = {"error": str(error)}
            say(f"[{name}] {generator}: {error}")
        except Exception as error:  # a bench bug must not lose the other apps' hour of builds
            result["generators"][generator] = {"error": f"bench error: {type(error).__name__}: {error}"}
            say(f"[{name}] {generator}: bench error: {type(error).__name__}: {error}")
    dockgen_result = result["generators"].get("dockgen", {})
    if "error" not in dockgen_result and "dockgen" in which:
        tag = _tag(name, "dockgen")
        try:
            result["floor"] = _floor(engine, root / "dockgen", tag, app)
            result["context"] = _context(engine, source, root, app, tag, say)
        except Exception as error:
            result["floor_error"] = f"{type(error).__name__}: {error}"
        for data in result["generators"].values():
            if "image_bytes" in data and result.get("floor"):
                data["image_over_floor"] = round(data["image_bytes"] / result["floor"]["bytes"], 3)
    return result


def _tag(app: str, generator: str) -> str:
    return f"dockgen-bench/{app}-{generator}:latest"


def _bench_generator(
    engine: Engine, source: Path, root: Path, app: App, generator: str, reps: int, say: Callable[[str], None]
) -> dict[str, Any]:
    workdir = root / generator
    if generator != "dockgen":
        copy_app(source, workdir)
        {"naive": generators.naive, "fly": generators.fly}[generator](workdir, app, engine)
    tag = _tag(app.name, generator)
    dockerfile = workdir / "Dockerfile"
    cold: list[float] = []
    for _ in range(reps):
        engine.remove_image(tag)
        engine.prune_build_cache()
        cold.append(engine.build(workdir, dockerfile, tag).seconds)
    say(f"[{app.name}] {generator}: cold build {median(cold)}s")
    size = engine.image_bytes(tag)
    layers = dive(tag)
    warm: list[float] = []
    cached: list[bool | None] = []
    for number in range(reps):
        generators.edit_source(workdir, app, number)
        build = engine.build(workdir, dockerfile, tag)
        warm.append(build.seconds)
        cached.append(build.install_cached)
    answer: list[float] = []
    problem = None
    try:
        answer = [engine.seconds_to_answer(tag, app.port, app.health_path) for _ in range(reps)]
    except BenchError as error:  # the image was built: its sizes and times still count, flagged
        problem = str(error)
    say(f"[{app.name}] {generator}: {size / 1e6:.0f} MB, warm {median(warm)}s, answers in {median(answer)}s")
    return {
        "answers": problem is None,
        "answer_error": problem,
        "image_bytes": size,
        "dive": layers,
        "cold_build_seconds": cold,
        "cold_build_median": median(cold),
        "warm_build_seconds": warm,
        "warm_build_median": median(warm),
        "warm_over_cold": round(statistics.median(warm) / statistics.median(cold), 3),
        "install_cached_on_source_change": all(c is True for c in cached),
        "install_steps": list(build.install_steps),
        "seconds_to_answer": answer,
        "seconds_to_answer_median": median(answer),
    }


def _floor(engine: Engine, workdir: Path, tag: str, app: App) -> dict[str, Any]:
    """What the app needs to run, counted in dockgen's image.

    The final stage's base image (none for distroless's scratch), the language runtime when that
    base lacks it: what the `node-binary` stage collects (node and the libraries it links) and,
    for distroless, what the `rootfs` stage collects (glibc, libstdc++, CA bundle, time zones);
    then the app's files and production dependencies.
    """
    dockerfile = workdir / "Dockerfile"
    base = Dockerfile.parse(dockerfile.read_text()).base_image()
    if not base:
        raise BenchError("no base image in dockgen's Dockerfile")
    base_bytes = 0 if base == "scratch" else engine.image_bytes(base)
    runtime_bytes = 0
    if not base.startswith(f"{app.kind}:"):
        for stage in ("node-binary", "rootfs"):
            if stage not in _stages(dockerfile):
                continue
            stage_tag = f"{tag.rsplit(':', 1)[0]}:{stage}"
            engine.build(workdir, dockerfile, stage_tag, target=stage)
            try:
                runtime_bytes += engine.bytes_under(stage_tag, ["/out"])
            finally:
                engine.remove_image(stage_tag)
    app_bytes = engine.bytes_under(tag, ["/app", "/opt/venv"])
    return {
        "base_image": base,
        "base_bytes": base_bytes,
        "runtime_bytes": runtime_bytes,
        "app_bytes": app_bytes,
        "bytes": base_bytes + runtime_bytes + app_bytes,
    }


def _context(
    engine: Engine, source: Path, root: Path, app: App, tag: str, say: Callable[[str], None]
) -> dict[str, Any]:
    """Context bytes of a developer's checkout (deps installed, a .git), with and without .dockerignore."""
    checkout = copy_app(source, root / "checkout")
    shutil.copy2(root / "dockgen" / ".dockerignore", checkout / ".dockerignore")
    stages = _stages(root / "dockgen" / "Dockerfile")
    target = "build" if "build" in stages else "prod-deps" if "prod-deps" in stages else None
    if target is None:
        raise BenchError("dockgen's Dockerfile has no stage holding all dependencies")
    stage_tag = f"{tag.rsplit(':', 1)[0]}:{target}"
    engine.build(root / "dockgen", root / "dockgen" / "Dockerfile", stage_tag, target=target)
    inside, outside = ("/app/node_modules", "node_modules") if app.kind == "node" else ("/opt/venv", ".venv")
    engine.export(stage_tag, inside, checkout / outside)
    engine.remove_image(stage_tag)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@invalid", "-C", str(checkout)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "checkout"], check=True)
    without = context_bytes(checkout, dockerignore=False)
    with_ignore = context_bytes(checkout, dockerignore=True)
    say(f"[{app.name}] context {without / 1e6:.1f} MB without .dockerignore, {with_ignore / 1e6:.2f} MB with")
    return {
        "with_dockerignore_bytes": with_ignore,
        "without_dockerignore_bytes": without,
        "installed": outside,
    }


def _stages(dockerfile: Path) -> list[str]:
    names = []
    for keyword, rest in Dockerfile.parse(dockerfile.read_text()).instructions:
        words = rest.split()
        if keyword == "FROM" and len(words) >= 3 and words[-2].upper() == "AS":
            names.append(words[-1].lower())
    return names


def merge(results: dict[str, Any], measured: dict[str, Any]) -> None:
    """Put one app's new measurements into earlier results: its generators, floor and context."""
    for app in results["apps"]:
        if app["app"] == measured["app"]:
            app["generators"].update(measured["generators"])
            for key in ("floor", "context", "floor_error"):
                if key in measured:
                    app[key] = measured[key]
            floor = (app.get("floor") or {}).get("bytes")
            for data in app["generators"].values():
                if "image_bytes" in data and floor:
                    data["image_over_floor"] = round(data["image_bytes"] / floor, 3)
            return
    results["apps"].append(measured)
