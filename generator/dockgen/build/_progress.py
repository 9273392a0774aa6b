"""Build progress on the terminal: the steps as they run, a spinner while a long one works."""

from __future__ import annotations

import threading
import time
from typing import TextIO

from dockgen.build._buildkit import Step

__all__ = ["BuildProgress"]

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def _short(name: str, width: int = 100) -> str:
    name = " ".join(name.split())
    return name if len(name) <= width else name[: width - 1] + "…"


def _shown(step: Step) -> bool:
    """Instruction steps and the export; not BuildKit's internal bookkeeping."""
    return (step.name.startswith("[") and not step.name.startswith("[internal]")) or step.name.startswith(
        "exporting"
    )


class BuildProgress:
    """Receives step events from `StepLog` and prints them.

    On a terminal (`live`), finished steps are printed as lines and the running step is shown
    on a last line with a spinner and its elapsed time; otherwise every step start and end is
    printed as a plain line, which suits CI logs.
    """

    def __init__(self, stream: TextIO, *, live: bool) -> None:
        self.stream = stream
        #: cursor controls bypass an escaping stream (`_text.Printable`); step names do not
        self.raw: TextIO = getattr(stream, "raw", stream)
        self.live = live
        self._current: tuple[Step, float] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if live:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()

    def __call__(self, step: Step, event: str) -> None:
        """Handle one event of `StepLog` (start, cached, done, error, output)."""
        if not _shown(step) or event == "output":
            return
        with self._lock:
            self._clear()
            if event == "start":
                self._current = (step, time.monotonic())
                if not self.live:
                    print(f"  {_short(step.name)}", file=self.stream, flush=True)
                return
            if event == "cached":
                status = "cached"
            elif event == "done":
                status = f"{step.seconds:.1f}s" if step.seconds is not None else "done"
            else:
                status = "FAILED"
            if self.live:
                print(f"  {status:>7}  {_short(step.name)}", file=self.stream, flush=True)
            elif event != "done" or (step.seconds or 0) >= 1:
                print(f"    {status}", file=self.stream, flush=True)
            if self._current and self._current[0] is step:
                self._current = None

    def _clear(self) -> None:
        if self.live:
            self.raw.write("\r\x1b[K")

    def _spin(self) -> None:
        frame = 0
        while not self._stop.wait(0.1):
            with self._lock:
                if self._current is None:
                    continue
                step, started = self._current
                elapsed = time.monotonic() - started
                self.raw.write("\r\x1b[K")
                spinner = _SPINNER[frame % len(_SPINNER)]
                self.stream.write(f"  {spinner} {elapsed:5.1f}s  {_short(step.name, 90)}")
                self.stream.flush()
                frame += 1

    def close(self) -> None:
        """Stop the spinner and clear its line."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._clear()
            self.stream.flush()
