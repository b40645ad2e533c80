"""A fixed piece of work timed in the same run as a benchmark, so that its figures can be read
on a busy or a slower machine: each figure is also given as a multiple of this anchor.

The machine the goals were set on (two cores, shared) runs the anchor in about
``REFERENCE_SECONDS``; a goal of 3 s there is ``3 / REFERENCE_SECONDS`` anchors anywhere.
The work is plain Python of the kind the renderers do (building small objects, formatting and
joining strings, sorting), with no I/O and nothing cached between runs.
"""

from __future__ import annotations

import time

# The anchor's time on the machine where the goals were set (quietest of 20 runs).
REFERENCE_SECONDS = 0.27


def _work() -> int:
    rows = []
    for i in range(150_000):
        rows.append(
            {"id": i, "text": f"Next step {i % 97} for school {i % 13}", "rank": (i * 7919) % 1009}
        )
    rows.sort(key=lambda r: (r["rank"], r["text"]))
    joined = " ".join(r["text"].upper() for r in rows[:50_000])
    return len(joined) + sum(r["rank"] for r in rows[::7])


def anchor_seconds(repeats: int = 3) -> float:
    """The quickest of a few runs of the anchor (the least disturbed by other programs)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        _work()
        best = min(best, time.perf_counter() - started)
    return best


def in_anchors(seconds: float, anchor: float) -> str:
    return f"{seconds / anchor:.1f} anchors"


def goal_in_anchors(goal_seconds: float) -> str:
    return f"{goal_seconds / REFERENCE_SECONDS:.1f} anchors"


if __name__ == "__main__":
    print(f"anchor {anchor_seconds(20):.3f} s")
