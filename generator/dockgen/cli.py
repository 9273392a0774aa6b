"""The `dockgen` command: flags in, library calls, errors out as one line and an exit code.

Each command imports what it needs when it runs: `dockgen detect` must not pay for copier,
questionary and docker (issue 6: under 0.3 s on a repository of 50,000 files).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from dockgen._text import Printable, printable
from dockgen.detectors import REGISTRY
from dockgen.errors import Cancelled, DockgenError

if TYPE_CHECKING:
    from dockgen.build import BuildReport
    from dockgen.detectors import Detection

__all__ = ["main"]


class _Version(argparse.Action):
    """`--version`, reading the version only when asked (importlib.metadata is slow to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        kwargs.setdefault("help", "show program's version number and exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from dockgen import __version__
        from dockgen._template import template_identity

        print(f"dockgen {__version__} (template {template_identity()})")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockgen",
        description="Detect a project's stack and write an optimized multi-stage Dockerfile.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_init = commands.add_parser("init", help="detect, ask, and write Dockerfile, .dockerignore and answers")
    p_init.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
    p_init.add_argument(
        "-y", "--defaults", action="store_true", help="take the detected answers without asking"
    )
    p_init.add_argument(
        "--path",
        metavar="DIR",
        dest="path_in_workspace",
        help="monorepo: the workspace app to build, e.g. apps/api (the build context stays the root)",
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
    p_init.add_argument("--diff", action="store_true", help="show what would change and write nothing")
    p_init.add_argument("--template", metavar="SRC", help="copier template source (git URL or local clone)")
    p_init.add_argument("--vcs-ref", metavar="REF", help="template version (git tag or commit) to render")
    _build_options(p_init)

    p_build = commands.add_parser(
        "build", help="build the Dockerfile, run the image, wait until it is healthy"
    )
    p_build.add_argument("path", nargs="?", default=".", help="project folder with a Dockerfile (default: .)")
    p_build.add_argument("--json", action="store_true", help="one JSON object on stdout (progress on stderr)")
    _build_options(p_build)

    p_update = commands.add_parser(
        "update", help="copier update to a newer template release, keeping your edits"
    )
    p_update.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
    p_update.add_argument(
        "--template", metavar="SRC", help="a clone or mirror standing in for the recorded source"
    )
    p_update.add_argument(
        "--vcs-ref", metavar="REF", help="template version to update to (default: the newest)"
    )
    p_update.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change an answer on the way (repeatable)",
    )

    p_check = commands.add_parser("check", help="CI drift check: files, project and template version")
    p_check.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
    p_check.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p_check.add_argument("--strict", action="store_true", help="a newer template release fails the check too")
    p_check.add_argument(
        "--template", metavar="SRC", help="a clone or mirror standing in for the recorded source"
    )

    p_detect = commands.add_parser("detect", help="print what dockgen detects, and why")
    p_detect.add_argument("path", nargs="?", default=".", help="project folder (default: .)")
    p_detect.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p_detect.add_argument(
        "--kind", choices=sorted(REGISTRY), help="which app to read when several share the folder"
    )
    p_detect.add_argument("--package-manager", metavar="NAME", help="which one, when lockfiles conflict")
    p_detect.add_argument(
        "--path",
        metavar="DIR",
        dest="path_in_workspace",
        help="monorepo: the workspace app to read, e.g. apps/api",
    )
    p_detect.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an answer that settles what the files leave open, as for init (e.g. go_main=./cmd/api)",
    )
    return parser


def _build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout", type=float, default=120.0, metavar="S", help="seconds to wait for healthy (default 120)"
    )
    parser.add_argument("--keep", action="store_true", help="leave the healthy test container running")
    parser.add_argument("--rm-image", action="store_true", help="remove the test image afterwards")
    parser.add_argument(
        "--no-services",
        action="store_true",
        help="run the app alone, without the servers of the compose.yaml dockgen wrote",
    )
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="id=NAME,src=FILE",
        help="a BuildKit secret for the build (repeatable): npmrc, yarnrc, netrc or ca",
    )


def _run_build(
    args: argparse.Namespace, path: str, err: TextIO, detection: Detection | None = None
) -> BuildReport:
    """The test build; `detection` (init's) names the servers the app uses, else it is detected."""
    from dockgen.build import build

    return build(
        path,
        timeout=args.timeout,
        keep=args.keep,
        remove_image=args.rm_image,
        secrets=args.secret,
        out=err,
        services=_services(path, detection),
        alone=args.no_services,
    )


def _services(path: str, detection: Detection | None = None) -> tuple[str, ...]:
    """The servers the app uses ("MySQL (mysql2)"), for the build's failure message; () if unknown."""
    from dockgen._project import Project
    from dockgen.detectors import detect
    from dockgen.errors import DockgenError

    try:
        found = (detection or detect(Project(path))).services
    except (DockgenError, OSError, RecursionError):
        return ()
    return tuple(f"{s.name} ({s.package})" for s in found)


def _cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dockgen._text import print_build_report

    report = _run_build(args, args.path, err)
    if args.json:
        print(json.dumps(report.to_json(), indent=2), file=out)
    else:
        print_build_report(report, out)
    return _gate(report, err)


def _gate(report: BuildReport, err: TextIO) -> int:
    failed = report.failed_checks()
    if failed:
        names = ", ".join(f"{c.name} ({c.detail})" for c in failed)
        print(f"dockgen: error: the image fails the security gate: {names}", file=err)
        return 1
    return 0


def _cmd_update(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dockgen._answers import parse_set
    from dockgen._update import update

    result = update(args.path, template=args.template, vcs_ref=args.vcs_ref, overrides=parse_set(args.set))
    if result.before == result.after and result.changed:
        print(
            f"Answers changed, template still {result.after}; review with `git diff`, then commit", file=out
        )
    elif result.before == result.after:
        print(f"Already at {result.after}: no newer release; nothing to update", file=out)
    else:
        print(f"Updated {result.before} -> {result.after}; review with `git diff`, then commit", file=out)
    return 0


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dockgen._check import check
    from dockgen._text import print_check

    result = check(args.path, template=args.template)
    failed = not result.clean or (args.strict and result.update_available)
    unknown = args.strict and not failed and result.lookup_skipped is not None
    if args.json:
        print(json.dumps({**result.to_json(), "failed": failed or unknown}, indent=2), file=out)
    else:
        print_check(result, out, strict=args.strict)
    # --strict promises "no newer release": when that could not be looked up, say so (exit 3)
    return 1 if failed else 3 if unknown else 0


def _cmd_detect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dockgen import detect
    from dockgen._answers import parse_set
    from dockgen._text import label, print_detection

    hints = parse_set(args.set)
    if args.path_in_workspace:
        hints["app_path"] = args.path_in_workspace
    detection = detect(args.path, kind=args.kind, package_manager=args.package_manager, hints=hints)
    if args.json:
        print(json.dumps(detection.to_json(), indent=2), file=out)
    else:
        print(f"{label(detection)} app in {args.path}:", file=out)
        print_detection(detection, out)
    return 0


def _cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dockgen._answers import parse_set
    from dockgen._init import init
    from dockgen._text import label, print_build_report, print_detection, print_recorded_differences
    from dockgen.build import image_tag
    from dockgen.wizard import QuestionaryPrompter

    overrides = parse_set(args.set)
    if args.path_in_workspace:
        overrides["app_path"] = args.path_in_workspace
    prompter = None
    if not args.defaults:
        if sys.stdin.isatty() and sys.stdout.isatty():
            prompter = QuestionaryPrompter()
        else:
            print(
                "dockgen: no terminal to ask on: taking the answers without asking (-y says so explicitly)",
                file=err,
            )
    result = init(
        args.path,
        overrides=overrides,
        prompter=prompter,
        force=args.force,
        template=args.template,
        vcs_ref=args.vcs_ref,
        diff=args.diff,
    )
    if prompter is None:  # the wizard showed its summary, warnings included
        print(f"{label(result.detection)} app in {args.path}:", file=out)
        print_detection(result.detection, out)
    for name, answer in result.answers.items():
        if answer.source == "--set":
            print(f"  set {name} = {json.dumps(answer.value)}", file=out)
    print_recorded_differences(result.recorded_differs, out)
    if result.diff is not None:
        print(result.diff or "No changes: the files already hold what dockgen would write", end="", file=out)
        return 0
    root = Path(args.path).resolve()
    written = [os.path.relpath(p, root) for p in result.written]
    if written:
        print("Wrote " + ", ".join(written), file=out)
    elif result.recorded_differs:
        print("Up to date with the recorded answers, not with the project (above): nothing written", file=out)
    else:
        print("Up to date: nothing to write", file=out)
    image = image_tag(root).split("/", 1)[1].split(":")[0]
    port = result.answers["port"].value
    if args.no_build:
        run = f"DOCKER_BUILDKIT=1 docker build -t {image} . && docker run --rm -p {port}:{port} {image}"
        if result.answers.get("compose") and result.answers["compose"].value:
            run = "set the variables compose.yaml lists in .env, then `docker compose up --build`"
        print(f"Next: {run}", file=out)
        return 0
    print("Test build (--no-build skips it):", file=out)
    try:
        report = _run_build(args, args.path, err, result.detection)
    except KeyboardInterrupt:
        kept = ", ".join(written) if written else "the files, which were already up to date"
        print(f"dockgen: interrupted during the test build; wrote and kept {kept}", file=err)
        return 130
    print_build_report(report, out)
    return _gate(report, err)


def main(argv: Sequence[str] | None = None) -> int:
    """Run dockgen with `argv` (default: the process arguments) and return the exit code."""
    args = _parser().parse_args(argv)
    if args.debug:  # notes such as the source files a scan skipped
        import logging

        logging.basicConfig(level=logging.DEBUG, format="dockgen: debug: %(message)s")
    handlers = {
        "init": _cmd_init,
        "build": _cmd_build,
        "update": _cmd_update,
        "check": _cmd_check,
        "detect": _cmd_detect,
    }
    # everything printed goes through `Printable`: repository text must not drive the terminal
    out, err = cast(TextIO, Printable(sys.stdout)), cast(TextIO, Printable(sys.stderr))
    try:
        return handlers[args.command](args, out, err)
    except DockgenError as error:
        if args.debug:
            traceback.print_exc()
        print(f"dockgen: error: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt as stop:
        # init writes all or nothing (an interrupt rolls back); an interrupt in its test build is
        # answered above, with the files it wrote
        what = "cancelled" if isinstance(stop, Cancelled) else "interrupted"
        print(f"dockgen: {what}; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`dockgen detect | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:  # a bug: say so in one line, the traceback only with --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"dockgen: internal error: {type(error).__name__}: {printable(str(error))} (--debug shows more)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
