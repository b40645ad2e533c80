"""Syncing a laptop with the network server: the same merge as review packages, both ways,
exactly once.

A sync pushes the visits holding the laptop's changes that the server has not acknowledged,
and pulls what the server holds for the laptop's visits (and visits whose team includes a
reviewer the laptop's visits name), with the network's reference data (schools, review groups,
reviewers, priorities). Conflicts are kept on each side, as a package import keeps them.

Exactly once, across two databases, by a two-phase commit:

1. on the server, in one serialisable transaction: merge the laptop's changes, note the sync's
   id as the laptop's receipt, read what the laptop is to receive; then PREPARE it (it is
   durable, but nobody sees it yet);
2. on the laptop, in one transaction: merge what the server sent, record what the server now
   acknowledges, and note the prepared transaction as pending;
3. COMMIT PREPARED on the server, then clear the pending note.

Cut off before 2 commits, the server's prepared work is rolled back (at once, or by the
laptop's next sync): both sides as before. Cut off after it, both sides are synced as soon as
the server commits, which the next sync does first if the connection was lost (it finds the
pending note). A server that lost the prepared work meanwhile (an administrator rolled it
back) has no receipt for it: the laptop forgets what it believed acknowledged, and its next
sync sends its changes again; the merge makes that harmless.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nexus_review.errors import DatabaseError, NexusError
from nexus_review.interchange.package import Package, validate_payload
from nexus_review.merge import ImportResult, apply_in_session
from nexus_review.storage import repository as repo
from nexus_review.storage import sync_store as store
from nexus_review.storage.backups import make_backup
from nexus_review.storage.connection import (
    database_url,
    is_retryable,
    shown_location,
    translate_error,
    with_password,
    without_password,
)
from nexus_review.storage.database import Database, get_info, open_database, set_info
from nexus_review.storage.devices import own_device_ids
from nexus_review.storage.serialize import to_dict

log = logging.getLogger(__name__)

ATTEMPTS = 8  # serialisation failures under load: retried with a growing pause
ABANDONED_MINUTES = 10  # a sync prepared on the server and left this long is rolled back


class SyncError(DatabaseError):
    """The sync could not be done; nothing was changed on either side."""


@dataclass(frozen=True)
class SyncResult:
    server: str
    pushed_visits: int
    sent: ImportResult | None  # what the server took in (None: nothing to send)
    received: ImportResult | None  # what the laptop took in (None: nothing new)
    finished_earlier: bool  # an earlier, cut-off sync was finished first

    @property
    def conflicts(self) -> int:
        return (self.sent.conflicts if self.sent else 0) + (
            self.received.conflicts if self.received else 0
        )

    def sentence(self) -> str:
        sent = self.sent.added + self.sent.updated if self.sent and self.sent.applied else 0
        got = (
            self.received.added + self.received.updated
            if self.received and self.received.applied
            else 0
        )
        parts = [
            f"Synced with {self.server}: sent {sent} change{'s' if sent != 1 else ''} "
            f"from {self.pushed_visits} visit{'s' if self.pushed_visits != 1 else ''}, "
            f"received {got} change{'s' if got != 1 else ''}"
        ]
        if self.conflicts:
            parts.append(
                f"; {self.conflicts} field{'s' if self.conflicts != 1 else ''} changed on both sides kept both ways"
            )
        closed = (self.sent.closed if self.sent else 0) + (
            self.received.closed if self.received else 0
        )
        if closed:
            parts.append(
                f"; {closed} conflict{'s' if closed != 1 else ''} resolved on one side closed on the other"
            )
        return "".join(parts) + "."


def connect_server(url: str) -> Database:
    """The network server, opened (and its schema brought up to date); one sentence if not."""
    if "://" not in url or not url.split("://", 1)[0].startswith("postgresql"):
        raise SyncError(
            "The network server is given as a postgresql:// address; check the address."
        )
    return open_database(url)


def _package(
    name: str, reviewer: str, device: str, records: dict[str, list[dict[str, Any]]]
) -> Package:
    """Records as a package holds them, checked like any package read from a file: whichever
    side sent them, they are read as data from elsewhere."""
    data = {"records": records}
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    checked = validate_payload(json.loads(raw), name)
    return Package(
        name=name, manifest={"reviewer": reviewer, "device_id": device}, records=checked,
        sha256=hashlib.sha256(raw).hexdigest(),
    )  # fmt: skip


def _serialised(records: dict[str, list[Any]]) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [to_dict(obj, versions=True) for obj in objs]
        for table, objs in records.items()
        if objs
    }


def _merge_tables(*parts: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Tables in package order, each record once."""
    from nexus_review.interchange.package import TABLES

    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        seen: dict[str, dict[str, Any]] = {}
        for part in parts:
            for row in part.get(table, []):
                seen.setdefault(str(row["id"]), row)
        if seen:
            out[table] = [seen[k] for k in sorted(seen)]
    return out


def finish_interrupted(laptop: Database, server: Database) -> bool:
    """Finish (or undo) what an earlier sync with this server left: True if it found some.

    Syncs are named after the device id that ran them, not the database's own id: two laptops
    set up from one copied file share that, but never a device id."""
    with server.reading() as session:
        server_uid = store.database_uid(session)
    with laptop.reading() as session:
        pending = get_info(session, store.PENDING + server_uid)
    prepared = store.prepared_syncs(server, laptop.device_id)
    found = bool(pending) or bool(prepared)
    if pending:
        device = store.device_of(pending)
        if pending in store.prepared_syncs(server, device):
            store.commit_prepared(server, pending)
        elif store.receipt(server, device) != pending:
            # The server lost it: what the laptop believed acknowledged is not; send it again.
            log.warning(
                "sync %s was not committed on the server; its changes will be sent again", pending
            )
            with laptop.transaction() as session:
                store.set_acknowledged(session, server_uid, {})
        with laptop.transaction() as session:
            set_info(session, store.PENDING + server_uid, "")
    for gid in prepared:
        if gid != pending:  # prepared, but the laptop never committed its side
            store.rollback_prepared(server, gid)
    for gid in store.abandoned_syncs(server, ABANDONED_MINUTES):
        if gid != pending:
            log.warning("rolling back sync %s, abandoned on the server by another laptop", gid)
            with contextlib.suppress(store.ServerError):  # that laptop may be finishing it now
                store.rollback_prepared(server, gid)
    return found


def _attempt(laptop: Database, server: Database, server_uid: str) -> SyncResult:
    with laptop.reading() as session:
        own = own_device_ids(session) or [laptop.device_id]
        marks = store.acknowledged(session, server_uid)
        chosen = store.visits_changed_since(session, own, marks)
        push_records = _serialised(repo.package_records(session, chosen)) if chosen else {}
        if store.reference_changed_since(session, own, marks):
            push_records = _merge_tables(
                push_records, _serialised(store.reference_records(session))
            )
        laptop_visits = repo.all_visit_ids(session)
        reviewer = repo.lead_reviewer_name(session, chosen) if chosen else ""
    push = (
        _package("the sync from this laptop", reviewer, laptop.device_id, push_records)
        if push_records
        else None
    )

    with store.network_write_lock(server):
        gid = f"{store.GID_PREFIX}{laptop.device_id}-{uuid.uuid4().hex[:16]}"
        unit = store.ServerUnit(server, gid)
        try:
            unit.serializable()
            planned: list[Any] = []
            sent = (
                apply_in_session(unit.session, push, server.device_id, conflicts_out=planned)
                if push is not None
                else None
            )
            conflicts = [
                {"table_name": c.table, "record_id": c.record_id, "ours": c.ours, "theirs": c.theirs,
                 "shown": c.field.shown, "field_name": c.field.name}
                for c in planned
            ] if sent is not None and sent.applied else []  # fmt: skip
            set_info(unit.session, store.RECEIPT + laptop.device_id, gid)
            wanted = store.existing_visit_ids(
                unit.session, sorted(set(laptop_visits) | set(store.own_team_visits(unit.session)))
            )
            pull_records = _merge_tables(
                _serialised(store.reference_records(unit.session)),
                _serialised(repo.package_records(unit.session, wanted)) if wanted else {},
            )
            unit.prepare()
        finally:
            unit.close()

        pull = _package("the sync from the network server", "", server.device_id, pull_records)
        acknowledged = store.with_acknowledged(
            marks, [r for rows in push_records.values() for r in rows], own
        )
        try:
            with laptop.transaction() as session:

                def backup_first() -> None:
                    if (
                        laptop.path is not None
                    ):  # the laptop's file as it was, before the sync changes it
                        make_backup(laptop.path, "before-import")

                received = apply_in_session(session, pull, laptop.device_id, backup_first)
                store.add_mirrored_conflicts(session, received.import_id, conflicts)
                store.set_acknowledged(session, server_uid, acknowledged)
                set_info(session, store.PENDING + server_uid, gid)
        except BaseException:
            try:
                store.rollback_prepared(server, gid)
            except Exception:  # the connection is gone: the next sync rolls it back
                log.warning("could not roll back sync %s on the server now", gid, exc_info=True)
            raise
        try:
            store.commit_prepared(server, gid)
            with laptop.transaction() as session:
                set_info(session, store.PENDING + server_uid, "")
        except Exception as exc:
            log.warning(
                "sync %s committed on this laptop, not yet on the server", gid, exc_info=True
            )
            raise SyncError(
                f"The connection to {shown_location(server.url)} was lost at the very end of the sync; "
                "this laptop has what it received, and the next sync finishes the rest."
            ) from exc
    return SyncResult(
        server=shown_location(server.url), pushed_visits=len(chosen), sent=sent,
        received=received if received.applied else None, finished_earlier=False,
    )  # fmt: skip


def check_laptop(db: Database) -> None:
    """A sync runs from a laptop's own file: refused in one sentence on the server itself."""
    if store.is_server(db):
        raise SyncError(
            "The program is open on the network server itself, which laptops sync with; "
            "a sync runs from a laptop's own database file."
        )


def sync_databases(
    laptop: Database, server: Database, *, pause: Callable[[float], None] = time.sleep
) -> SyncResult:
    """One sync between an open laptop database and an open server database."""
    if not store.is_server(server):
        raise SyncError(
            f"{shown_location(server.url)} is not a network server; give its postgresql:// address."
        )
    check_laptop(laptop)
    try:
        finished = finish_interrupted(laptop, server)
        with server.reading() as session:
            server_uid = store.database_uid(session)
        for attempt in range(ATTEMPTS):
            try:
                result = _attempt(laptop, server, server_uid)
                break
            except store.ServerError as exc:
                if not is_retryable(exc) or attempt == ATTEMPTS - 1:
                    raise
                pause(min(2.0, 0.05 * 2**attempt))
    except store.ServerError as exc:
        state = str(getattr(exc.orig, "sqlstate", "") or "")
        if state in ("42501", "23505"):  # not allowed, or a record hidden from this login
            raise SyncError(
                f"Your login on {shown_location(server.url)} may not change some of what this laptop sends "
                "(a visit of another review team, or the network's reference data); nothing was changed. "
                "Ask the network administrator."
            ) from exc
        if state == "55P03":  # lock_timeout: records held by a sync cut off on another laptop
            raise SyncError(
                f"The network server {shown_location(server.url)} is finishing another laptop's sync; "
                "nothing was changed; try again in a few minutes."
            ) from exc
        if "prepared transactions are disabled" in str(exc.orig).lower():
            raise SyncError(
                f"The network server {shown_location(server.url)} does not allow the prepared transactions a sync "
                "needs, and nothing was changed; its administrator sets max_prepared_transactions to 50 and restarts it "
                "(see the server guide)."
            ) from exc
        raise translate_error(exc, server.url) from exc
    if finished:
        result = SyncResult(result.server, result.pushed_visits, result.sent, result.received, True)
    return result


def sync_with_server(laptop: Database, server_url: str) -> SyncResult:
    """The laptop's sync with the network server at ``server_url``."""
    server = connect_server(server_url)
    try:
        return sync_databases(laptop, server)
    finally:
        server.close()


__all__ = [
    "NexusError",
    "SyncError",
    "SyncResult",
    "check_laptop",
    "connect_server",
    "database_url",
    "finish_interrupted",
    "sync_databases",
    "sync_with_server",
    "with_password",
    "without_password",
]
