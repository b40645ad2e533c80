"""The use cases back up first: before an import, a migration and retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nexus_review.demo import demo_years
from nexus_review.storage.backups import (
    check_integrity,
    list_backups,
)
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Evidence, Visit
from nexus_review.usecases.backups import apply_retention
from tests.storage.files import visit_count

# Backups, locks and damage are about the SQLite file on a laptop; a network server is backed
# up with its own tools (docs/server.md).
pytestmark = pytest.mark.sqlite_only


def test_imports_and_migrations_back_up_first(demo_db: Database, tmp_path: Path) -> None:
    from nexus_review.usecases.packages import export_review_package, import_package_files

    assert demo_db.path is not None
    laptop = open_database(tmp_path / "laptop.db")
    export_review_package(demo_db, tmp_path / "all.nxr", all_visits=True)
    import_package_files(laptop, [tmp_path / "all.nxr"])
    with laptop.transaction() as s:
        s.scalars(select(Visit)).first().summary = "changed"  # type: ignore[union-attr]
    export_review_package(laptop, tmp_path / "change.nxr")
    import_package_files(demo_db, [tmp_path / "change.nxr"])
    assert [b.reason for b in list_backups(demo_db.path)] == ["before-import"]
    laptop.close()


def test_retention_deletes_old_visits_with_everything_after_a_backup(demo_db: Database) -> None:
    # 1 December of the demo's current year: its first year's autumn visits are over two years old.
    today = dt.date(int(demo_years()[-1][:4]), 12, 1)
    preview = apply_retention(demo_db, 2, dry_run=True, today=today)
    assert preview.cutoff == today.replace(year=today.year - 2) and len(preview.visits) > 0
    old_ids = [v[0] for v in preview.visits]
    assert visit_count(demo_db) == 75  # a dry run deletes nothing
    with demo_db.transaction() as s:  # a tombstoned record of an old visit goes too
        s.scalars(select(Evidence).where(Evidence.visit_id == old_ids[0])).first().deleted = True  # type: ignore[union-attr]
    result = apply_retention(demo_db, 2, today=today)
    assert result.backup is not None and result.backup.exists()
    assert visit_count(demo_db) == 75 - len(old_ids)
    with demo_db.reading() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(Evidence).where(Evidence.visit_id.in_(old_ids))
            )
            == 0
        )
    with pytest.raises(Exception, match="at least one year"):
        apply_retention(demo_db, 0)


def test_a_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from nexus_review.storage.migrate import upgrade

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "base")  # a database made before the first revision
    engine.dispose()
    open_database(path).close()
    (backup,) = list_backups(path)
    assert backup.reason == "before-migration"
    assert check_integrity(backup.path) is None
