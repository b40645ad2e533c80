"""Many at once on a network server: 20 laptops with 10 new visits each sync at the same time,
while two administrators import review packages (10 visits each) into the same server.

    .venv/bin/python benchmarks/sync_concurrency.py [--laptops 20] [--visits 10]

Starts a throw-away PostgreSQL server (the installed binaries, as in the tests), fills it
with the demo network, and gives every laptop the network's reference data by a first sync.
Then times the concurrent round, and does the same work one after another on copies of the
same laptops and a copy of the same server. Prints the time, the number of retried
collisions, and whether the two end states are the same (they must be: nothing lost, nothing
applied twice, no half-applied import seen by anyone).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from benchmarks.made_up import team_of_two  # noqa: E402
from nexus_review.interchange.package import read_package  # noqa: E402
from nexus_review.storage.database import Database, open_database  # noqa: E402
from nexus_review.storage.models import (  # noqa: E402
    SYNCED_MODELS,
    Action,
    Evidence,
    Judgement,
    Reviewer,
    School,
    Visit,
    VisitReviewer,
    new_id,
)
from nexus_review.storage.serialize import to_dict  # noqa: E402
from nexus_review.usecases import sync as sync_use_case  # noqa: E402
from nexus_review.usecases.packages import export_review_package, import_packages  # noqa: E402
from tests.conftest import _demo_filled  # noqa: E402
from tests.pg import start_server  # noqa: E402

AREAS = ("inclusion", "curriculum-and-teaching", "achievement", "attendance-and-behaviour",
         "personal-development-and-well-being", "leadership-and-governance", "safeguarding")  # fmt: skip


def add_visits(db: Database, count: int, seed: int) -> None:
    """New visits written on a laptop, as a reviewer writes them (stamped by its device)."""
    rng = random.Random(seed)
    with db.transaction() as s:
        schools = list(s.scalars(select(School).order_by(School.id)))
        reviewer_ids = list(s.scalars(select(Reviewer.id).order_by(Reviewer.id)))
        for i in range(count):
            visit = Visit(
                id=new_id(),
                host_school=rng.choice(schools), visit_date=dt.date(2026, 1, 5) + dt.timedelta(days=i),
                kind="evaluation-day", framework_key="ofsted-2025", status="report-drafted",
                focus_areas=["Reading and phonics", "Oracy"], summary=f"Laptop {seed}, visit {i}: pupils read widely. " * 5,
                strengths="Phonics\nVocabulary", areas_for_development="Writing stamina", questions="How do you know?",
            )  # fmt: skip
            s.add(visit)
            s.add_all(VisitReviewer(**row) for row in team_of_two(rng, visit.id, reviewer_ids, {}))
            for pos in range(4):
                s.add(
                    Evidence(
                        visit=visit,
                        kind="lesson-observation",
                        position=pos,
                        notes="What was seen. " * 10,
                        focus_links=["Oracy"],
                    )
                )
            for area in AREAS:
                grade = "met" if area == "safeguarding" else "strong-standard"
                s.add(
                    Judgement(
                        visit=visit,
                        area_key=area,
                        peer_grade=grade,
                        rationale="Evidence shows this. " * 3,
                    )
                )
            for pos in range(2):
                s.add(
                    Action(
                        visit=visit,
                        position=pos,
                        description="Do the next thing well.",
                        owner="Headteacher",
                    )
                )


def content(db: Database) -> dict[str, dict[str, dict[str, Any]]]:
    with db.reading() as s:
        return {
            m.__tablename__: {o.id: to_dict(o, versions=True) for o in s.scalars(select(m))}  # type: ignore[attr-defined]
            for m in SYNCED_MODELS
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laptops", type=int, default=20)
    parser.add_argument("--visits", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nexus-sync-bench-"))
    os.environ["NEXUS_REVIEW_DATA_DIR"] = str(folder / "data")
    server = start_server()
    retries = {"n": 0}
    real_pause = time.sleep

    def counted_pause(seconds: float) -> None:
        retries["n"] += 1
        real_pause(seconds)

    try:
        network = server.template("demo", _demo_filled)
        concurrent_db, sequential_db = (
            server.create_database(network),
            server.create_database(network),
        )
        concurrent_url, sequential_url = server.url(concurrent_db), server.url(sequential_db)
        # The laptops: each takes the network's reference data by a first sync, then writes
        # its own visits; two more laptops' visits reach the office as packages.
        started = time.perf_counter()
        hub = open_database(concurrent_url)
        paths = []
        for n in range(args.laptops + 2):
            path = folder / "concurrent" / f"laptop-{n:02}.db"
            laptop = open_database(path)
            sync_use_case.sync_databases(laptop, hub)
            add_visits(laptop, args.visits, seed=n)
            if n >= args.laptops:
                package = folder / f"office-{n}.nxr"
                export_review_package(laptop, package, all_visits=True)
                paths.append(package)
            laptop.close()
        hub.close()
        (folder / "sequential").mkdir()
        for n in range(args.laptops):
            name = f"laptop-{n:02}.db"
            shutil.copyfile(folder / "concurrent" / name, folder / "sequential" / name)
        print(
            f"set up {args.laptops} laptops with {args.visits} visits each: {time.perf_counter() - started:.1f} s"
        )
        packages = [read_package(p) for p in paths]

        def run_laptop(path: Path, url: str, errors: list[BaseException]) -> None:
            try:
                laptop, target = open_database(path), open_database(url)
                try:
                    sync_use_case.sync_databases(laptop, target, pause=counted_pause)
                finally:
                    laptop.close()
                    target.close()
            except BaseException as exc:  # reported below
                errors.append(exc)

        def run_admin(package: Any, url: str, errors: list[BaseException]) -> None:
            try:
                office = open_database(url)
                try:
                    import_packages(office, [package], backup=False)
                finally:
                    office.close()
            except BaseException as exc:
                errors.append(exc)

        errors: list[BaseException] = []
        threads = [
            threading.Thread(
                target=run_laptop,
                args=(folder / "concurrent" / f"laptop-{n:02}.db", concurrent_url, errors),
            )
            for n in range(args.laptops)
        ] + [threading.Thread(target=run_admin, args=(p, concurrent_url, errors)) for p in packages]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        concurrent_s = time.perf_counter() - started
        if errors:
            raise errors[0]

        started = time.perf_counter()
        for n in range(args.laptops):
            run_laptop(folder / "sequential" / f"laptop-{n:02}.db", sequential_url, errors)
        for package in packages:
            run_admin(package, sequential_url, errors)
        sequential_s = time.perf_counter() - started
        if errors:
            raise errors[0]

        together, one_by_one = open_database(concurrent_url), open_database(sequential_url)
        same = content(together) == content(one_by_one)
        visits = len(content(together)["visit"])
        together.close()
        one_by_one.close()
        print(
            f"{args.laptops} laptops x {args.visits} visits syncing at once, with 2 administrators importing "
            f"{len(packages)} packages: {concurrent_s:.1f} s ({retries['n']} collisions retried)"
        )
        print(f"the same work one after another: {sequential_s:.1f} s")
        print(f"visits on the server: {visits}; end state equals the sequential one: {same}")
        if not same:
            raise SystemExit(1)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
