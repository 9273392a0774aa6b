"""Results as JSON, a Markdown report, and a chart of image sizes (matplotlib)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bench.generators import GENERATORS

#: The targets of issues 6 and 16 (the tighter one where both set one), checked in the report
#: (never tuned to pass).
TARGETS = {
    "vs_naive_pure_js": 0.10,
    "vs_naive_native": 0.20,
    "vs_fly": 0.60,
    "image_over_floor": 1.05,
    "warm_over_cold": 0.15,
}
LABELS = {"dockgen": "dockgen", "naive": "naive (blog post)", "fly": "@flydotio/dockerfile"}


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value / 1e6:,.0f} MB"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def comparisons(app: dict[str, Any]) -> dict[str, Any]:
    """Dockgen's image over the naive and fly images, against the targets."""
    runs = app["generators"]
    ours = runs.get("dockgen", {}).get("image_bytes")
    out: dict[str, Any] = {}
    for other in ("naive", "fly"):
        theirs = runs.get(other, {}).get("image_bytes")
        if ours and theirs:
            out[f"vs_{other}"] = round(ours / theirs, 3)
    if "vs_naive" in out:
        target = TARGETS["vs_naive_native" if app.get("native_deps") else "vs_naive_pure_js"]
        out["vs_naive_target"] = target
        out["vs_naive_met"] = out["vs_naive"] <= target
    if "vs_fly" in out:
        out["vs_fly_target"] = TARGETS["vs_fly"]
        out["vs_fly_met"] = out["vs_fly"] <= TARGETS["vs_fly"]
    return out


def _cell(text: str, limit: int) -> str:
    """`text` shortened for a table cell, with Markdown's `|` escaped."""
    text = " ".join(text.split())
    return (text if len(text) <= limit else text[: limit - 1] + "…").replace("|", "\\|")


def _wasted(run: dict[str, Any]) -> str:
    wasted = (run.get("dive") or {}).get("wasted_bytes")
    return "–" if wasted is None else f"{wasted / 1e6:,.1f} MB"


def _answer(run: dict[str, Any]) -> str:
    if run.get("answers", True):
        return f"{run['seconds_to_answer_median']:.2f} s"
    return f"**never**: {_cell(run['answer_error'], 100)}"


def markdown(results: dict[str, Any]) -> str:
    """The report: the images table, the context table, the targets, the large repository."""
    meta = results["meta"]
    lines = [
        "# dockgen benchmark",
        "",
        f"Run on {meta['date']} on {meta['machine']}; Docker engine {meta['engine']}, built with "
        f"`{meta['builder']}`; {meta['reps']} repetitions, medians shown. Base images were offline "
        "stand-ins of the official images (no registry is reachable here; see bench/README.md).",
        "",
        "## Images",
        "",
        "| app | generator | image | image / floor | wasted (dive) | dockgen / this | cold build "
        "| warm rebuild | warm / cold | deps cached on a source edit | start → answering |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for app in results["apps"]:
        ours = app["generators"].get("dockgen", {}).get("image_bytes")
        for generator in GENERATORS:
            run = app["generators"].get(generator)
            if run is None:
                continue
            if "error" in run:
                failed = _cell(run["error"], 160)
                lines.append(f"| {app['app']} | {LABELS[generator]} | not built: {failed} |" + " – |" * 8)
                continue
            versus = "–" if generator == "dockgen" or not ours else _ratio(ours / run["image_bytes"])
            cached = "yes" if run["install_cached_on_source_change"] else "**no**"
            lines.append(
                f"| {app['app']} | {LABELS[generator]} | {_mb(run['image_bytes'])} "
                f"| {_ratio(run.get('image_over_floor'))} | {_wasted(run)} | {versus} "
                f"| {run['cold_build_median']:.1f} s "
                f"| {run['warm_build_median']:.1f} s | {_ratio(run['warm_over_cold'])} | {cached} "
                f"| {_answer(run)} |"
            )
    lines += [
        "",
        "The floor is what the app needs to run, counted in dockgen's image: the final stage's base "
        "image (none for distroless, which starts from scratch), what the runtime-only stages copy "
        "when that base has no runtime (node and the libraries it links; for distroless also glibc, "
        "libstdc++, the CA bundle and time zones), and the app's files and production dependencies "
        "(the bytes under /app, and /opt/venv for Python). "
        "Wasted bytes are dive's: files that a later layer overwrites, removes or duplicates.",
        "",
        "## Build context of a developer's checkout",
        "",
        "Dependencies installed (node_modules or .venv) and a .git present.",
        "",
        "| app | without .dockerignore | with dockgen's .dockerignore | sent |",
        "|---|---:|---:|---:|",
    ]
    for app in results["apps"]:
        context = app.get("context")
        if context:
            share = context["with_dockerignore_bytes"] / context["without_dockerignore_bytes"]
            lines.append(
                f"| {app['app']} | {context['without_dockerignore_bytes'] / 1e6:,.1f} MB "
                f"| {context['with_dockerignore_bytes'] / 1e6:,.2f} MB | {share:.1%} |"
            )
    lines += ["", "## Targets", ""]
    lines += [f"- {line}" for line in target_lines(results)]
    large = results.get("large_repo")
    if large:
        lines += ["", "## A large repository", "", _large_repo(large)]
    return "\n".join(lines) + "\n"


def target_lines(results: dict[str, Any]) -> list[str]:
    """One line per target and app: the number, the target, met or missed."""
    out = []
    for app in results["apps"]:
        c = comparisons(app)
        name = app["app"]
        if "vs_naive" in c:
            out.append(
                f"{name}: dockgen / naive = {c['vs_naive']:.3f} (target ≤ {c['vs_naive_target']:.2f}): "
                f"{'met' if c['vs_naive_met'] else '**missed**'}"
            )
        if "vs_fly" in c:
            both = all(app["generators"][g].get("answers") for g in ("dockgen", "fly"))
            out.append(
                f"{name}: dockgen / @flydotio/dockerfile = {c['vs_fly']:.3f} "
                f"(target ≤ {TARGETS['vs_fly']:.2f}): "
                f"{'met' if c['vs_fly_met'] else '**missed**'}"
                + ("" if both else " (not both images answered: see the table)")
            )
        ours = app["generators"].get("dockgen", {})
        if "image_over_floor" in ours:
            ok = ours["image_over_floor"] <= TARGETS["image_over_floor"]
            out.append(
                f"{name}: dockgen image / floor = {ours['image_over_floor']:.3f} "
                f"(target ≤ {TARGETS['image_over_floor']:.2f}): "
                f"{'met' if ok else '**missed**'}"
            )
        if "warm_over_cold" in ours:
            ok = ours["warm_over_cold"] <= TARGETS["warm_over_cold"]
            cached = (
                "dependency install cached"
                if ours["install_cached_on_source_change"]
                else "**install rebuilt**"
            )
            out.append(
                f"{name}: dockgen warm / cold = {ours['warm_over_cold']:.3f} "
                f"(target ≤ {TARGETS['warm_over_cold']:.2f}), {cached}: "
                f"{'met' if ok and ours['install_cached_on_source_change'] else '**missed**'}"
            )
        if "error" in ours:
            out.append(f"{name}: dockgen's image was not built: {_cell(ours['error'], 200)}")
    large = results.get("large_repo")
    if large:
        for command, data in large.get("commands", {}).items():
            out.append(
                f"large repository: `dockgen {command}` median {data['median']:.3f} s "
                f"(target < {data['target']} s): {'met' if data['pass'] else '**missed**'}"
            )
    return out


def _large_repo(large: dict[str, Any]) -> str:
    rows = ["| command | runs (s) | median | target |", "|---|---|---:|---:|"]
    for command, data in large.get("commands", {}).items():
        runs = ", ".join(f"{s:.3f}" for s in data["seconds"])
        rows.append(f"| `dockgen {command}` | {runs} | {data['median']:.3f} s | < {data['target']} s |")
    return f"{large.get('files', '?'):,} files, node_modules and .git included.\n\n" + "\n".join(rows)


def chart(results: dict[str, Any], path: Path) -> None:
    """A grouped bar chart: image size per app per generator."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    apps = [a for a in results["apps"] if any("image_bytes" in r for r in a["generators"].values())]
    width = 0.27
    figure, axes = plt.subplots(figsize=(max(6.0, 1.6 * len(apps) + 2), 4.2), dpi=120)
    colours = {"dockgen": "#2a9d8f", "naive": "#e76f51", "fly": "#8d99ae"}
    for index, generator in enumerate(GENERATORS):
        xs, heights, silent = [], [], []
        for position, app in enumerate(apps):
            run = app["generators"].get(generator, {})
            if "image_bytes" in run:
                xs.append(position + (index - 1) * width)
                heights.append(run["image_bytes"] / 1e6)
                silent.append(not run.get("answers", True))
        bars = axes.bar(xs, heights, width, label=LABELS[generator], color=colours[generator])
        for bar, never in zip(bars, silent, strict=True):
            if never:  # built, but the app never answered
                bar.set_hatch("///")
                bar.set_edgecolor("white")
        axes.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
    axes.set_xticks(range(len(apps)), [a["app"] for a in apps], rotation=20, ha="right", fontsize=8)
    axes.set_ylabel("image size (MB)")
    axes.set_title(
        f"Image size per app and generator ({results['meta']['date']}, offline stand-ins of the base images)",
        fontsize=9,
    )
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=colours[g], label=LABELS[g]) for g in GENERATORS]
    handles.append(Patch(facecolor="#8d99ae", hatch="///", edgecolor="white", label="never answered"))
    axes.legend(handles=handles, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def summary(results: dict[str, Any]) -> str:
    """A compact table for README: image sizes and ratios per app, and dockgen's rebuild."""
    rows = [
        "| app | dockgen | naive | @flydotio/dockerfile | dockgen / naive | dockgen / fly "
        "| dockgen warm / cold rebuild | dockgen deps cached |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]

    def size(run: dict[str, Any] | None) -> str:
        if run is None:
            return "n/a"
        if "image_bytes" not in run:
            return "not built"
        return _mb(run["image_bytes"]) + ("" if run.get("answers", True) else " (never answered)")

    for app in results["apps"]:
        runs = app["generators"]
        ours = runs.get("dockgen", {})
        c = comparisons(app)
        rebuild = _ratio(ours.get("warm_over_cold"))
        cached = (
            "–" if "image_bytes" not in ours else "yes" if ours["install_cached_on_source_change"] else "no"
        )
        rows.append(
            f"| {app['app']} | {size(ours)} | {size(runs.get('naive'))} | {size(runs.get('fly'))} "
            f"| {_ratio(c.get('vs_naive'))} | {_ratio(c.get('vs_fly'))} | {rebuild} | {cached} |"
        )
    return "\n".join(rows) + "\n"


def scrub(value: Any) -> Any:
    """`value` with every URL in its strings replaced: tool output quotes registry addresses."""
    if isinstance(value, str):
        return re.sub(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+", "<url>", value)
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


def write(results: dict[str, Any], out: Path) -> None:
    """results.json, results.md, summary.md and image-sizes.png in `out` (URLs scrubbed)."""
    results.update(scrub(results))
    out.mkdir(parents=True, exist_ok=True)
    for app in results["apps"]:
        app["comparisons"] = comparisons(app)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown(results))
    (out / "summary.md").write_text(summary(results))
    chart(results, out / "image-sizes.png")
