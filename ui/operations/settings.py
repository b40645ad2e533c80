"""File → Settings: the settings dialog, applied to the open window and visit when accepted."""

from __future__ import annotations

from ui.context import AppContext
from ui.operations.retention import apply_retention


def open_settings(context: AppContext) -> None:
    from nexus_review.usecases import visits
    from nexus_review.usecases.network import lesson_grading_enabled, set_lesson_grading
    from ui.dialogs import SettingsDialog

    db, settings = context.db, context.settings
    schools = visits.schools(db)
    grading = lesson_grading_enabled(db)
    dialog = SettingsDialog(settings, schools, context.parent, lesson_grading=grading)
    years = dialog.retention_years
    dialog.retention_button.clicked.connect(lambda: apply_retention(context, years.value()))
    accepted = dialog.exec() == dialog.DialogCode.Accepted
    wanted = dialog.lesson_grading.isChecked()
    if accepted:
        dialog.apply()
    dialog.deleteLater()
    if not accepted:
        return
    from ui.app import apply_theme

    apply_theme(settings.get("appearance/theme"))
    context.update_title()
    if context.session is not None:
        context.session.set_autosave_ms(settings.get("editing/autosave_ms"))
    if wanted != grading:
        set_lesson_grading(context.db, wanted)
        if context.editor is not None and context.editor.built("evidence"):
            # (an evidence log built later reads the network's choice itself)
            context.editor.evidence.form.set_lesson_grading(wanted)
