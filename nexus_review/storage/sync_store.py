"""What a server sync keeps and reads: acknowledgements, pending commits, the records it moves,
and the server-side unit of work that is prepared (two-phase) before the laptop commits.

A laptop remembers, per server (by the server's database id):

- ``sync_ack:<server>``: how far the server has acknowledged each of the laptop's own changes
  (record id -> {device id: counter}), the same idea as a package's export marks, kept apart
  from them: a package sent by e-mail says nothing about what the server holds;
- ``sync_pending:<server>``: the id of the server transaction prepared for the sync the laptop
  has just committed, until the server has committed it too.

The server remembers, per laptop (by the laptop's device id), ``sync_receipt:<device>``: the
id of the last sync it committed, written in that sync's own transaction.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from nexus_review.storage.database import Database, get_info, set_info
from nexus_review.storage.models import (
    Action,
    Conflict,
    DropIn,
    Evidence,
    Judgement,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    School,
    SchoolPriority,
    Visit,
    VisitReviewer,
)
from nexus_review.storage.stamping import NexusSession

ServerError = DBAPIError  # what a failure on the server raises, for the use cases to catch

ACK = "sync_ack:"
PENDING = "sync_pending:"
RECEIPT = "sync_receipt:"
GID_PREFIX = "nexus-sync-"
_GID = re.compile(r"^nexus-sync-[0-9a-f]{1,40}-[0-9a-f]{1,40}\Z")


def database_uid(session: Session) -> str:
    return get_info(session, "database_uid")


def acknowledged(session: Session, server_uid: str) -> dict[str, dict[str, int]]:
    try:
        marks = json.loads(get_info(session, ACK + server_uid) or "{}")
    except ValueError:
        return {}
    return marks if isinstance(marks, dict) else {}


def set_acknowledged(session: Session, server_uid: str, marks: dict[str, dict[str, int]]) -> None:
    set_info(session, ACK + server_uid, json.dumps(marks, sort_keys=True, separators=(",", ":")))


def with_acknowledged(
    marks: dict[str, dict[str, int]], records: Iterable[dict[str, Any]], own_devices: list[str]
) -> dict[str, dict[str, int]]:
    """The marks once the server holds these records (serialised, as a package holds them)."""
    out = {k: dict(v) for k, v in marks.items()}
    for row in records:
        clock = row.get("vclock") or {}
        own = {d: int(clock[d]) for d in own_devices if d in clock}
        if own:
            out[str(row["id"])] = {**out.get(str(row["id"]), {}), **own}
    return out


def visits_changed_since(
    session: Session, own_devices: list[str], marks: dict[str, dict[str, int]]
) -> list[str]:
    """Visits (tombstoned ones too) holding a change of this database's that the server has
    not acknowledged; decided by version vectors, never by the clock."""
    if not own_devices:
        return []

    def unsent(record_id: str, clock: dict[str, Any] | None) -> bool:
        mark = marks.get(record_id, {})
        return any(int((clock or {}).get(d, 0)) > int(mark.get(d, 0)) for d in own_devices)

    changed = {
        vid for vid, clock in session.execute(select(Visit.id, Visit.vclock)) if unsent(vid, clock)
    }
    for model in (VisitReviewer, Evidence, Judgement, Action):
        rows = session.execute(select(model.id, model.visit_id, model.vclock))
        changed |= {vid for rid, vid, clock in rows if unsent(rid, clock)}
    rows = session.execute(
        select(DropIn.id, Evidence.visit_id, DropIn.vclock).join(
            Evidence, DropIn.evidence_id == Evidence.id
        )
    )
    changed |= {vid for rid, vid, clock in rows if unsent(rid, clock)}
    return sorted(changed)


def reference_changed_since(
    session: Session, own_devices: list[str], marks: dict[str, dict[str, int]]
) -> bool:
    """Whether this database changed any of the network's reference data unacknowledged."""
    for model in (School, ReviewGroup, ReviewGroupMember, Reviewer, SchoolPriority):
        for rid, clock in session.execute(select(model.id, model.vclock)):
            mark = marks.get(rid, {})
            if any(int((clock or {}).get(d, 0)) > int(mark.get(d, 0)) for d in own_devices):
                return True
    return False


REFERENCE_MODELS: dict[str, Any] = {
    "school": School,
    "review_group": ReviewGroup,
    "review_group_member": ReviewGroupMember,
    "reviewer": Reviewer,
    "school_priority": SchoolPriority,
}


def reference_records(session: Session) -> dict[str, list[Any]]:
    """The network's reference data, tombstones included, parents first."""
    return {
        table: list(session.scalars(select(model).order_by(model.id)))
        for table, model in REFERENCE_MODELS.items()
    }


def own_team_visits(session: Session) -> list[str]:
    """On a server set up with logins (``server init``), the visits whose team includes the
    reviewer the current login is; otherwise none (a laptop then receives only the visits it
    holds)."""
    if session.execute(text("SELECT to_regprocedure('nexus_my_reviewer()')")).scalar() is None:
        return []
    reviewer = session.execute(text("SELECT nexus_my_reviewer()")).scalar()
    if not reviewer:
        return []
    query = select(VisitReviewer.visit_id).where(
        VisitReviewer.reviewer_id == reviewer, VisitReviewer.deleted.is_(False)
    )
    return sorted(set(session.scalars(query)))


def existing_visit_ids(session: Session, visit_ids: list[str]) -> list[str]:
    found: set[str] = set()
    for start in range(0, len(visit_ids), 500):
        chunk = visit_ids[start : start + 500]
        found |= set(session.scalars(select(Visit.id).where(Visit.id.in_(chunk))))
    return sorted(found)


def add_mirrored_conflicts(
    session: Session, import_id: str | None, conflicts: list[dict[str, Any]]
) -> None:
    """The server's conflicts from a sync, recorded on the laptop too, seen from the laptop's
    side: its own version is "ours" here."""
    swap = {"ours": "theirs", "theirs": "ours"}
    session.add_all(
        Conflict(
            import_id=import_id, table_name=c["table_name"], record_id=c["record_id"], ours=c["theirs"],
            theirs=c["ours"], shown=swap.get(c["shown"], c["shown"]), field_name=c["field_name"],
        )
        for c in conflicts
    )  # fmt: skip


# ---------------------------------------------------------------------------- the server side


def _checked(gid: str) -> str:
    if not _GID.match(gid):
        raise ValueError(f"not a sync transaction id: {gid!r}")
    return gid


class ServerUnit:
    """One unit of work on the server, prepared (PREPARE TRANSACTION) rather than committed, so
    that it can be committed once the laptop has committed its side, or rolled back."""

    def __init__(self, db: Database, gid: str) -> None:
        self.gid = _checked(gid)
        self.connection: Connection = db.engine.connect()
        self.session = NexusSession(
            bind=self.connection, info={"device_id": db.device_id}, expire_on_commit=False
        )
        self.prepared = False

    def serializable(self) -> None:
        self.session.execute(text("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"))
        # A record held by a sync that was cut off mid-way is waited for this long at most.
        self.session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'"))

    def prepare(self) -> None:
        self.session.flush()
        self.session.execute(text(f"PREPARE TRANSACTION '{self.gid}'"))
        self.prepared = True

    def close(self) -> None:
        """Ends the connection; before PREPARE, that rolls the work back."""
        try:
            self.session.close()
        finally:
            self.connection.invalidate()
            self.connection.close()


def _autocommit(db: Database) -> Connection:
    return db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")


# The network's writers in bulk (a laptop's sync, an administrator's package import) take turns
# on the server: each holds this advisory lock (per database) from before its unit of work
# begins until it is committed, on a connection of its own, so that its snapshot is taken after
# the previous writer committed. Without it, twenty serialisable syncs at once mostly fail each
# other (they read and add to the same index pages) and retry without end; with it they never
# collide with one another, and anything else that writes at the same moment (an edit in the
# desktop program on the server) is still caught by serialisable isolation and retried. If the
# program dies, its connection closes and the lock goes with it.
WRITE_LOCK = 0x4E585257  # "NXRW"
LOCK_TIMEOUT_S = 30


@contextlib.contextmanager
def network_write_lock(db: Database) -> Iterator[None]:
    if not is_server(db):
        yield
        return
    conn = _autocommit(db)
    try:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": WRITE_LOCK})
        yield
    finally:
        conn.invalidate()  # the connection ends, and the lock with it
        conn.close()


def limit_lock_wait(session: Session, seconds: int) -> None:
    """In this transaction on the server, wait at most this long for a record another
    transaction holds (a sync prepared and cut off), then fail with lock_timeout (55P03)."""
    session.execute(text(f"SET LOCAL lock_timeout = '{int(seconds)}s'"))


def abandoned_syncs(db: Database, older_than_minutes: int) -> list[str]:
    """Prepared syncs of any laptop left longer than this (the laptop died or went offline
    mid-sync): they hold row locks until resolved. Rolling one back is safe: the server then has
    no receipt for it, so that laptop sends its changes again at its next sync."""
    with _autocommit(db) as conn:
        rows = conn.execute(
            text(
                "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE :p "
                "AND prepared < now() - make_interval(mins => :m)"
            ),
            {"p": f"{GID_PREFIX}%", "m": older_than_minutes},
        )
        return sorted(str(r[0]) for r in rows if _GID.match(str(r[0])))


def device_of(gid: str) -> str:
    """The device that ran a sync, from the sync's id."""
    return _checked(gid).split("-")[2]


def prepared_syncs(db: Database, device: str) -> list[str]:
    """The prepared, not yet committed, sync transactions of one laptop on this server."""
    with _autocommit(db) as conn:
        rows = conn.execute(
            text(
                "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE :p"
            ),
            {"p": f"{GID_PREFIX}{device}-%"},
        )
        return sorted(str(r[0]) for r in rows)


def commit_prepared(db: Database, gid: str) -> None:
    with _autocommit(db) as conn:
        conn.execute(text(f"COMMIT PREPARED '{_checked(gid)}'"))


def rollback_prepared(db: Database, gid: str) -> None:
    with _autocommit(db) as conn:
        conn.execute(text(f"ROLLBACK PREPARED '{_checked(gid)}'"))


def receipt(db: Database, device: str) -> str:
    with db.reading() as session:
        return get_info(session, RECEIPT + device)


def is_server(db: Database) -> bool:
    return db.engine.dialect.name == "postgresql"
