"""Setting up a network server: its roles and row-level security, and its logins."""

from __future__ import annotations

from dataclasses import dataclass

from nexus_review.errors import DatabaseError, NexusError, NotFoundError
from nexus_review.storage import repository as repo
from nexus_review.storage import server_access as access
from nexus_review.storage.connection import shown_location
from nexus_review.storage.database import Database
from nexus_review.storage.sync_store import ServerError, is_server

MIN_PASSWORD = 10


@dataclass(frozen=True)
class ServerSetup:
    server: str
    roles: dict[str, str]  # kind -> role name


@dataclass(frozen=True)
class NewLogin:
    login: str
    kind: str
    role: str
    reviewer: str


def _server_only(db: Database) -> None:
    if not is_server(db):
        raise NexusError(
            f"{shown_location(db.url)} is not a network server; give the server's postgresql:// address with --db."
        )


def _refused(db: Database, exc: ServerError, doing: str) -> DatabaseError:
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    if state == "42501":  # insufficient privilege
        return DatabaseError(
            f"The login used may not {doing} on {shown_location(db.url)}; use the login that owns the "
            "network's database and may create roles."
        )
    from nexus_review.storage.connection import translate_error

    return translate_error(exc, db.url)


def init_server(db: Database) -> ServerSetup:
    """The roles, grants, row-level security policies and published views (again: brought up
    to date, nothing lost)."""
    _server_only(db)
    try:
        with db.transaction() as session:
            roles = access.install(session)
    except ServerError as exc:
        raise _refused(db, exc, "set up roles and policies") from exc
    return ServerSetup(shown_location(db.url), roles)


def add_user(
    db: Database, login: str, kind: str, password: str, reviewer: str | None = None
) -> NewLogin:
    """A new login of the network with one role; a reviewer's login is tied to a reviewer."""
    _server_only(db)
    if not access.LOGIN_PATTERN.match(login):
        raise NexusError(
            "A login is lower-case letters, digits and underscores, starting with a letter (at most 41); "
            "choose another."
        )
    if kind not in access.ROLES:
        raise NexusError(f"A login's role is one of {', '.join(access.ROLES)}.")
    if kind == "reviewer" and not reviewer:
        raise NexusError(
            "A reviewer's login is tied to a reviewer of the network: give --reviewer NAME."
        )
    if len(password) < MIN_PASSWORD:
        raise NexusError(f"The password is too short; use at least {MIN_PASSWORD} characters.")
    try:
        with db.transaction() as session:
            if not access.is_installed(session):
                raise NexusError("The server is not set up yet; run 'server init' first.")
            if access.login_exists(session, login):
                raise NexusError(
                    f"There is already a login called {login} on this server; choose another name."
                )
            reviewer_id = None
            if reviewer:
                found = repo.reviewer_named(session, reviewer)
                if found is None:
                    raise NotFoundError(f"There is no reviewer called {reviewer} in this network.")
                reviewer_id = found.id
            role = access.add_login(session, login, kind, password, reviewer_id)
    except ServerError as exc:
        raise _refused(db, exc, "create logins") from exc
    return NewLogin(login, kind, role, reviewer or "")
