"""What every area's queries share: ids as users type them, counts, and records read or
written in bulk as plain rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from nexus_review.errors import NotFoundError

T = TypeVar("T")
CHUNK = 500
_ID_PREFIX = re.compile(r"[0-9a-f-]{1,36}")


def id_prefix(given: str, what: str) -> str:
    """An id or the start of one as a user types it (spaces around it and capitals allowed),
    checked to be hex digits and dashes only, so that it can never act as a LIKE pattern."""
    given = given.strip(" ").lower()
    if not _ID_PREFIX.fullmatch(given):
        shown = given[:40].encode("unicode_escape").decode("ascii")
        raise NotFoundError(
            f"There is no {what} with the id '{shown}'; an id has only the digits 0-9, the letters a-f and dashes."
        )
    if len(given) < 4:
        raise NotFoundError(
            f"'{given}' is too short to name a {what}; give at least 4 characters of its id."
        )
    return given


def count_active(session: Session, model: Any) -> int:
    return int(
        session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False))) or 0
    )


def insert_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """New records of one table in one statement, written exactly as given."""
    session.execute(insert(model), rows)


def update_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Records of one table updated by primary key in one statement, exactly as given."""
    session.execute(update(model), rows)


def chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """Values in slices small enough for one ``IN (...)``: within SQLite's limit on bound values."""
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _serialised_rows(
    session: Session, model: Any, column: str, values: Sequence[Any], *, live_only: bool
) -> Iterator[dict[str, Any]]:
    """Records whose ``column`` is one of ``values``, read as plain rows and serialised as
    :func:`serialize.to_dict` gives them."""
    from nexus_review.storage.serialize import dump_value

    table = model.__table__
    keys = [c.key for c in table.columns]
    for chunk in chunks(values):
        query = select(*table.columns).where(table.c[column].in_(chunk))
        if live_only:
            query = query.where(table.c.deleted.is_(False)).order_by(table.c.id)
        for row in session.execute(query):
            yield {k: dump_value(v) for k, v in zip(keys, row, strict=True)}


def live_by_natural_key(
    session: Session, model: Any, columns: tuple[str, ...], first_values: list[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Live records by natural key, for keys whose first column is one of ``first_values``
    (as serialised dicts), the oldest id first when a database already holds two."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for data in _serialised_rows(
        session, model, columns[0], sorted(set(first_values)), live_only=True
    ):
        out.setdefault(tuple(data[c] for c in columns), data)
    return out


def rows_by_id(session: Session, model: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Records as serialised dicts (as :func:`serialize.to_dict` gives them), read as plain
    rows: much quicker than loading ORM objects when a merge compares thousands of records."""
    return {
        data["id"]: data for data in _serialised_rows(session, model, "id", ids, live_only=False)
    }


def records_by_id(session: Session, model: Any, ids: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for chunk in chunks(ids):
        out.update(
            {obj.id: obj for obj in session.scalars(select(model).where(model.id.in_(chunk)))}
        )
    return out


def all_ids(session: Session, model: Any) -> set[str]:
    """The id of every record of a table, tombstones included."""
    return set(session.scalars(select(model.id)))


def add_as_written(session: Session, records: Iterable[Any]) -> None:
    """New records written exactly as given, with their own device, revision, version clock
    and timestamps (not stamped as this database's changes)."""
    previous = session.info.get("raw_sync")
    session.info["raw_sync"] = True
    try:
        session.add_all(records)
        session.flush()
    finally:
        if previous is None:
            session.info.pop("raw_sync", None)
        else:
            session.info["raw_sync"] = previous
