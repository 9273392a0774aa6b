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

    p_detect = commands.add_parser("detect", help="print what dockgen detects, and why")
    p_detect.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
    p_detect.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p_detect.add_argument(
        "--kind", choices=sorted(REGISTRY), help="which app to read when several share the folder"
    )
    return parser


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
    hint = f"DOCKER_BUILDKIT=1 docker build -t {image} . && docker run --rm -p {port}:{port} {image}"
    if args.no_build:
        print(f"Next: {hint}")
    else:
        print(f"Test build: not in this version yet (--no-build to silence); build it yourself: {hint}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run dockgen with `argv` (default: the process arguments) and return the exit code."""
    args = _parser().parse_args(argv)
    handlers = {"init": _cmd_init, "detect": _cmd_detect}
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
