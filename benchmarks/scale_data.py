"""Network databases of a chosen size for the speed benchmarks, built once and kept.

A network of 1,000, 10,000 or 100,000 pieces of evidence (ten to a visit, each visit with a
review team of two, three judgements and a next step) over the demo network's schools and
reviewers. Rows go in through SQLAlchemy Core in bulk, not as ORM objects, so that the
100,000 database is built in well under three minutes. Each database is kept in a cache folder
(``NEXUS_BENCH_CACHE``, else the system's temporary folder) under a name that carries the
schema revision, so a later run, or a change that migrates the schema, starts from the same data.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from benchmarks.made_up import (  # noqa: E402
    WORDS,
    demo_network,
    sync_columns,
    team_of_two,
)
from nexus_review.storage.models import (  # noqa: E402
    Action,
    DropIn,
    Evidence,
    Judgement,
    Visit,
    VisitReviewer,
)
from nexus_review.storage.revision import SCHEMA_HEAD  # noqa: E402

AREAS = ("inclusion", "curriculum-and-teaching", "achievement")
GRADES = ("exceptional", "strong-standard", "expected-standard", "needs-attention")
UNIQUE = "kingfisher"  # in the notes of exactly one piece of evidence
EVIDENCE_PER_VISIT = 10
DATA_VERSION = "3"  # bumped when the schema under one revision id changes during development


def cache_folder() -> Path:
    folder = Path(
        os.environ.get("NEXUS_BENCH_CACHE") or Path(tempfile.gettempdir()) / "nexus-review-bench"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_for(evidence: int) -> Path:
    """The cached database with this many pieces of evidence, built if missing."""
    path = cache_folder() / f"network-{evidence}-v{DATA_VERSION}-{SCHEMA_HEAD}.db"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".part")
        for extra in ("", "-wal", "-shm"):
            Path(str(partial) + extra).unlink(missing_ok=True)
        build(partial, evidence)
        shutil.move(partial, path)
        print(
            f"built the {evidence:,} evidence database in {time.perf_counter() - started:.1f} s ({path})",
            flush=True,
        )
    return path


def _chunks(rows: list[dict[str, object]], size: int = 5000):  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build(path: Path, evidence: int) -> None:
    previous = os.environ.get("NEXUS_REVIEW_DATA_DIR")
    with tempfile.TemporaryDirectory() as data:
        os.environ["NEXUS_REVIEW_DATA_DIR"] = data
        try:
            _build(path, evidence)
        finally:
            if previous is None:
                os.environ.pop("NEXUS_REVIEW_DATA_DIR", None)
            else:
                os.environ["NEXUS_REVIEW_DATA_DIR"] = previous


def _build(path: Path, evidence: int) -> None:
    db, schools, reviewers = demo_network(path)
    rng = random.Random(evidence)
    sync = sync_columns()
    visits = max(1, evidence // EVIDENCE_PER_VISIT)
    rows: dict[type, list[dict[str, object]]] = {
        m: [] for m in (Visit, VisitReviewer, Evidence, DropIn, Judgement, Action)
    }
    unique_at = rng.randrange(evidence)
    made = 0
    for i in range(visits):
        vid = str(uuid.uuid4())
        kind = rng.choice(("evaluation-day", "collaborative-review", "learning-walk", "follow-up"))
        rows[Visit].append(
            {
                **sync,
                "id": vid,
                "host_school_id": rng.choice(schools),
                "visit_date": dt.date(2012, 9, 1) + dt.timedelta(days=(i * 3650) // visits),
                "kind": kind,
                "framework_key": "ofsted-2025",
                "status": rng.choice(("planned", "in-progress", "report-drafted", "report-sent")),
                "focus_areas": ["Reading and phonics"],
                "summary": " ".join(rng.choices(WORDS, k=40)),
                "strengths": " ".join(rng.choices(WORDS, k=12)),
                "areas_for_development": " ".join(rng.choices(WORDS, k=12)),
                "questions": "How do you know?",
            }
        )
        rows[VisitReviewer].extend(team_of_two(rng, vid, reviewers, sync))
        for pos in range(EVIDENCE_PER_VISIT):
            if made >= evidence:
                break
            eid = str(uuid.uuid4())
            notes = " ".join(rng.choices(WORDS, k=60))
            if made == unique_at:
                notes += f" a {UNIQUE} display in the corridor"
            rows[Evidence].append(
                {
                    **sync,
                    "id": eid,
                    "visit_id": vid,
                    "kind": "learning-walk" if kind == "learning-walk" else "lesson-observation",
                    "position": pos,
                    "class_name": f"Class {rng.randint(1, 9)}",
                    "subject": rng.choice(("English", "Maths", "Science")),
                    "staff": f"Mrs T. Teacher{rng.randint(1, 300)}",
                    "notes": notes,
                    "strengths": " ".join(rng.choices(WORDS, k=8)),
                    "areas_for_development": " ".join(rng.choices(WORDS, k=8)),
                    "focus_links": [],
                    "grades": {},
                    "look_fors": [],
                }
            )
            if kind == "learning-walk" and pos < 2:
                rows[DropIn].append(
                    {
                        **sync,
                        "id": str(uuid.uuid4()),
                        "evidence_id": eid,
                        "position": 0,
                        "class_name": "Year 3",
                        "note": " ".join(rng.choices(WORDS, k=10)),
                    }
                )
            made += 1
        for area in AREAS:
            rows[Judgement].append(
                {
                    **sync,
                    "id": str(uuid.uuid4()),
                    "visit_id": vid,
                    "area_key": area,
                    "peer_grade": rng.choice(GRADES),
                    "self_grade": rng.choice(GRADES),
                    "rationale": " ".join(rng.choices(WORDS, k=20)),
                    "evidence_ids": [],
                }
            )
        rows[Action].append(
            {
                **sync,
                "id": str(uuid.uuid4()),
                "visit_id": vid,
                "position": 0,
                "description": "Next step for the school.",
                "owner": "Headteacher",
                "due_date": dt.date(2026, 3, 1),
                "status": "open",
                "follow_up": [],
            }
        )
    with db.transaction() as s:
        for model, data in rows.items():
            for chunk in _chunks(data):
                s.execute(insert(model), chunk)
    db.close()


if __name__ == "__main__":
    for size in (int(a) for a in sys.argv[1:] or ("1000", "10000", "100000")):
        print(database_for(size))
