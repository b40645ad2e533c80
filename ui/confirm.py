"""Asking before a change, with the change's own words on the button.

One helper instead of the static ``QMessageBox.question``: the box is an ordinary child of the
window (object name ``confirmation``), so a test answers it the way a person does, by clicking
one of its buttons while it is open.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from nexus_review import APP_NAME


def confirm(parent: QWidget | None, text: str, action: str) -> bool:
    """True when the user clicks ``action``; Cancel, Escape or closing the box say no."""
    box = QMessageBox(
        QMessageBox.Icon.Question, APP_NAME, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setObjectName("confirmation")
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(yes)
    box.setEscapeButton(cancel)
    box.exec()
    chosen = box.clickedButton() is yes
    box.deleteLater()
    return chosen
