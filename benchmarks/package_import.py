"""Importing review packages: 20 packages of 10 visits each into one network database.

    .venv/bin/python benchmarks/package_import.py

Each visit is a realistic evaluation day (a review team of two, six pieces of evidence with a
learning walk of six classrooms, seven judgements, three next steps), so the 20 packages hold
about 5,000 records. Times reading and checking the packages, and merging them (first import,
then the same packages again, which changes nothing). Goal: at most 1 s in all. Last, both
sides change every visit and judgement in different fields and the packages are imported
again: every one of those records merges field by field.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from benchmarks.made_up import demo_network, sync_columns, team_of_two  # noqa: E402
from nexus_review.demo import fill_demo_network  # noqa: E402
from nexus_review.interchange.package import read_package  # noqa: E402
from nexus_review.storage.database import open_database  # noqa: E402
from nexus_review.storage.models import (  # noqa: E402
    Action,
    DropIn,
    Evidence,
    Judgement,
    Visit,
    VisitReviewer,
)
from nexus_review.usecases.packages import export_review_package, import_packages  # noqa: E402

AREAS = (
    "inclusion",
    "curriculum-and-teaching",
    "achievement",
    "attendance-and-behaviour",
    "personal-development-and-well-being",
    "leadership-and-governance",
    "safeguarding",
)


def laptop_visits(path: Path, count: int) -> list[str]:
    db, schools, reviewers = demo_network(path)
    rng = random.Random(3)
    sync = sync_columns(db.device_id)
    rows: dict[type, list[dict[str, object]]] = {
        m: [] for m in (Visit, VisitReviewer, Evidence, DropIn, Judgement, Action)
    }
    ids = []
    for i in range(count):
        vid = str(uuid.uuid4())
        ids.append(vid)
        rows[Visit].append(
            {
                **sync,
                "id": vid,
                "host_school_id": rng.choice(schools),
                "visit_date": dt.date(2026, 1, 5) + dt.timedelta(days=i),
                "kind": "evaluation-day",
                "framework_key": "ofsted-2025",
                "status": "report-drafted",
                "focus_areas": ["Reading and phonics", "Oracy"],
                "summary": "Pupils read widely and often. " * 20,
                "strengths": "Phonics\nVocabulary",
                "areas_for_development": "Writing stamina",
                "questions": "How do you know?",
            }
        )
        rows[VisitReviewer].extend(team_of_two(rng, vid, reviewers, sync))
        for pos in range(6):
            eid = str(uuid.uuid4())
            rows[Evidence].append(
                {
                    **sync,
                    "id": eid,
                    "visit_id": vid,
                    "kind": "learning-walk" if pos == 5 else "lesson-observation",
                    "position": pos,
                    "notes": "Careful notes on what was seen. " * 15,
                    "focus_links": ["Oracy"],
                    "grades": {},
                    "look_fors": ["Talk partners", "Vocabulary"] if pos == 5 else [],
                }
            )
            if pos == 5:
                for d in range(6):
                    rows[DropIn].append(
                        {
                            **sync,
                            "id": str(uuid.uuid4()),
                            "evidence_id": eid,
                            "position": d,
                            "class_name": f"Class {d}",
                            "look_for_results": {"Talk partners": "seen"},
                            "note": "Calm and focused.",
                        }
                    )
        for area in AREAS:
            rows[Judgement].append(
                {
                    **sync,
                    "id": str(uuid.uuid4()),
                    "visit_id": vid,
                    "area_key": area,
                    "peer_grade": "met" if area == "safeguarding" else "strong-standard",
                    "self_grade": "met" if area == "safeguarding" else "expected-standard",
                    "rationale": "Evidence shows this. " * 5,
                    "evidence_ids": [],
                }
            )
        for pos in range(3):
            rows[Action].append(
                {
                    **sync,
                    "id": str(uuid.uuid4()),
                    "visit_id": vid,
                    "position": pos,
                    "description": "Do the next thing well.",
                    "owner": "Headteacher",
                    "status": "open",
                    "follow_up": [],
                }
            )
    with db.transaction() as s:
        for model, data in rows.items():
            s.execute(insert(model), data)
    db.close()
    return ids


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["NEXUS_REVIEW_DATA_DIR"] = tmp
        ids = laptop_visits(folder / "laptop.db", 200)
        laptop = open_database(folder / "laptop.db")
        paths = []
        for n in range(20):
            path = folder / f"reviewer-{n:02}.nxr"
            export_review_package(laptop, path, visit_ids=ids[n * 10 : (n + 1) * 10])
            paths.append(path)
        laptop.close()
        admin = open_database(folder / "network.db")
        fill_demo_network(admin)
        started = time.perf_counter()
        packages = [read_package(p) for p in paths]
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        results = import_packages(admin, packages)
        merge_s = time.perf_counter() - started
        records = sum(r.added + r.updated + r.unchanged for r in results)
        print(f"20 packages, {sum(r.visits for r in results)} visits, {records} records")
        print(f"read and check the packages: {read_s:.3f} s")
        print(f"merge them (first import):   {merge_s:.3f} s")
        print(f"in all:                      {read_s + merge_s:.3f} s  (goal: at most 1 s)")
        started = time.perf_counter()
        again = import_packages(admin, [read_package(p) for p in paths])
        print(
            f"the same 20 again (nothing changes: {all(not r.applied for r in again)}): {time.perf_counter() - started:.3f} s"
        )
        # Both sides change every visit and every judgement, in different fields: each record
        # merges field by field (no conflict).
        with admin.transaction() as s:
            for visit in s.scalars(select(Visit).where(Visit.id.in_(ids))):
                visit.questions = "Asked at the network meeting."
            for judgement in s.scalars(select(Judgement).where(Judgement.visit_id.in_(ids))):
                judgement.self_grade = "strong-standard"
        laptop = open_database(folder / "laptop.db")
        with laptop.transaction() as s:
            for visit in s.scalars(select(Visit).where(Visit.id.in_(ids))):
                visit.summary = "Revised after the visit."
            for judgement in s.scalars(select(Judgement).where(Judgement.visit_id.in_(ids))):
                judgement.rationale = "Revised rationale."
        for n, path in enumerate(paths):
            export_review_package(laptop, path, visit_ids=ids[n * 10 : (n + 1) * 10])
        laptop.close()
        started = time.perf_counter()
        merged = import_packages(admin, [read_package(p) for p in paths])
        elapsed = time.perf_counter() - started
        records = sum(r.updated for r in merged)
        print(
            f"20 packages changed on both sides ({records} records merged field by field, {sum(r.conflicts for r in merged)} conflicts): {elapsed:.3f} s"
        )
        admin.close()


if __name__ == "__main__":
    main()
