"""One way to open a database for work, for the command line and the desktop program."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexus_review.errors import DatabaseError
from nexus_review.storage import backups
from nexus_review.storage.database import Database
from nexus_review.usecases.opening import open_for_work


def _closed(db: Database) -> Path:
    assert db.path is not None
    db.close()
    return db.path


def test_an_open_reads_the_whole_file_for_damage_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _closed(db)
    checks: list[str] = []
    quick_check = backups._quick_check
    monkeypatch.setattr(backups, "_quick_check", lambda uri: checks.append(uri) or quick_check(uri))
    opened = open_for_work(path)
    opened.close()
    assert len(checks) == 1
    assert [b.reason for b in backups.list_backups(path)] == ["daily"]


def test_a_damaged_database_is_not_opened_unless_a_backup_is_restored(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _closed(db)
    monkeypatch.setattr(backups, "check_integrity", lambda p: "page 3 is damaged")
    import nexus_review.usecases.opening as opening

    monkeypatch.setattr(opening, "check_integrity", backups.check_integrity)
    before = path.read_bytes()
    asked: list[tuple[Path, str]] = []
    with pytest.raises(DatabaseError, match="is damaged"):
        open_for_work(
            path,
            lock=True,
            restore_damaged=lambda p, message: asked.append((p, message)) is not None,
        )
    assert asked and asked[0][0] == path and "damaged" in asked[0][1]
    assert path.read_bytes() == before and backups.list_backups(path) == []
    # The lock taken for the attempt is given back: the next open may take it.
    monkeypatch.setattr(opening, "check_integrity", lambda p: None)
    opened = open_for_work(path, lock=True)
    assert opened.lock is not None
    opened.close()


def test_the_lock_keeps_a_second_copy_of_the_program_out(db: Database) -> None:
    path = _closed(db)
    first = open_for_work(path, lock=True)
    try:
        with pytest.raises(DatabaseError, match="already open"):
            open_for_work(path, lock=True)
    finally:
        first.close()
    open_for_work(path, lock=True).close()


def test_the_desktop_programs_open_leaves_the_full_check_and_the_backup_for_later(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexus_review.usecases.opening import finish_opening

    path = _closed(db)
    checks: list[str] = []
    quick_check = backups._quick_check

    def counted_check(uri: str) -> str | None:
        checks.append(uri)
        return quick_check(uri)

    monkeypatch.setattr(backups, "_quick_check", counted_check)
    opened = open_for_work(path, lock=True, full_check=False)
    try:
        assert checks == [] and backups.list_backups(path) == []
        assert finish_opening(opened.db) is None
        assert len(checks) == 1
        assert [b.reason for b in backups.list_backups(path)] == ["daily"]
    finally:
        opened.close()


def test_damage_found_by_the_later_check_is_said_and_nothing_is_backed_up(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nexus_review.usecases.opening as opening

    path = _closed(db)
    opened = open_for_work(path, full_check=False)
    monkeypatch.setattr(opening, "check_integrity", lambda p: "page 3 is damaged")
    try:
        message = opening.finish_opening(opened.db)
        assert message is not None and "is damaged" in message
        assert backups.list_backups(path) == []
    finally:
        opened.close()
