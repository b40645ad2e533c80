"""File → Export review package: which visits, where to save, then written off the GUI thread."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from nexus_review.domain.wording import counted
from ui.context import AppContext

if TYPE_CHECKING:
    from nexus_review.interchange.package import ExportResult


def export_package(context: AppContext) -> None:
    """Export a review package for the network administrator: which visits, then where."""
    from nexus_review.usecases.packages import export_review_package
    from ui.export_dialogs import ExportPackageDialog

    context.save_open_visit()
    selected = context.chosen_visit_id()
    dialog = ExportPackageDialog(selected, context.parent)
    accepted = dialog.exec() == dialog.DialogCode.Accepted
    dialog.deleteLater()
    if not accepted:
        return
    choice, passphrase = dialog.choice(), dialog.passphrase.text()
    name = f"review-package-{dt.date.today().isoformat()}.nxr"
    target, _ = QFileDialog.getSaveFileName(
        context.parent,
        "Export review package",
        str(context.export_folder() / name),
        "Review packages (*.nxr)",
    )
    if not target:
        return
    context.remember_export_folder(target)
    db, me = context.db, context.settings.get("reviewer/name")
    visit_ids = [selected] if choice == "selected" and selected else None

    def work() -> ExportResult:
        return export_review_package(
            db,
            target,
            visit_ids=visit_ids,
            all_visits=choice == "all",
            passphrase=passphrase or None,
            reviewer=me,
        )

    def done(result: ExportResult) -> None:
        context.show_message(
            f"Review package written to {result.path}: {counted(result.visits, 'visit')}.",
            10000,
        )
        context.last_package = result.path

    context.tasks.run_task("Writing the review package…", work, done)
