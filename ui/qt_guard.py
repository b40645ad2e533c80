"""Guards against Qt for Python releases known to break the desktop program.

PySide6 6.12.0 on Python 3.11 hands back ``None`` from every Qt call that returns nothing
(``setText``, ``show``, ...) without taking a reference to it. Each such call lowers ``None``'s
reference count by one until the interpreter aborts ("none_dealloc: deallocating None"), with
no crash dialog and no chance to save: after about thirty visits to the Network view, or a
morning's typing. From Python 3.12 ``None`` is immortal and the fault is harmless.

``pyproject.toml`` and the installer's build keep such releases out; ``none_refcount_drop`` is
the check the tests and ``--selftest`` run, so that a future release with the same fault is
caught before it reaches a school.
"""

from __future__ import annotations

import sys

# Releases seen to leak a reference to None on every Qt call (checked on Python 3.11).
LEAKING_RELEASES = frozenset({"6.12.0"})


def none_refcount_drop(calls: int = 100_000) -> int:
    """Calls a None-returning Qt method ``calls`` times and returns how far ``None``'s
    reference count fell (0 on a sound release).

    Stops early once the count has clearly fallen, so that a leaking release reports a
    failure instead of aborting the interpreter.
    """
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for done in range(calls):
        probe.setObjectName("probe")  # returns None
        if done % 1000 == 999 and before - sys.getrefcount(None) > 500:
            break
    drop = before - sys.getrefcount(None)
    return max(drop, 0)


def qt_version() -> str:
    import PySide6

    return str(PySide6.__version__)
