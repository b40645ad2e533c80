"""The sync tests' network: laptops that took some of the server's visits, and what "the same
data" means."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import SYNCED_MODELS, Visit
from nexus_review.storage.serialize import to_dict
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
)


def content(db: Database) -> dict[str, dict[str, dict[str, Any]]]:
    """Every synced record as serialised: what "the same data" means."""
    with db.reading() as s:
        return {
            m.__tablename__: {o.id: to_dict(o, versions=True) for o in s.scalars(select(m))}  # type: ignore[attr-defined]
            for m in SYNCED_MODELS
        }


def visits(db: Database) -> list[str]:
    with db.reading() as s:
        return list(s.scalars(select(Visit.id).order_by(Visit.visit_date, Visit.id)))


def edit(db: Database, visit_id: str, **values: Any) -> None:
    with db.transaction() as s:
        visit = s.get(Visit, visit_id)
        for key, value in values.items():
            setattr(visit, key, value)


def field(db: Database, visit_id: str, name: str) -> Any:
    with db.reading() as s:
        return getattr(s.get(Visit, visit_id), name)


def take_visits(server: Database, path: Path, chosen: list[str]) -> Database:
    """A laptop that received some of the network's visits in a review package."""
    package = path.with_suffix(".nxr")
    export_review_package(server, package, visit_ids=chosen)
    laptop = open_database(path)
    import_package_files(laptop, [package])
    return laptop
