"""File → Import review packages: the Imports page, where the files are chosen, previewed and merged."""

from __future__ import annotations

from ui.context import AppContext


def import_packages(context: AppContext) -> None:
    """Show the Imports page and ask for the packages (read, previewed and merged there, off
    the GUI thread, one package at a time)."""
    from ui.imports_view import ImportsPage

    page = context.show_section("Imports")
    assert isinstance(page, ImportsPage)
    page.choose_files()
