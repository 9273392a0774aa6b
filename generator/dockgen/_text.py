"""What the CLI prints for people: detections, build reports and check results."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from dockgen import _answers
from dockgen.detectors import REGISTRY, Detection

if TYPE_CHECKING:  # types only: `dockgen detect` prints without importing docker or copier
    from dockgen._check import CheckResult
    from dockgen.build import BuildReport

#: Commands: typed as a shell line, shown and written as the exec form. They run in the build or as
#: the app: never taken from a committed answers file without the user seeing them, and confirmed
#: in the wizard when detection disagrees.
COMMANDS = ("build_command", "start_command")

__all__ = [
    "COMMANDS",
    "Printable",
    "display",
    "label",
    "print_build_report",
    "print_check",
    "print_detection",
    "print_recorded_differences",
    "printable",
    "row",
]


def printable(text: str, *, keep: str = "") -> str:
    """`text` with control and other unprintable characters shown as escapes (ESC as backslash-x1b).

    Repository text (names, scripts, reasons, diffs of committed files) reaches the terminal in
    almost everything dockgen prints; an escape sequence in it must not set the title, clear the
    screen or hide earlier warnings. Characters in `keep` (such as a line break) pass through.
    """
    if text.isprintable() or all(c.isprintable() or c in keep for c in text):
        return text
    return "".join(c if c.isprintable() or c in keep else ascii(c)[1:-1] for c in text)


class Printable:
    """A text stream that writes through `printable` (line breaks kept); `raw` is the stream itself.

    The CLI prints everything through one of these; only the build's spinner writes its own
    cursor controls to `raw`.
    """

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        """Write `text` with its control characters escaped."""
        return self.raw.write(printable(text, keep="\n"))

    def flush(self) -> None:
        """Flush the underlying stream."""
        self.raw.flush()

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        return self.raw.isatty()

    def fileno(self) -> int:
        """The underlying stream's file descriptor."""
        return self.raw.fileno()


def _mb(size: int | None) -> str:
    if size is None:
        return "-"
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"


def print_build_report(report: BuildReport, out: TextIO) -> None:
    """The build report as a table."""
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
    for server in report.servers:
        took = f" in {server.seconds_to_healthy:.1f}s" if server.seconds_to_healthy is not None else ""
        rows.append(("beside it", f"{server.name} ({server.image}): {server.health}{took}"))
    if report.url:
        rows.append(("running at", report.url))
    for name, value in rows:
        print(f"  {name:<12} {value}", file=out)
    if report.security:
        print("  security gate:", file=out)
        failed = {c.name: c for c in report.failed_checks()}
        for check in report.security:
            if check.name in failed:  # failed, or required and could not run
                mark, detail = "FAIL", failed.pop(check.name).detail
            else:
                mark, detail = {True: "ok", False: "note", None: "skip"}[check.ok], check.detail
            print(f"    {mark:<5} {check.name}: {detail}", file=out)
        for check in failed.values():  # required checks that never ran
            print(f"    FAIL  {check.name}: {check.detail}", file=out)
    print("  largest added layers:", file=out)
    layers = [layer for layer in report.added_layers() if layer.size_bytes > 0]
    for layer in sorted(layers, key=lambda layer: -layer.size_bytes)[:5]:
        command = layer.created_by.replace("/bin/sh -c #(nop) ", "").removesuffix(" # buildkit")
        command = " ".join(command.split())
        print(f"    {_mb(layer.size_bytes):>10}  {command[:90]}", file=out)


def display(name: str, value: Any) -> str:
    """An answer's value as the tables show it: commands and variables as JSON lists."""
    if name in COMMANDS or name == "start_env":
        return json.dumps(value) if value else "-"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "-"
    return "-" if value in ("", None) else str(value)


def row(label: str, value: str, reason: str | None = None, *, guessed: bool = False) -> str:
    """One line of the settings table (`dockgen detect`, the wizard's summary); `?` marks a guess."""
    return f" {'?' if guessed else ' '}{label:<20} {value:<26} {reason or ''}".rstrip()


def print_detection(detection: Detection, out: TextIO) -> None:
    """What was detected, one answer a line in copier.yml's order, each with its reason.

    The main settings always, the others where they hold something; assumed answers marked `?`.
    """
    for question in _answers.load_questions():
        name, answer = question.name, detection.answers.get(question.name)
        if answer is None or name in ("kind", "native_deps"):
            continue
        if name not in _answers.MAIN and answer.value in ("", [], None, False):
            continue
        shown = _answers.MAIN.get(name) or name.replace("_", " ")
        print(row(shown, display(name, answer.value), answer.reason, guessed=not answer.found), file=out)
    for dep in detection.native_deps:
        print(row("native dependency", dep.name, dep.reason), file=out)
    for service in detection.services:
        print(row("service", service.name, f"{service.package} in the dependencies"), file=out)
    for warning in detection.warnings:
        print(f"  warning: {warning}", file=out)


def print_recorded_differences(differs: Mapping[str, tuple[Any, Any]], out: TextIO) -> None:
    """Recorded answers used although detection suggests otherwise: never used unseen.

    The answers file is repository content; whoever can commit can change it.
    """
    if not differs:
        return
    print("Recorded in .copier-answers.yml and used, although the project's files say otherwise:", file=out)
    for name, (recorded, detected) in differs.items():
        print(f"  {name:<16} {json.dumps(recorded)}   (detected: {json.dumps(detected)})", file=out)
    sets = " ".join(
        f"--set '{name}={detected if isinstance(detected, str) else json.dumps(detected)}'"
        for name, (_, detected) in differs.items()
    )
    print(
        f"  To apply what the project says, keeping your edits: dockgen update {printable(sets)}\n"
        "  (the answers file is part of the repository: anyone who can commit can change it)",
        file=out,
    )


def label(detection: Detection) -> str:
    """The ecosystem's name for people ("Node.js")."""
    return REGISTRY[detection.kind].LABEL


def print_check(result: CheckResult, out: TextIO, *, strict: bool) -> None:
    """Diffs, findings and a one-line summary of `dockgen check`."""
    for drift in result.files:
        print(drift.diff, end="" if drift.diff.endswith("\n") else "\n", file=out)
    for finding in result.findings:
        print(f"project drift: {finding.message}", file=out)
    stale = result.update_available
    if stale:
        print(
            f"template: {result.latest} is out (recorded {result.version}); `dockgen update` upgrades",
            file=out,
        )
    elif result.lookup_skipped is not None:
        print(
            f"template: the check for a newer release was skipped: {printable(result.lookup_skipped)}",
            file=out,
        )
    parts = []
    if result.files:
        names = ", ".join(f.path for f in result.files)
        parts.append(f"{len(result.files)} file(s) differ from the template ({names})")
    if result.findings:
        names = ", ".join(f.answer for f in result.findings)
        parts.append(f"{len(result.findings)} answer(s) out of date ({names})")
    if strict and stale:
        parts.append("a newer template release exists (--strict)")
    elif strict and result.lookup_skipped is not None and not parts:
        parts.append("no newer release could be looked up (--strict, exit 3)")
    print(f"dockgen check: {'; '.join(parts) if parts else f'clean (template {result.version})'}", file=out)
