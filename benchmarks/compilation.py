"""The network compilation at size: 150 visits with 3,000 pieces of evidence.

    .venv/bin/python benchmarks/compilation.py

Builds a network database of 150 evaluation days in 2025-26 (20 pieces of evidence each, seven
judgements, three next steps), then runs `nexus-review compile` for each format in its own
process and prints the time and the peak memory of that process, the PDF tagged as always.
Goal: at most 3 s per format on the reference machine, peak memory at most 300 MB. Each time is
also given as a multiple of the anchor (benchmarks/anchor.py), timed in the same process just
before and after, which holds on a busy machine too.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from benchmarks.anchor import goal_in_anchors, in_anchors  # noqa: E402
from benchmarks.made_up import demo_network, sync_columns, team_of_two  # noqa: E402
from nexus_review.storage.models import Action, Evidence, Judgement, Visit, VisitReviewer  # noqa: E402

AREAS = (
    "inclusion",
    "curriculum-and-teaching",
    "achievement",
    "attendance-and-behaviour",
    "personal-development-and-well-being",
    "leadership-and-governance",
    "safeguarding",
)
GRADES = ("exceptional", "strong-standard", "expected-standard", "needs-attention")
FOCUS = (
    "Reading and phonics",
    "Oracy",
    "Writing",
    "SEND",
    "Attendance",
    "Mathematics",
    "Early years",
)


def build(
    path: Path,
    visits: int = 150,
    evidence_per_visit: int = 20,
    days: int = 300,
    first: dt.date = dt.date(2025, 9, 8),
) -> None:
    """The network database: ``visits`` evaluation days spread over ``days`` from ``first``."""
    db, schools, reviewers = demo_network(path)
    rng = random.Random(11)
    sync = sync_columns()
    rows: dict[type, list[dict[str, object]]] = {
        m: [] for m in (Visit, VisitReviewer, Evidence, Judgement, Action)
    }
    for i in range(visits):
        vid = str(uuid.uuid4())
        focus = rng.sample(FOCUS, 2)
        rows[Visit].append(
            {
                **sync,
                "id": vid,
                "host_school_id": rng.choice(schools),
                "visit_date": first + dt.timedelta(days=(i * days) // visits),
                "kind": "evaluation-day",
                "framework_key": "ofsted-2025",
                "status": "report-sent",
                "focus_areas": focus,
                "summary": f"Reviewers tested the school's view of {focus[0].lower()}. "
                + "Pupils learn well and behave well. " * 8,
                "strengths": "\n".join(
                    f"Strength {rng.randint(1, 60)} about {focus[0].lower()}" for _ in range(4)
                ),
                "areas_for_development": "\n".join(
                    f"Even better if {rng.randint(1, 60)}" for _ in range(3)
                ),
                "questions": "How do you know?\nWhat will you stop doing?",
            }
        )
        rows[VisitReviewer].extend(team_of_two(rng, vid, reviewers, sync))
        for pos in range(evidence_per_visit):
            rows[Evidence].append(
                {
                    **sync,
                    "id": str(uuid.uuid4()),
                    "visit_id": vid,
                    "kind": "lesson-observation",
                    "position": pos,
                    "staff": f"Mrs T. Teacher{rng.randint(1, 300)}",
                    "notes": "What was seen and heard. " * 20,
                    "strengths": "Clear modelling",
                    "areas_for_development": "More time to practise",
                    "focus_links": [focus[pos % 2]],
                    "grades": {},
                    "look_fors": [],
                }
            )
        for area in AREAS:
            sg = area == "safeguarding"
            rows[Judgement].append(
                {
                    **sync,
                    "id": str(uuid.uuid4()),
                    "visit_id": vid,
                    "area_key": area,
                    "peer_grade": "met" if sg else rng.choice(GRADES),
                    "self_grade": "met" if sg else rng.choice(GRADES),
                    "rationale": "From the evidence. " * 6,
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
                    "description": f"Next step {pos} for the school.",
                    "owner": "Headteacher",
                    "due_date": dt.date(2026, 3, 1) + dt.timedelta(days=i),
                    "status": rng.choice(("open", "in-progress", "done")),
                    "follow_up": [
                        {"date": "2026-02-01", "note": "Discussed at the group meeting."}
                    ],
                }
            )
    with db.transaction() as s:
        for model, data in rows.items():
            s.execute(insert(model), data)
    db.close()


MEASURE = """
import resource, sys, time
sys.path.insert(0, {root!r})
from benchmarks.anchor import anchor_seconds
before = anchor_seconds()
started = time.perf_counter()
from nexus_review.cli import main
code = main(["--db", {db!r}, "compile", "--format", {fmt!r}, "--out", {out!r}, "--year", "2025-26"])
inside = time.perf_counter() - started
anchor = (before + anchor_seconds()) / 2
print(code, inside, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, anchor)
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": tmp}
        os.environ["NEXUS_REVIEW_DATA_DIR"] = tmp
        build(folder / "network.db")
        print("150 visits, 3,000 pieces of evidence (plus the demo network's 2025-26 reviews)")
        for fmt in ("pdf", "docx"):
            out = folder / f"compilation.{fmt}"
            started = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    MEASURE.format(
                        root=str(ROOT), db=str(folder / "network.db"), fmt=fmt, out=str(out)
                    ),
                ],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            wall = time.perf_counter() - started
            code, inside, peak, anchor = proc.stdout.split()[-4:]
            print(
                f"{fmt:5} {float(inside):.2f} s in the process = {in_anchors(float(inside), float(anchor))} "
                f"(anchor {float(anchor):.3f} s; goal 3 s = {goal_in_anchors(3.0)}), "
                f"{wall:.2f} s with start-up, peak memory {float(peak):.0f} MB, {out.stat().st_size // 1024} KB, exit {code}"
            )


if __name__ == "__main__":
    main()
