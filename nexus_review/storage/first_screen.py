"""The visit list's first screen, read straight from the file while the program starts.

The desktop program shows its window before SQLAlchemy is loaded and the database is opened
for work (the lock, the check, migrations: :mod:`nexus_review.usecases.opening`). So that a
head sees their visits at once rather than an empty list, the newest visits are read here
with Python's own ``sqlite3``, read-only (the file is never created, written or migrated),
and only when the file already has the schema this program knows. Anything unusual (no
file, a database server, an older or newer schema, a damaged or busy file) reads nothing:
the list is then filled when the database is open, as before.

The rows are the list's own (:class:`VisitSummary`, as ``repositories.visits.visit_summaries``
reads them, newest first); a test compares the two on the same database.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from nexus_review.domain.records import VisitSummary
from nexus_review.storage.revision import SCHEMA_HEAD

# The list's default order (date, newest first; then id, as ``ordered_visit_ids`` sorts).
_NEWEST_VISITS = """
SELECT v.id, v.visit_date, v.host_school_id, s.name, v.kind, v.status, v.framework_key,
       v.focus_areas, v.updated_at
FROM visit AS v JOIN school AS s ON s.id = v.host_school_id
WHERE v.deleted = 0
ORDER BY v.visit_date DESC, v.id DESC
LIMIT ?
"""
_LIVE_VISITS = "SELECT count(*) FROM visit WHERE deleted = 0"
_TEAMS = """
SELECT vr.visit_id, r.name
FROM visit_reviewer AS vr JOIN reviewer AS r ON r.id = vr.reviewer_id
WHERE vr.deleted = 0 AND vr.visit_id IN ({marks})
ORDER BY vr.visit_id, vr.is_lead DESC, vr.position
"""


def _file_of(target: str | Path) -> Path | None:
    """The file a path or ``sqlite:///`` URL names, read as ``storage.connection.database_url``
    reads it, without its SQLAlchemy URL parser (the point of the first screen)."""
    text = str(target)
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
    elif "://" in text:
        return None  # a database server: filled when it is open
    path = Path(text).expanduser()
    return path if path.is_file() and path.stat().st_size > 0 else None


def newest_visits(target: str | Path, limit: int) -> tuple[list[VisitSummary], int] | None:
    """The ``limit`` newest live visits and how many live visits there are, or None when the
    file cannot be read this way (the list then waits for the database to open)."""
    path = _file_of(target)
    if path is None:
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
    except (sqlite3.Error, ValueError, OSError):
        return None
    try:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if version != [(SCHEMA_HEAD,)]:
            return None  # to be migrated (or from a newer program): opening decides
        rows = connection.execute(_NEWEST_VISITS, (limit,)).fetchall()
        (total,) = connection.execute(_LIVE_VISITS).fetchone()
        teams: dict[str, list[str]] = {}
        if rows:
            marks = ",".join("?" * len(rows))
            for visit_id, name in connection.execute(
                _TEAMS.format(marks=marks), [r[0] for r in rows]
            ):
                teams.setdefault(visit_id, []).append(name)
        visits = [
            VisitSummary(
                id=r[0],
                visit_date=dt.date.fromisoformat(r[1]),
                host_school_id=r[2],
                host_school_name=r[3],
                kind=r[4],
                status=r[5],
                framework_key=r[6],
                reviewers=tuple(teams.get(r[0], ())),
                focus_areas=tuple(str(f) for f in (json.loads(r[7]) if r[7] else ())),
                updated_at=dt.datetime.fromisoformat(r[8]).replace(tzinfo=dt.UTC),
            )
            for r in rows
        ]
    except (sqlite3.Error, ValueError, TypeError):
        return None  # damaged, busy or not ours: the opening says what is wrong
    finally:
        connection.close()
    return visits, int(total)
