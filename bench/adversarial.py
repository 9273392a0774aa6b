"""Detection time on hostile repositories at 1x, 2x and 4x size: every detector must stay linear.

Each case of `bench.hostile` (a long whitespace run where a pattern allowed spaces, a YAML block
without the key a pattern looked for, unterminated comments, lockfiles of a large monorepo...) is
written at a quarter, half and all of its largest size, just under the read cap that applies to
it. Detection runs in a fresh interpreter for each measurement, so a run that hangs is cut off by
--timeout and the peak memory is that run's own; its imports are not timed.

Linear code takes twice as long at twice the size; quadratic code four times. A case is flagged
when its largest size takes more than --flag times its smallest (linear: 4, quadratic: 16; runs
under a noise floor do not count), when a run times out or when it crashes. Not part of the test
suite: tests/detectors/test_adversarial.py is the hang guard.

    python -m bench.adversarial [--cases NAME,...] [--scale F] [--reps N] [--timeout S] [--json FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.hostile import Case

__all__ = ["main", "measure", "run_case"]

#: The sizes of each case, as fractions of its largest size.
STEPS = (0.25, 0.5, 1.0)
#: Runs shorter than this are noise to a ratio: a case whose largest size stays under it is fast.
NOISE_SECONDS = 0.05


def _child(root: str) -> None:
    """Detect the app at `root` in this interpreter; print seconds, outcome and peak RSS as JSON."""
    from dockgen._project import Project
    from dockgen.detectors import detect
    from dockgen.errors import DockgenError

    start = time.perf_counter()
    try:
        outcome = detect(Project(root)).kind
    except DockgenError as error:
        outcome = f"error: {str(error)[:100]}"
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "outcome": outcome, "peak_mib": round(_peak_mib(), 1)}))


def _peak_mib() -> float:
    """This process's peak resident memory, in MiB.

    Linux's VmHWM counts this program only; ru_maxrss would also count the parent's memory at the
    fork that started it (the parent holds the generated inputs).
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def measure(root: Path, timeout: float) -> dict[str, Any]:
    """One detection of the app at `root` in a fresh interpreter; `seconds` is None after a timeout."""
    command = [sys.executable, "-m", "bench.adversarial", "--child", str(root)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "outcome": f"timeout after {timeout:g}s", "peak_mib": None}
    if run.returncode != 0:
        return {"seconds": None, "outcome": f"crash: {run.stderr.strip()[-200:]}", "peak_mib": None}
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def run_case(case: Case, *, scale: float, reps: int, timeout: float, flag: float) -> dict[str, Any]:
    """Time `case` at each step of its size: the fastest of `reps` runs (one when a run takes 1 s+)."""
    rows = []
    for step in STEPS:
        size = max(64, int(case.cap * step * scale))
        with tempfile.TemporaryDirectory(prefix="dockgen-adversarial-") as tmp:
            root = Path(tmp) / "app"
            root.mkdir()
            case.write(root, size)
            grown = next((p for p in root.rglob(Path(case.grows).name) if p.is_file()), None)
            best: dict[str, Any] | None = None
            for _ in range(reps):
                result = measure(root, timeout)
                if best is None or (result["seconds"] or 0) < (best["seconds"] or 0):
                    best = result
                if result["seconds"] is None or result["seconds"] > 1:
                    break
            assert best is not None
            rows.append({"bytes": grown.stat().st_size if grown else size, **best})
        if best["seconds"] is None:
            break  # a timeout at this size: larger ones only take longer
    times = [r["seconds"] for r in rows]
    ratios = [b / a if a and b else None for a, b in itertools.pairwise(times)]
    if any(r["outcome"].startswith("crash") for r in rows):
        verdict = "CRASH"
    elif any(t is None for t in times):
        verdict = "TIMEOUT"
    elif times[-1] < NOISE_SECONDS:
        verdict = "fast"
    elif times[-1] / max(times[0], NOISE_SECONDS / 5) > flag:  # across the whole range: less noise
        verdict = "SUPER-LINEAR"
    else:
        verdict = "linear"
    return {"case": case.name, "detector": case.detector, "runs": rows, "ratios": ratios, "verdict": verdict}


def _table(results: list[dict[str, Any]]) -> str:
    head = f"{'case':<30} {'det':<6} {'MiB at 1x/2x/4x':<18} {'seconds at 1x/2x/4x':<27} {'ratios':<11}"
    lines = [head + f" {'peak MiB':>8}  verdict", "-" * (len(head) + 18)]
    for result in results:
        rows = result["runs"]
        sizes = "/".join(f"{r['bytes'] / 2**20:.2f}" for r in rows)
        seconds = "/".join("-" if r["seconds"] is None else f"{r['seconds']:.3f}" for r in rows)
        ratios = " ".join("-" if r is None else f"{r:.1f}" for r in result["ratios"])
        peak = rows[-1]["peak_mib"] or (rows[-2]["peak_mib"] if len(rows) > 1 else None)
        verdict = result["verdict"]
        outcome = rows[-1]["outcome"]
        note = "" if outcome == result["detector"] else f"  ({outcome})"
        lines.append(
            f"{result['case']:<30} {result['detector']:<6} {sizes:<18} {seconds:<27} {ratios:<11}"
            f" {'-' if peak is None else f'{peak:.0f}':>8}  {verdict}{note}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Time every case, print the table; exit 1 when a case is super-linear, times out or crashes."""
    parser = argparse.ArgumentParser(prog="python -m bench.adversarial", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated names of cases (default: all; see bench/hostile.py)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (0.01 for a smoke run)")
    parser.add_argument("--reps", type=int, default=3, help="runs per size, fastest kept (default 3)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a run counts as a hang")
    parser.add_argument(
        "--flag", type=float, default=8.0, help="the 4x/1x time ratio flagged (linear 4, quadratic 16)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    from bench.hostile import CASES  # not in --child: it imports only what detection needs

    names = [n for n in (args.cases or ",".join(CASES)).split(",") if n]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"--cases: unknown {', '.join(unknown)}")
    print(f"dockgen from {_dockgen_origin()}; {os.cpu_count()} cores; sizes x{args.scale:g}", flush=True)
    results = []
    for name in names:
        started = time.perf_counter()
        result = run_case(CASES[name], scale=args.scale, reps=args.reps, timeout=args.timeout, flag=args.flag)
        results.append(result)
        took = time.perf_counter() - started
        print(f"  {name}: {result['verdict']} ({took:.0f}s)", file=sys.stderr, flush=True)
    print(_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 1 if any(r["verdict"] in ("SUPER-LINEAR", "TIMEOUT", "CRASH") for r in results) else 0


def _dockgen_origin() -> str:
    import dockgen

    return str(Path(dockgen.__file__).parent.parent)


if __name__ == "__main__":
    sys.exit(main())
