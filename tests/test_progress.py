"""Build progress: steps as they run; a spinner on a terminal."""

from __future__ import annotations

import io
import time

from dockgen.build._buildkit import StepLog
from dockgen.build._progress import BuildProgress
from test_buildkit import PLAIN


def test_plain_progress_lists_instruction_steps_not_internal_ones() -> None:
    out = io.StringIO()
    progress = BuildProgress(out, live=False)
    log = StepLog(progress)
    for line in PLAIN.splitlines():
        log.feed(line)
    progress.close()
    text = out.getvalue()
    assert "[prod-deps 2/2] RUN" in text and "cached" in text and "2.1s" in text
    assert "load build definition" not in text
    assert "\r" not in text  # no terminal control codes in CI logs


def test_live_progress_spins_while_a_step_runs() -> None:
    out = io.StringIO()
    progress = BuildProgress(out, live=True)
    log = StepLog(progress)
    log.feed("#7 [prod-deps 2/2] RUN npm ci")
    time.sleep(0.35)
    log.feed("#7 DONE 0.4s")
    progress.close()
    text = out.getvalue()
    assert "\r\x1b[K" in text and "s  [prod-deps 2/2] RUN npm ci" in text  # the running line with time
    assert "0.4s  [prod-deps 2/2] RUN npm ci\n" in text  # the finished step stays as a line
