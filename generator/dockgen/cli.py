"""The `dockgen` command: flags in, library calls, errors out as one line and an exit code."""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from dockgen import __version__, detect, init
from dockgen._answers import parse_set
from dockgen._build import BuildReport, build
from dockgen.detectors import REGISTRY, Detection
from dockgen.errors import DockgenError
from dockgen.wizard import QuestionaryPrompter

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockgen",
        description="Detect a project's stack and write an optimized multi-stage Dockerfile.",
    )
    parser.add_argument("--version", action="version", version=f"dockgen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_init = commands.add_parser("init", help="detect, ask, and write Dockerfile, .dockerignore and answers")
    p_init.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
    p_init.add_argument(
        "-y", "--defaults", action="store_true", help="take the detected answers without asking"
    )
    p_init.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="fix an answer (repeatable), e.g. --set base=slim",
    )
    p_init.add_argument("--no-build", action="store_true", help="do not test-build the image afterwards")
    p_init.add_argument("--force", action="store_true", help="overwrite an existing Dockerfile/.dockerignore")
    p_init.add_argument("--template", metavar="SRC", help="copier template source (git URL or local clone)")
    p_init.add_argument("--vcs-ref", metavar="REF", help="template version (git tag or commit) to render")
    _build_options(p_init)

    p_build = commands.add_parser(
        "build", help="build the Dockerfile, run the image, wait until it is healthy"
    )
    p_build.add_argument("path", nargs="?", default=".", help="project folder with a Dockerfile (default: .)")
    p_build.add_argument("--json", action="store_true", help="one JSON object on stdout (progress on stderr)")
    _build_options(p_build)

    p_detect = commands.add_parser("detect", help="print what dockgen detects, and why")
    p_detect.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
    p_detect.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p_detect.add_argument(
        "--kind", choices=sorted(REGISTRY), help="which app to read when several share the folder"
    )
    return parser


def _build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout", type=float, default=120.0, metavar="S", help="seconds to wait for healthy (default 120)"
    )
    parser.add_argument("--keep", action="store_true", help="leave the healthy test container running")
    parser.add_argument("--rm-image", action="store_true", help="remove the test image afterwards")


def _mb(size: int | None) -> str:
    if size is None:
        return "-"
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"


def _print_report(report: BuildReport, out: TextIO) -> None:
    base = report.base_size_bytes
    added = f" (base {_mb(base)} + {_mb(report.size_bytes - base)} added)" if base else ""
    cached = {True: "yes", False: "no (installed)", None: "-"}[report.deps_cached]
    healthy = (
        f"{report.health} in {report.seconds_to_healthy:.1f}s" if report.seconds_to_healthy else report.health
    )
    rows = [
        ("image", report.image),
        ("size", _mb(report.size_bytes) + added),
        ("base image", report.base_image or "-"),
        ("build time", f"{report.build_seconds:.1f}s ({report.builder})"),
        ("deps cached", cached),
        ("health", healthy),
        ("runs as", report.user),
    ]
    if report.url:
        rows.append(("running at", report.url))
    for label, value in rows:
        print(f"  {label:<12} {value}", file=out)
    print("  largest added layers:", file=out)
    layers = [layer for layer in report.added_layers() if layer.size_bytes > 0]
    for layer in sorted(layers, key=lambda layer: -layer.size_bytes)[:5]:
        command = layer.created_by.replace("/bin/sh -c #(nop) ", "").removesuffix(" # buildkit")
        command = " ".join(command.split())
        print(f"    {_mb(layer.size_bytes):>10}  {command[:90]}", file=out)


def _print_detection(detection: Detection, out: TextIO) -> None:
    d = detection.to_json()
    reasons = detection.reasons
    version = f" {d['package_manager_version']}" if d["package_manager_version"] else ""
    rows = [
        ("package manager", d["package_manager"] + version, "package_manager"),
        ("runtime version", d["runtime_version"], "runtime_version"),
        ("framework", d["framework"] or "-", "framework"),
        ("build command", json.dumps(d["build_command"]) if d["build_command"] else "-", "build_command"),
        ("start command", json.dumps(d["start_command"]), "start_command"),
        ("port", str(d["port"]), "port"),
        ("health path", d["health_path"] or "/", "health_path"),
        ("base image", d["base"], "base_reason"),
    ]
    for label, value, key in rows:
        why = d["base_reason"] if key == "base_reason" else reasons.get(key)
        print(f"  {label:<16} {value:<26} {why or ''}".rstrip(), file=out)
    for dep in detection.native_deps:
        print(f"  {'native dep':<16} {dep.name:<26} {dep.reason}", file=out)
    for warning in detection.warnings:
        print(f"  warning: {warning}", file=out)


def _label(detection: Detection) -> str:
    return REGISTRY[detection.kind].LABEL


def _run_build(args: argparse.Namespace, path: str) -> BuildReport:
    return build(path, timeout=args.timeout, keep=args.keep, remove_image=args.rm_image)


def _cmd_build(args: argparse.Namespace) -> int:
    report = _run_build(args, args.path)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        _print_report(report, sys.stdout)
    return 0


def _cmd_detect(args: argparse.Namespace) -> int:
    detection = detect(args.path, kind=args.kind)
    if args.json:
        print(json.dumps(detection.to_json(), indent=2))
    else:
        print(f"{_label(detection)} app in {args.path}:")
        _print_detection(detection, sys.stdout)
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    overrides = parse_set(args.set)
    prompter = None
    if not args.defaults:
        if sys.stdin.isatty() and sys.stdout.isatty():
            prompter = QuestionaryPrompter()
        else:
            print(
                "dockgen: no terminal to ask on: using the detected answers (-y says so explicitly)",
                file=sys.stderr,
            )
    result = init(
        args.path,
        overrides=overrides,
        prompter=prompter,
        force=args.force,
        template=args.template,
        vcs_ref=args.vcs_ref,
    )
    if prompter is None:
        print(f"{_label(result.detection)} app in {args.path}:")
        _print_detection(result.detection, sys.stdout)
    else:
        for warning in result.detection.warnings:
            print(f"  warning: {warning}")
    for name, answer in result.answers.items():
        if answer.source == "--set":
            print(f"  set {name} = {json.dumps(answer.value)}")
    print("Wrote " + ", ".join(p.name for p in result.written))
    image = re.sub(r"[^a-z0-9._-]+", "-", result.written[0].parent.name.lower()).strip("-.") or "app"
    port = result.answers["port"].value
    if args.no_build:
        print(
            f"Next: DOCKER_BUILDKIT=1 docker build -t {image} . && docker run --rm -p {port}:{port} {image}"
        )
        return 0
    print("Test build (--no-build skips it):")
    _print_report(_run_build(args, args.path), sys.stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run dockgen with `argv` (default: the process arguments) and return the exit code."""
    args = _parser().parse_args(argv)
    handlers = {"init": _cmd_init, "build": _cmd_build, "detect": _cmd_detect}
    try:
        return handlers[args.command](args)
    except DockgenError as error:
        if args.debug:
            traceback.print_exc()
        print(f"dockgen: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("dockgen: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: say so in one line, the traceback only with --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"dockgen: internal error: {type(error).__name__}: {error} (--debug shows more)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
