"""The Qt for Python release in use must not leak references to None (PySide6 6.12.0 on
Python 3.11 does, and the program then aborts after minutes of use)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from PySide6.QtWidgets import QLabel

from ui.qt_guard import LEAKING_RELEASES, none_refcount_drop, qt_version

ROOT = Path(__file__).resolve().parents[2]


def test_qt_calls_keep_none_referenced(qapp) -> None:  # type: ignore[no-untyped-def]
    assert none_refcount_drop(100_000) < 50, (
        f"PySide6 {qt_version()} drops a reference to None on each Qt call; "
        "the desktop program would abort after minutes of use"
    )


def test_widget_calls_keep_none_referenced(qapp) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    before = sys.getrefcount(None)
    for n in range(20_000):
        label.setText("Mrs Patel's class")
        label.setToolTip("Year 4")
        if n % 1000 == 999 and before - sys.getrefcount(None) > 500:
            break
    assert before - sys.getrefcount(None) < 50


def test_installed_release_is_not_a_known_leaking_one() -> None:
    assert qt_version() not in LEAKING_RELEASES


def test_requirements_exclude_the_leaking_releases() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirement = Requirement(next(d for d in project["dependencies"] if d.startswith("PySide6")))
    for release in LEAKING_RELEASES:
        assert not requirement.specifier.contains(release)
    spec = (ROOT / "build_installer.spec").read_text()
    assert "LEAKING_RELEASES" in spec
