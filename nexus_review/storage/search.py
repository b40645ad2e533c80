"""The note search index: any part of a word in any note, found without reading every note.

On SQLite with FTS5 the written text of every live visit, piece of evidence, drop-in,
judgement and next step is kept in a full-text index with the trigram tokenizer, so that a
search for any three or more characters is answered from the index (case-insensitive, accented
capitals too; accents themselves count: "eleve" does not find "élève", as before).

The index is kept in step by triggers on the tables themselves, so every write — an edit, an
undo, an import, a tombstone, retention's purge — changes it in the same transaction, whoever
makes it. Shorter searches, searches with control characters, databases without FTS5 and
PostgreSQL use the plain scan (``LIKE``/``ILIKE``) in :func:`repository.search_visit_ids`.

Two tables, outside the ORM's models because they exist only on SQLite:

- ``search_key``: one row per indexed record (its id, and the visit or the evidence it belongs
  to), with an INTEGER PRIMARY KEY, which ``VACUUM`` never renumbers;
- ``search_text``: the FTS5 index, one document per ``search_key`` row (same rowid), the
  record's text fields joined by a unit separator (a search cannot match across two fields).
  It is contentless (``content=''``): it keeps the trigrams, not a second copy of every note,
  which would make the database file half as large again. A search needs only the rowids it
  finds; a record leaves the index by FTS5's ``'delete'`` command, given the text it was
  indexed with, which the triggers read from the record's old values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

KEY_TABLE = "search_key"
TEXT_TABLE = "search_text"
# The FTS5 table and the tables FTS5 keeps behind it: none of them is an ORM model.
INDEX_TABLES = frozenset(
    {KEY_TABLE, TEXT_TABLE}
    | {f"{TEXT_TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config")}
)
# Trigrams: a search of fewer characters cannot be answered from the index.
SHORTEST = 3
SEPARATOR = "\x1f"


# table -> (its searchable text columns, the column giving its visit, the one giving its evidence)
SOURCES: dict[str, tuple[tuple[str, ...], str | None, str | None]] = {
    "visit": (("summary", "strengths", "areas_for_development", "questions"), "id", None),
    "evidence": (
        (
            "notes",
            "strengths",
            "areas_for_development",
            "who_what",
            "subject",
            "class_name",
            "staff",
        ),
        "visit_id",
        None,
    ),
    "drop_in": (("note",), None, "evidence_id"),
    "judgement": (("rationale",), "visit_id", None),
    "action": (("description", "owner"), "visit_id", None),
}


def _body(row: str, columns: tuple[str, ...]) -> str:
    return " || char(31) || ".join(f"coalesce({row}.{c}, '')" for c in columns)


def _owner(row: str, column: str | None) -> str:
    return f"{row}.{column}" if column else "NULL"


def _statements() -> list[str]:
    """The SQL that makes the index, its triggers included (SQLite only)."""
    out = [
        f"CREATE TABLE {KEY_TABLE} (id INTEGER PRIMARY KEY, record_id VARCHAR(36) NOT NULL UNIQUE, "
        "visit_id VARCHAR(36), evidence_id VARCHAR(36))",
        f"CREATE VIRTUAL TABLE {TEXT_TABLE} USING fts5(body, content = '', tokenize = 'trigram')",
    ]
    for table, (columns, visit, evidence) in SOURCES.items():
        add = (
            f"INSERT INTO {KEY_TABLE} (record_id, visit_id, evidence_id) "
            f"SELECT new.id, {_owner('new', visit)}, {_owner('new', evidence)} WHERE new.deleted = 0; "
            f"INSERT INTO {TEXT_TABLE} (rowid, body) SELECT k.id, {_body('new', columns)} "
            f"FROM {KEY_TABLE} k WHERE k.record_id = new.id AND new.deleted = 0;"
        )
        # The old values are the text the record was indexed with: every change to them
        # passes through these triggers.
        remove = (
            f"INSERT INTO {TEXT_TABLE} ({TEXT_TABLE}, rowid, body) SELECT 'delete', k.id, {_body('old', columns)} "
            f"FROM {KEY_TABLE} k WHERE k.record_id = old.id; "
            f"DELETE FROM {KEY_TABLE} WHERE record_id = old.id;"
        )
        watched = ", ".join(
            dict.fromkeys(("id", "deleted", *columns, *(c for c in (visit, evidence) if c)))
        )
        out += [
            f"CREATE TRIGGER {KEY_TABLE}_{table}_insert AFTER INSERT ON {table} BEGIN {add} END",
            f"CREATE TRIGGER {KEY_TABLE}_{table}_delete AFTER DELETE ON {table} BEGIN {remove} END",
            f"CREATE TRIGGER {KEY_TABLE}_{table}_update AFTER UPDATE OF {watched} ON {table} BEGIN {remove} {add} END",
        ]
    return out


def fts5_available(conn: Connection) -> bool:
    """True on SQLite built with FTS5 and its trigram tokenizer (SQLite 3.34 and later)."""
    if conn.dialect.name != "sqlite":
        return False
    try:
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.nexus_fts5_probe USING fts5(x, tokenize = 'trigram')"
        )
    except DBAPIError:  # no FTS5 module, or no trigram tokenizer (before SQLite 3.34)
        return False
    conn.exec_driver_sql("DROP TABLE temp.nexus_fts5_probe")
    return True


def install(conn: Connection) -> bool:
    """Make the index (empty tables get an empty index) and fill it from the records there.
    Does nothing, and gives False, where the database cannot hold it."""
    if not fts5_available(conn):
        return False
    for statement in _statements():
        conn.exec_driver_sql(statement)
    rebuild(conn)
    return True


def uninstall(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for table in SOURCES:
        for event in ("insert", "delete", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {KEY_TABLE}_{table}_{event}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TEXT_TABLE}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {KEY_TABLE}")


def rebuild(conn: Connection) -> None:
    """Fill the index afresh from the live records (a migration, or a repair)."""
    conn.exec_driver_sql(f"INSERT INTO {TEXT_TABLE} ({TEXT_TABLE}) VALUES ('delete-all')")
    conn.exec_driver_sql(f"DELETE FROM {KEY_TABLE}")
    for table, (columns, visit, evidence) in SOURCES.items():
        conn.exec_driver_sql(
            f"INSERT INTO {KEY_TABLE} (record_id, visit_id, evidence_id) "
            f"SELECT t.id, {_owner('t', visit)}, {_owner('t', evidence)} FROM {table} t WHERE t.deleted = 0"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {TEXT_TABLE} (rowid, body) SELECT k.id, {_body('t', columns)} "
            f"FROM {table} t JOIN {KEY_TABLE} k ON k.record_id = t.id WHERE t.deleted = 0"
        )


def has_index(session: Session) -> bool:
    bind: Any = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (:k, :t)"),
        {"k": KEY_TABLE, "t": TEXT_TABLE},
    ).scalar()
    return found == 2


def answerable(search: str) -> bool:
    """Whether the index can answer this (already stripped) search exactly."""
    return len(search) >= SHORTEST and not any(ord(ch) < 32 or ord(ch) == 127 for ch in search)


def indexed_visit_ids(session: Session, search: str) -> set[str]:
    """Visits with the text in any indexed field (the index must be there: see :func:`has_index`)."""
    phrase = '"' + search.replace('"', '""') + '"'
    rows = session.execute(
        text(
            f"SELECT DISTINCT coalesce(k.visit_id, e.visit_id) FROM {TEXT_TABLE} f "
            f"JOIN {KEY_TABLE} k ON k.id = f.rowid "
            "LEFT JOIN evidence e ON e.id = k.evidence_id "
            f"WHERE {TEXT_TABLE} MATCH :phrase"
        ),
        {"phrase": phrase},
    )
    return {r[0] for r in rows if r[0] is not None}
