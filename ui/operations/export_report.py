"""File → Export report as Word or PDF: options, where to save, then written off the GUI thread."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.errors import show_error


def export_report(context: AppContext, fmt: str) -> None:
    """Export the open (or selected) visit's feedback report: options, then where to save."""
    visit_id = context.chosen_visit_id()
    if not visit_id:
        show_error(
            context.parent, NexusError("Choose a visit first: open it, or select it in the list.")
        )
        return
    context.save_open_visit()
    from ui.export_dialogs import ExportDialog

    dialog = ExportDialog(fmt, context.settings, context.parent)
    accepted = dialog.exec() == dialog.DialogCode.Accepted
    dialog.deleteLater()
    if not accepted:
        return
    dialog.remember()
    options = dialog.options()
    open_after = dialog.open_after.isChecked()
    from nexus_review.usecases import visits
    from ui.export_dialogs import suggested_report_name

    db = context.db
    detail = visits.visit_detail(db, visit_id)
    suggested = context.export_folder() / suggested_report_name(
        detail.host_school.name, detail.visit_date, fmt
    )
    kind = "Word document (*.docx)" if fmt == "docx" else "PDF document (*.pdf)"
    target, _ = QFileDialog.getSaveFileName(
        context.parent, "Export the feedback report", str(suggested), kind
    )
    if not target:
        return
    context.remember_export_folder(target)
    from nexus_review.usecases.reports import export_visit_report

    def done(path: Path) -> None:
        context.show_message(f"Feedback report written to {path}", 8000)
        context.last_export = path
        if open_after and not os.environ.get("NEXUS_REVIEW_NO_OPEN"):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    context.tasks.run_task(
        "Exporting the feedback report…",
        lambda: export_visit_report(db, visit_id, fmt, target, options),
        done,
    )
