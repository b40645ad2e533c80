"""The visit list with 10,000 visits: opening the list, filtering it and searching the notes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/visit_list.py

Builds a database of 10,000 visits (each with a review team of two and three pieces of
evidence with notes) from the demo network's schools and reviewers, then times what a head
waits for: the Visits view opening (query, model, first paint), a filter, and a note search.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from benchmarks.made_up import WORDS as ALL_WORDS  # noqa: E402
from benchmarks.made_up import demo_network, sync_columns, team_of_two  # noqa: E402
from nexus_review.storage.database import open_database  # noqa: E402
from nexus_review.storage.models import Evidence, Visit, VisitReviewer  # noqa: E402

VISITS = 10_000
WORDS = ALL_WORDS[:11]  # the words this benchmark's notes have always had


def build(path: Path) -> None:
    db, schools, reviewers = demo_network(path)
    rng = random.Random(7)
    sync = sync_columns()
    visits, team, evidence = [], [], []
    for i in range(VISITS):
        vid = str(uuid.uuid4())
        visits.append(
            {
                **sync,
                "id": vid,
                "host_school_id": rng.choice(schools),
                "visit_date": dt.date(2015, 9, 1) + dt.timedelta(days=i % 3650),
                "kind": rng.choice(
                    ("evaluation-day", "collaborative-review", "learning-walk", "follow-up")
                ),
                "framework_key": "ofsted-2025",
                "status": "report-sent",
                "focus_areas": ["Reading and phonics"],
                "summary": " ".join(rng.choices(WORDS, k=40)),
                "strengths": "",
                "areas_for_development": "",
                "questions": "",
            }
        )
        team.extend(team_of_two(rng, vid, reviewers, sync))
        for pos in range(3):
            evidence.append(
                {
                    **sync,
                    "id": str(uuid.uuid4()),
                    "visit_id": vid,
                    "kind": "lesson-observation",
                    "position": pos,
                    "notes": " ".join(rng.choices(WORDS, k=60)),
                    "focus_links": [],
                    "grades": {},
                    "look_fors": [],
                }
            )
    evidence[-1]["notes"] += " a unique kingfisher display"
    with db.transaction() as s:
        s.execute(insert(Visit), visits)
        s.execute(insert(VisitReviewer), team)
        s.execute(insert(Evidence), evidence)
    db.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEXUS_REVIEW_DATA_DIR"] = tmp
        path = Path(tmp) / "big.db"
        started = time.perf_counter()
        build(path)
        print(f"built {VISITS} visits in {time.perf_counter() - started:.1f} s")
        from ui.app import make_application
        from ui.main_window import MainWindow

        app = make_application()
        db = open_database(path)
        started = time.perf_counter()
        window = MainWindow(db)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        print(
            f"open the window with the visit list of {window.visits.model.rowCount()} visits: {time.perf_counter() - started:.3f} s"
        )
        page = window.visits
        started = time.perf_counter()
        page.refresh()
        app.processEvents()
        print(f"refresh the list: {time.perf_counter() - started:.3f} s")
        started = time.perf_counter()
        page.kind.setCurrentIndex(page.kind.findData("learning-walk"))
        page.apply_filters()
        app.processEvents()
        print(
            f"filter by kind ({page.proxy.rowCount()} shown): {time.perf_counter() - started:.3f} s"
        )
        page.kind.setCurrentIndex(0)
        page.apply_filters()
        started = time.perf_counter()
        page.view.sortByColumn(1, page.view.horizontalHeader().sortIndicatorOrder())
        app.processEvents()
        print(f"sort by host school: {time.perf_counter() - started:.3f} s")
        for text in ("kingfisher", "phonics"):
            started = time.perf_counter()
            page.search.setText(text)
            page.apply_search()
            while getattr(page, "searching", False):  # the search runs off the GUI thread
                app.processEvents()
            app.processEvents()
            print(
                f"search the notes for '{text}' ({page.proxy.rowCount()} found): {time.perf_counter() - started:.3f} s"
            )
        window.close()
        db.close()


if __name__ == "__main__":
    main()
