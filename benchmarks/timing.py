"""Timing for the scale benchmark: medians of a few runs, start-ups of separate processes
(each beside a bare window's on a shared machine), import costs, and one table row a figure.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def median_time(work: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def row(what: str, seconds: float, anchor_name: str, anchor: float, goal: str = "") -> None:
    ratio = seconds / anchor if anchor > 0 else float("inf")
    tail = f"  [goal {goal}]" if goal else ""
    print(
        f"| {what} | {ms(seconds)} = {ratio:.1f} × {anchor_name} ({ms(anchor)}) |{tail}", flush=True
    )


def start_times(
    args: list[str], env: dict[str, str], repeats: int = 5
) -> tuple[float, float, float]:
    """Median seconds from process start to 'painted', to 'usable' and to 'opened'."""
    painted, usable, opened = [], [], []
    for _ in range(repeats + 1):  # the first run warms the disk cache (and makes the day's backup)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [PY, str(ROOT / "benchmarks" / "_startup_probe.py"), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        seen: dict[str, float] = {}
        for line in proc.stdout:
            seen[line.strip()] = time.perf_counter() - started
        proc.wait()
        if not {"painted", "usable", "opened"} <= set(seen):
            raise SystemExit(f"the start-up probe failed ({args})")
        painted.append(seen["painted"])
        usable.append(seen["usable"])
        opened.append(seen["opened"])

    def median(times: list[float]) -> float:
        return statistics.median(times[1:] or times)

    return median(painted), median(usable), median(opened)


def paired_start_times(
    args: list[str], env: dict[str, str], repeats: int = 5
) -> tuple[float, float, float, float, tuple[float, float, float]]:
    """Start-ups of the program, each just after a bare window's (the load on a shared machine
    changes within seconds): the medians of the bare window's paint, the program's paint, its
    usable list and its database open, and the medians of the pairs' ratios and of usable
    minus painted."""
    bare, painted, usable, opened, ratios_p, ratios_u, gaps = [], [], [], [], [], [], []
    start_times(["bare"], env, repeats=0)  # warm the disk cache (and make the day's backup)
    start_times(args, env, repeats=0)
    for _ in range(repeats):
        b, _u, _o = start_times(["bare"], env, repeats=0)
        p, u, o = start_times(args, env, repeats=0)
        bare.append(b)
        painted.append(p)
        usable.append(u)
        opened.append(o)
        ratios_p.append(p / b)
        ratios_u.append(u / b)
        gaps.append(u - p)
    median = statistics.median
    return (
        median(bare),
        median(painted),
        median(usable),
        median(opened),
        (median(ratios_p), median(ratios_u), median(gaps)),
    )


def first_open_time(path: Path, env: dict[str, str], repeats: int = 5) -> float:
    """Median seconds to open (and paint) the first visit after a start, in a process of its
    own each time: what a head waits for on their first double-click."""
    times = []
    for _ in range(repeats):
        proc = subprocess.run(
            [
                PY,
                str(ROOT / "benchmarks" / "_startup_probe.py"),
                "program",
                str(path),
                "--first-open",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(x for x in proc.stdout.splitlines() if x.startswith("first-open "))
        times.append(float(line.split()[1]))
    return statistics.median(times)


def process_time(code: list[str], env: dict[str, str], repeats: int = 5) -> float:
    def run() -> None:
        subprocess.run([PY, *code], env=env, check=True, capture_output=True)

    run()
    return median_time(run, repeats)


def import_cost(module: str, env: dict[str, str]) -> float:
    """Cumulative import time of a module in a fresh interpreter (python -X importtime)."""
    costs = []
    for _ in range(3):
        proc = subprocess.run(
            [PY, "-X", "importtime", "-c", f"import {module}"],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        for line in proc.stderr.splitlines():
            m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)$", line)
            if m and m.group(2) == module:
                costs.append(int(m.group(1)) / 1e6)
    return statistics.median(costs)
