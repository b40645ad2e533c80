"""The trust's aims, the priority themes under them and the delivery plan with its termly
progress; each function opens one unit of work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    TERMS,
    AimItem,
    AimPriorities,
    DeliveryActionItem,
)
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.storage import trust_plan as repo
from nexus_review.storage.database import Database
from nexus_review.usecases.trust.indicators import year_problem

# ---------------------------------------------------------------------------- aims and the delivery plan


def list_aims(db: Database) -> list[AimItem]:
    with db.reading() as session:
        return repo.aims(session)


MAX_DESCRIPTION = 5000
MAX_PLAN_TEXT = 5000


def _aim_wording(title: str, description: str) -> tuple[str, str]:
    title, description = title.strip(), description.strip()
    if not title or len(title) > 300:
        raise NexusError("An aim needs a title of at most 300 characters.")
    if len(description) > MAX_DESCRIPTION:
        raise NexusError(f"An aim's description can be at most {MAX_DESCRIPTION} characters.")
    return title, description


def add_aim(db: Database, title: str, description: str = "") -> str:
    title, description = _aim_wording(title, description)
    with db.transaction() as session:
        return repo.add_aim(session, title, description)


def edit_aim(db: Database, aim_id: str, title: str, description: str, number: int) -> bool:
    """Reword an aim and give it its number in the list (1 first); the other aims keep their
    order around it. Returns whether anything changed."""
    title, description = _aim_wording(title, description)
    with db.transaction() as session:
        count = len(repo.aims(session))
        if not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        if not 1 <= number <= count:
            raise NexusError(f"An aim's number must be from 1 to {count}.")
        return repo.update_aim(session, aim_id, title, description, number - 1)


def priority_themes(db: Database) -> list[tuple[str, str | None]]:
    """Each theme the schools' priorities use (or that is already under an aim), with the id
    of the aim it is under, if any."""
    with db.reading() as session:
        mapping = repo.theme_aims(session)
        return [(theme, mapping.get(theme)) for theme in repo.priority_themes(session)]


def map_theme(db: Database, theme: str, aim_id: str | None) -> None:
    theme = theme.strip()
    if not theme or len(theme) > 100:
        raise NexusError("A priority theme needs a name of at most 100 characters.")
    with db.transaction() as session:
        if aim_id is not None and not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        repo.map_theme(session, theme, aim_id)


def map_themes(db: Database, chosen: dict[str, str | None]) -> int:
    """Put several priority themes under their aims (``None``: under no aim) in one go;
    returns how many moved. Every aim named must exist, or nothing changes."""
    if len(chosen) > 1000:
        raise NexusError("At most 1000 priority themes can be placed at once.")
    for theme in chosen:
        if not theme.strip() or len(theme.strip()) > 100:
            raise NexusError("A priority theme needs a name of at most 100 characters.")
    with db.transaction() as session:
        now = repo.theme_aims(session)
        moved = 0
        for theme, aim_id in chosen.items():
            theme = theme.strip()
            if now.get(theme) == aim_id:
                continue
            if aim_id is not None and not repo.aim_exists(session, aim_id):
                raise NotFoundError("That aim no longer exists.")
            repo.map_theme(session, theme, aim_id)
            moved += 1
        return moved


def theme_aims_now(db: Database) -> dict[str, str]:
    """Priority theme -> the id of the aim it is under."""
    with db.reading() as session:
        return repo.theme_aims(session)


def priorities_by_aim(db: Database, year: str) -> tuple[list[AimPriorities], list[tuple[str, str]]]:
    """Each aim with the schools' priorities of the year under it and its delivery actions,
    and the priorities whose theme is under no aim yet."""
    with db.reading() as session:
        aims = repo.aims(session)
        mapping = repo.theme_aims(session)
        priorities = repo.priorities_of_year(session, year)
        actions = repo.delivery_actions(session, year)
    out = [
        AimPriorities(
            aim,
            tuple(p for p in priorities if mapping.get(p[1]) == aim.id),
            tuple(a for a in actions if a.aim_id == aim.id),
        )
        for aim in aims
    ]
    unmapped = [p for p in priorities if p[1] not in mapping]
    return out, unmapped


@dataclass(frozen=True)
class ActionWording:
    """What a delivery action says: what will be done, how, the outcome looked for, who
    leads it and by when."""

    what: str
    how: str = ""
    outcome: str = ""
    lead: str = ""
    due: dt.date | None = None


def add_delivery_action(db: Database, aim_id: str, year: str, wording: ActionWording) -> str:
    if year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2024-25.")
    w = _plan_wording(wording)
    with db.transaction() as session:
        if not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        return repo.add_delivery_action(
            session, aim_id, year, w.what, w.how, w.outcome, w.lead, w.due
        )


def _plan_wording(wording: ActionWording) -> ActionWording:
    """The wording trimmed, or one sentence on what is wrong with it."""
    what, how = wording.what.strip(), wording.how.strip()
    outcome, lead = wording.outcome.strip(), wording.lead.strip()
    if not what:
        raise NexusError("A delivery action needs to say what will be done.")
    if max(len(what), len(how), len(outcome)) > MAX_PLAN_TEXT:
        raise NexusError(
            f"What, how and the outcome of an action can each be at most {MAX_PLAN_TEXT} characters."
        )
    if len(lead) > 200:
        raise NexusError("An action's lead can be at most 200 characters.")
    return ActionWording(what, how, outcome, lead, wording.due)


def edit_delivery_action(db: Database, action_id: str, aim_id: str, wording: ActionWording) -> bool:
    """Change what a delivery action says, or move it under another aim; its year and its
    progress stay. Returns whether anything changed."""
    w = _plan_wording(wording)
    with db.transaction() as session:
        if not repo.delivery_action_exists(session, action_id):
            raise NotFoundError("That delivery action no longer exists.")
        if not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        return repo.update_delivery_action(
            session, action_id, aim_id, w.what, w.how, w.outcome, w.lead, w.due
        )


def record_progress(
    db: Database, action_id: str, year: str, term: str, status: str, note: str = ""
) -> None:
    if term not in TERMS:
        raise NexusError(f"'{term}' is not a term (autumn, spring or summer).")
    if status not in PROGRESS_STATUSES:
        raise NexusError(f"'{status}' is not a progress status ({', '.join(PROGRESS_STATUSES)}).")
    if year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2024-25.")
    if len(note.strip()) > MAX_PLAN_TEXT:
        raise NexusError(f"A progress note can be at most {MAX_PLAN_TEXT} characters.")
    with db.transaction() as session:
        if not repo.delivery_action_exists(session, action_id):
            raise NotFoundError("That delivery action no longer exists.")
        repo.put_progress(session, action_id, year, term, status, note.strip())


def delivery_plan(db: Database, year: str | None = None) -> list[DeliveryActionItem]:
    with db.reading() as session:
        return repo.delivery_actions(session, year)


def aim_of_themes(db: Database) -> dict[str, str]:
    """Priority theme -> "Aim n: title", for the screens that list themes."""
    with db.reading() as session:
        aims = repo.aims(session)
    return {theme: f"Aim {n}: {a.title}" for n, a in enumerate(aims, start=1) for theme in a.themes}
