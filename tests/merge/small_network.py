"""A small network for the merge tests: the administrator's database and two laptops that
took its visits, and the helpers to change and dump them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy import select

from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import (
    DropIn,
    Evidence,
    Reviewer,
    School,
    SchoolPriority,
    Visit,
    VisitReviewer,
)
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
)


class Net:
    """A small network: the administrator's database and two laptops that took its visits."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        base = open_database(folder / "base.db")
        with base.transaction() as s:
            staple, black = School(name="Staple Hill"), School(name="Blackhorse Primary")
            head = Reviewer(name="Mr G. Price", home_school=staple)
            s.add_all([staple, black, head])
            s.flush()
            s.add(
                SchoolPriority(
                    school_id=staple.id, academic_year="2025-26", theme="Reading and phonics"
                )
            )
            for school, day in ((staple, 10), (black, 11)):
                visit = Visit(
                    host_school=school,
                    visit_date=dt.date(2026, 1, day),
                    kind="evaluation-day",
                    framework_key="ofsted-2025",
                )
                s.add(visit)
                s.add(VisitReviewer(visit=visit, reviewer=head, is_lead=True))
                walk = Evidence(
                    visit=visit,
                    kind="learning-walk",
                    position=0,
                    notes="base",
                    look_fors=["Talk partners", "Vocabulary"],
                )
                s.add(walk)
                s.add(DropIn(evidence=walk, class_name="Oak", look_for_results={}))
        self.staple_id, self.black_id = staple.id, black.id
        self.base_package = folder / "base.nxr"
        export_review_package(base, self.base_package, all_visits=True)
        base.close()
        self.admin = self.open("admin")
        self.a = self.open("a")
        self.b = self.open("b")
        with self.admin.reading() as s:
            self.x, self.y = list(s.scalars(select(Visit.id).order_by(Visit.visit_date)))
            self.walk_x = s.scalars(select(Evidence.id).where(Evidence.visit_id == self.x)).one()
            self.walk_y = s.scalars(select(Evidence.id).where(Evidence.visit_id == self.y)).one()
            self.drop_in_x = s.scalars(
                select(DropIn.id).where(DropIn.evidence_id == self.walk_x)
            ).one()

    def open(self, name: str) -> Database:
        db = open_database(self.folder / f"{name}.db")
        import_package_files(db, [self.base_package])
        return db

    def send(self, db: Database, name: str, **kwargs: object) -> Path:
        path = self.folder / f"{name}.nxr"
        export_review_package(db, path, **kwargs)  # type: ignore[arg-type]
        return path

    def close(self) -> None:
        for db in (self.admin, self.a, self.b):
            db.close()


def dump(db: Database) -> list[str]:
    """Every row of the database file, as SQL: "nothing was written" means this is unchanged."""
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    con = sqlite3.connect(db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def edit(db: Database, model: type, record_id: str, **values: object) -> None:
    with db.transaction() as s:
        obj = s.get(model, record_id)
        for key, value in values.items():
            setattr(obj, key, value)
