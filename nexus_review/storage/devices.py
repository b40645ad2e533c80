"""Which device id this installation writes its changes under, for each database it opens."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from nexus_review.storage.connection import database_url, sqlite_path
from nexus_review.storage.info import get_info, read_info, set_info
from nexus_review.storage.stamping import NexusSession

log = logging.getLogger(__name__)

#
# A device id names the one installation that writes changes under it. It is kept in this
# installation's data folder (``devices.json``), bound to a database by the database's own
# random id and where it lies, never in the database file alone: a database copied to another
# laptop (or beside itself) finds no id for itself there and takes a new one for its future
# changes, so two laptops set up from one file never write changes under the same id.
# The database remembers every id it has written under (``device_ids``), so that what it
# exports includes its own changes made before a move.

OWN_DEVICES_KEY = "device_ids"


def _location(url: str) -> str | None:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return None  # in memory: a new database every time
    return parsed.render_as_string(hide_password=True)


def _read_devices() -> dict[str, Any]:
    from nexus_review.paths import devices_path

    try:
        data = json.loads(devices_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    databases = data.get("databases") if isinstance(data, dict) else None
    return databases if isinstance(databases, dict) else {}


def _write_devices(databases: dict[str, Any]) -> None:
    from nexus_review.fileio import write_bytes_atomic
    from nexus_review.paths import devices_path

    try:
        write_bytes_atomic(
            devices_path(),
            json.dumps({"databases": databases}, indent=1, sort_keys=True).encode("utf-8"),
        )
    except Exception:  # not fatal: the next opening takes a new id, which is always safe
        log.warning("could not record this installation's device id", exc_info=True)


def own_device_ids(session: Session) -> list[str]:
    """Every device id this database has written its own changes under."""
    return [d for d in get_info(session, OWN_DEVICES_KEY).split() if d]


def take_device_id(factory: sessionmaker[NexusSession], url: str) -> str:
    with factory() as session:
        uid = read_info(session, "database_uid")
        previous = read_info(session, "device_id")  # databases from before ids lived outside
        own = own_device_ids(session)
    new_uid = uid is None
    uid = uid or uuid.uuid4().hex
    location = _location(url)
    databases = _read_devices() if location is not None else {}
    entry = databases.get(location or "")
    device = (
        entry.get("device") if isinstance(entry, dict) and entry.get("database") == uid else None
    )
    if not isinstance(device, str) or not device:
        device = uuid.uuid4().hex[:16]
        if location is not None:
            databases[location] = {"device": device, "database": uid}
            _write_devices(databases)
    known = [d for d in (*own, previous, device) if d]
    known = list(dict.fromkeys(known))
    if new_uid or known != own or previous != device:
        try:
            with factory.begin() as session:
                set_info(session, "database_uid", uid)
                set_info(session, OWN_DEVICES_KEY, " ".join(known))
                set_info(session, "device_id", device)
        except (DBAPIError, StaleDataError) as exc:
            if sqlite_path(url) is None and make_url(url).get_backend_name() != "sqlite":
                # A network server: a login that may not write there (row-level security
                # hides the row, or refuses the write), or another client recording its id
                # at the same moment; the id is recorded next time.
                log.info("device id %s not recorded on the server (%s)", device, type(exc).__name__)
            elif not isinstance(exc, OperationalError) or "readonly" not in str(exc.orig).lower():
                raise
            else:
                log.info("database is read-only: device id %s not recorded in it", device)
    return device


def forget_device_id(target: str | Path) -> None:
    """Make the database at ``target`` take a new device id when next opened (after its file
    was replaced, e.g. restored from a backup, whose versions this device may already have
    used)."""
    location = _location(database_url(target))
    if location is None:
        return
    databases = _read_devices()
    if databases.pop(location, None) is not None:
        _write_devices(databases)
