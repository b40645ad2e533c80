"""The administrator's Imports view: preview, import with progress, history, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Visit
from nexus_review.usecases.packages import export_review_package, import_package_files
from tests.ui.answering import answering
from ui.imports_view import ImportPreviewDialog
from ui.main_window import MainWindow


@pytest.fixture
def packages(demo_db: Database, tmp_path: Path) -> tuple[Path, Path, str]:
    """Two laptops' packages that both changed one visit (and each another)."""
    base = tmp_path / "base.nxr"
    export_review_package(demo_db, base, all_visits=True)
    out = []
    with demo_db.reading() as s:
        ids = list(s.scalars(select(Visit.id).order_by(Visit.visit_date)))
    for name, own in (("a", ids[0]), ("b", ids[1])):
        laptop = open_database(tmp_path / f"{name}.db")
        import_package_files(laptop, [base])
        with laptop.transaction() as s:
            s.get(Visit, own).summary = f"Only {name}"
            s.get(Visit, ids[2]).summary = f"{name.upper()} wrote this"
        path = tmp_path / f"{name}.nxr"
        export_review_package(laptop, path)
        laptop.close()
        out.append(path)
    return out[0], out[1], ids[2]


def test_preview_then_import_then_resolve_the_conflict(
    qtbot, demo_db: Database, packages, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    pa, pb, shared = packages
    window = MainWindow(demo_db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    window.show()
    window.show_section("Imports")
    page = window.imports
    seen: list[ImportPreviewDialog] = []

    def accept(dialog: ImportPreviewDialog) -> int:
        seen.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", accept)
    page.import_files([pa, pb])
    (preview,) = seen
    rows = [
        [preview.table.item(r, c).text() for c in range(preview.table.columnCount())]
        for r in range(preview.table.rowCount())
    ]
    assert [r[0] for r in rows] == ["a.nxr", "b.nxr"]
    assert rows[0][4] == "2"  # two visits updated from laptop A
    assert rows[1][6] == "0"  # the preview looks at each package against the database as it is
    assert page.history.rowCount() == 2
    assert [page.history.item(r, 1).text() for r in range(2)] == ["b.nxr", "a.nxr"] or [
        page.history.item(r, 1).text() for r in range(2)
    ] == ["a.nxr", "b.nxr"]
    assert page.conflicts.list.count() == 1
    assert page.conflicts.list.item(0).text().startswith("The visit to")
    assert (
        page.conflicts.list.item(0).text().endswith(": summary")
    )  # the field, not the whole record
    sides = page.conflicts.sides
    cells = {
        sides.item(r, 0).text(): (sides.item(r, 1).text(), sides.item(r, 2).text())
        for r in range(sides.rowCount())
    }
    assert set(cells) == {"summary"}
    assert set(cells["summary"]) == {"A wrote this", "B wrote this"}
    with demo_db.reading() as s:
        shown = s.get(Visit, shared).summary
    other = "ours" if cells["summary"][1] == shown else "theirs"
    (page.conflicts.keep_ours if other == "ours" else page.conflicts.keep_theirs).click()
    with demo_db.reading() as s:
        assert s.get(Visit, shared).summary != shown
    assert page.conflicts.list.count() == 0
    assert "No open conflicts" in page.conflicts.title.text()


def test_dropping_a_package_on_the_view_imports_it(
    qtbot, demo_db: Database, packages, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    pa, _pb, _shared = packages
    window = MainWindow(demo_db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    window.show_section("Imports")
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pa))])
    event = QDropEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.imports.dropEvent(event)
    assert [r.file_name for r in window.imports.last_results] == ["a.nxr"]
    assert window.imports.history.rowCount() == 1


def test_export_review_package_from_the_file_menu(qtbot, demo_db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.interchange.package import read_package

    window = MainWindow(demo_db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    target = tmp_path / "mine.nxr"

    def fill(dialog: QDialog) -> None:
        dialog.everything.setChecked(True)  # type: ignore[attr-defined]
        dialog.passphrase.setText("secret words")  # type: ignore[attr-defined]
        dialog.confirm.setText("secret words")  # type: ignore[attr-defined]

    with answering(tmp_path, save_as=[target]) as answerer:
        answerer.fill = fill
        window.export_package_action.trigger()
    assert window.context.last_package == target
    assert read_package(target, "secret words").visit_count == 75
