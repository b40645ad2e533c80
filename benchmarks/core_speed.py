"""How long the core's own pieces of work take that the tests once timed: filling the demo
network, and anonymising texts made to be slow (runs of forenames, initials, titles and soft
hyphens that once took minutes) and a long note among 500 staff.

    .venv/bin/python benchmarks/core_speed.py

Each figure is the quickest of three runs, also given as a multiple of the anchor
(benchmarks/anchor.py) timed in the same run. The tests check what these produce; the figures
live here.
"""

from __future__ import annotations

import os
import random
import string
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.anchor import anchor_seconds, goal_in_anchors, in_anchors  # noqa: E402
from nexus_review.demo import fill_demo_network  # noqa: E402
from nexus_review.domain.anonymise import Anonymiser  # noqa: E402
from nexus_review.storage.database import open_database  # noqa: E402


def quickest(work: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _demo_fill_seconds(folder: Path) -> float:
    best = float("inf")
    for i in range(3):
        db = open_database(folder / f"demo{i}.db")
        try:
            started = time.perf_counter()
            fill_demo_network(db)
            best = min(best, time.perf_counter() - started)
        finally:
            db.close()
    return best


def _long_note() -> tuple[list[str], str]:
    rng = random.Random(7)

    def word() -> str:
        return rng.choice(string.ascii_uppercase) + "".join(
            rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))
        )

    staff = [f"Mrs {rng.choice(string.ascii_uppercase)}. {word()}" for _ in range(500)]
    text = " ".join(
        rng.choice(["the", "pupils", "Read", "and", staff[rng.randrange(500)], "Then"])
        for _ in range(50_000)
    )
    return staff, text


def main() -> None:
    anchor = anchor_seconds()
    print(f"anchor: {anchor:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["NEXUS_REVIEW_DATA_DIR"] = str(folder / "data")  # never the user's own folder
        seconds = _demo_fill_seconds(folder)
        print(
            f"demo network fill: {seconds:.3f} s = {in_anchors(seconds, anchor)} (goal 1.5 s = {goal_in_anchors(1.5)})"
        )
    staff = Anonymiser(["Mrs Jane Quixley", "Mr T. Hale"])
    slow_texts = {
        "forenames": "Jane " * 40 + "x",
        "letters": "a " * 50_000,
        "initials": "J. " * 50_000,
        "titles": "Mrs " * 50_000,
        "soft hyphens": "Quix\u00ad" * 50_000,
    }
    for name, text in slow_texts.items():
        seconds = quickest(lambda text=text: staff.clean(text))  # type: ignore[misc]
        print(
            f"anonymise a run of {name}: {seconds:.3f} s = {in_anchors(seconds, anchor)} (goal 2 s = {goal_in_anchors(2.0)})"
        )
    names, note = _long_note()
    network = Anonymiser(names)
    seconds = quickest(lambda: network.clean(note))
    print(
        f"anonymise a 50,000-word note among 500 staff: {seconds:.3f} s = {in_anchors(seconds, anchor)} (goal 5 s = {goal_in_anchors(5.0)})"
    )


if __name__ == "__main__":
    main()
