"""Edits that could not be saved yet, kept on disk beside the settings until they are.

When a save fails (the database is locked by another program, the disk is full) the desktop
program keeps typing in its queue and retries. So that a reviewer who has to close the laptop
(or whose battery dies) still loses nothing, the queue is also written here after every failed
save, and saved into the database the next time the visit is opened. The file is JSON, each
value written and read back by its column's type (as in visit files); nothing in it is ever
executed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nexus_review.domain.working_copy import Table
from nexus_review.paths import data_dir
from nexus_review.storage.serialize import dump_value, from_dict
from nexus_review.workspace import EDITABLE, Change, check_change, coalesce

MAX_BYTES = 32 * 1024 * 1024  # far beyond a day of typing; anything larger is not ours


def journal_path(database: str, visit_id: str) -> Path:
    key = hashlib.sha256(f"{database}\n{visit_id}".encode()).hexdigest()[:24]
    return data_dir() / "unsaved" / f"{key}.json"


def _encode(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else {k: dump_value(v) for k, v in values.items()}


def _decode(table: Table, values: Any) -> dict[str, Any] | None:
    """Column values read back by their columns' types (ValueError if they do not fit)."""
    if values is None:
        return None
    if not isinstance(values, dict) or table not in EDITABLE:
        raise ValueError("not a change the program makes")
    parsed = from_dict(EDITABLE[table], values)
    if set(parsed) != set(values):
        raise ValueError("a field no record has")
    return parsed


def keep(database: str, visit_id: str, changes: Sequence[Change]) -> Path:
    """Write the unsaved changes of a visit (replacing what was kept before)."""
    path = journal_path(database, visit_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "database": database,
        "visit_id": visit_id,
        "kept_at": dt.datetime.now(dt.UTC).isoformat(),
        "changes": [
            {
                "table": c.table,
                "id": c.record_id,
                "values": _encode(c.values),
                "create": _encode(c.create),
            }
            for c in coalesce(changes)
        ],
    }
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(body, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def set_aside(database: str, visit_id: str, change: Change) -> Path:
    """Keep a change that can never be saved (its record is no longer in the database) in a
    file of its own beside the journal, for a person to look at; the file's path."""
    folder = journal_path(database, visit_id).parent
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"set-aside-{stamp}.json"
    body = {
        "database": database,
        "visit_id": visit_id,
        "table": change.table,
        "id": change.record_id,
        "values": _encode(change.values),
        "create": _encode(change.create),
    }
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return path


def kept(database: str, visit_id: str) -> list[Change]:
    """The changes kept for a visit, oldest first; none if there is no readable file."""
    path = journal_path(database, visit_id)
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return []
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out: list[Change] = []
    for raw in body.get("changes", []) if isinstance(body, dict) else []:
        try:
            table = Table(str(raw["table"]))  # ValueError for a table the program never edits
            change = Change(
                table,
                str(raw["id"]),
                _decode(table, raw.get("values") or {}) or {},
                _decode(table, raw.get("create")),
            )
            check_change(change.table, change.values)
            if change.create is not None:
                check_change(change.table, change.create)
        except (KeyError, TypeError, ValueError):
            continue
        out.append(change)
    return out


def forget(database: str, visit_id: str) -> None:
    journal_path(database, visit_id).unlink(missing_ok=True)
