"""What the benchmarks' made-up network databases share: the demo network they are built on,
the bookkeeping columns every synced record carries, and a visit's review team of two."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

from nexus_review.demo import fill_demo_network
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import utcnow
from nexus_review.storage.repository import list_reviewers, list_schools

# The words made-up notes are written in (a benchmark's own seed picks from them).
WORDS = [
    "pupils",
    "teacher",
    "reading",
    "phonics",
    "oracy",
    "talk",
    "vocabulary",
    "books",
    "progress",
    "leaders",
    "curriculum",
    "writing",
    "fluency",
    "questions",
    "modelling",
    "practice",
    "Year",
    "class",
]


def demo_network(path: Path) -> tuple[Database, list[str], list[str]]:
    """A new database at ``path`` holding the demo network, with its school and reviewer ids."""
    db = open_database(path)
    fill_demo_network(db)
    with db.reading() as s:
        schools = [x.id for x in list_schools(s)]
        reviewers = [x.id for x in list_reviewers(s)]
    return db, schools, reviewers


def sync_columns(device_id: str = "bench") -> dict[str, Any]:
    """The bookkeeping columns of a record written once, now, on one device."""
    now = utcnow()
    return {
        "created_at": now,
        "updated_at": now,
        "device_id": device_id,
        "revision": 1,
        "vclock": {device_id: 1},
        "deleted": False,
    }


def team_of_two(
    rng: random.Random, visit_id: str, reviewers: list[str], sync: dict[str, Any]
) -> list[dict[str, Any]]:
    """Two reviewers chosen at random for a visit, the first of them its lead."""
    return [
        {
            **sync,
            "id": str(uuid.uuid4()),
            "visit_id": visit_id,
            "reviewer_id": rid,
            "is_lead": pos == 0,
            "position": pos,
        }
        for pos, rid in enumerate(rng.sample(reviewers, 2))
    ]
