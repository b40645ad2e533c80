"""Reading and writing the trust's indicators and school-level figures, and the trust's records
as a review package carries them.

Functions take a session and never commit; the use cases in :mod:`nexus_review.usecases.trust`
open the one unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nexus_review.domain.trust import Figure, IndicatorDef
from nexus_review.storage.models import (
    Aim,
    AimTheme,
    DeliveryAction,
    DeliveryProgress,
    Indicator,
    IndicatorValue,
    School,
)


def schools_by_urn(session: Session) -> dict[str, tuple[str, str]]:
    """URN -> (school id, name), for the schools that have one."""
    rows = session.execute(
        select(School.urn, School.id, School.name).where(
            School.deleted.is_(False), School.urn != ""
        )
    )
    return {urn.strip(): (sid, name) for urn, sid, name in rows}


def declared_indicators(session: Session) -> list[IndicatorDef]:
    rows = session.scalars(
        select(Indicator)
        .where(Indicator.deleted.is_(False))
        .order_by(Indicator.position, Indicator.key)
    )
    return [IndicatorDef(r.key, r.name, r.higher_is_better, r.unit, 100 + r.position) for r in rows]


def figures(
    session: Session, *, school_id: str | None = None, years: Iterable[str] | None = None
) -> list[Figure]:
    # Plain columns, not tracked records: the dashboard reads a few thousand figures each time
    # the Network section is shown.
    v = IndicatorValue
    query = (
        select(
            v.school_id,
            School.name,
            School.urn,
            v.academic_year,
            v.pupil_group,
            v.indicator_key,
            v.value_tenths,
            v.pupils,
        )
        .join(School, School.id == IndicatorValue.school_id)
        .where(IndicatorValue.deleted.is_(False), School.deleted.is_(False))
    )
    if school_id is not None:
        query = query.where(IndicatorValue.school_id == school_id)
    if years is not None:
        query = query.where(IndicatorValue.academic_year.in_(list(years)))
    query = query.order_by(
        School.name,
        IndicatorValue.academic_year,
        IndicatorValue.indicator_key,
        IndicatorValue.pupil_group,
    )
    return [
        Figure(school, name, urn, year, group, key, tenths / 10, pupils)
        for school, name, urn, year, group, key, tenths, pupils in session.execute(query)
    ]


def figure_years(session: Session) -> list[str]:
    rows = session.scalars(
        select(IndicatorValue.academic_year).where(IndicatorValue.deleted.is_(False)).distinct()
    )
    return sorted(rows)


def _live_figure(
    session: Session, school_id: str, year: str, group: str, key: str
) -> IndicatorValue | None:
    """The figure a school holds for a year, pupil group and indicator (not a deleted one)."""
    return session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.school_id == school_id,
            IndicatorValue.academic_year == year,
            IndicatorValue.pupil_group == group,
            IndicatorValue.indicator_key == key,
            IndicatorValue.deleted.is_(False),
        )
    ).first()


def put_figure(
    session: Session, school_id: str, year: str, group: str, key: str, tenths: int, pupils: int
) -> str:
    """Add or change one figure; returns "added", "updated" or "unchanged"."""
    row = _live_figure(session, school_id, year, group, key)
    if row is None:
        session.add(
            IndicatorValue(
                school_id=school_id,
                academic_year=year,
                pupil_group=group,
                indicator_key=key,
                value_tenths=tenths,
                pupils=pupils,
            )
        )
        return "added"
    if row.value_tenths == tenths and row.pupils == pupils:
        return "unchanged"
    row.value_tenths = tenths
    row.pupils = pupils
    return "updated"


def remove_figure(session: Session, school_id: str, year: str, group: str, key: str) -> bool:
    row = _live_figure(session, school_id, year, group, key)
    if row is None:
        return False
    row.deleted = True
    return True


TRUST_MODELS = (Aim, AimTheme, Indicator, IndicatorValue, DeliveryAction, DeliveryProgress)


def schools_with_figures(session: Session) -> set[str]:
    return set(session.scalars(select(IndicatorValue.school_id).distinct()))


def package_trust_records(session: Session) -> dict[str, list[object]]:
    """What a review package carries of the trust's records, tombstones included: the
    network's aims, themes, declared indicators, figures and delivery plan. They are a few
    thousand small records at most, and each package carries them all, so that a laptop
    always holds the network's whole picture."""
    return {
        model.__tablename__: list(session.scalars(select(model).order_by(model.id)))
        for model in TRUST_MODELS
    }


def unexported_trust_changes(session: Session, own_devices: list[str]) -> bool:
    """Whether this database changed any of the trust's records since its last package."""
    from nexus_review.storage.models import ExportMark

    if not own_devices:
        return False
    for model in TRUST_MODELS:
        rows = session.execute(
            select(model.id, model.vclock, ExportMark.vclock).outerjoin(
                ExportMark, ExportMark.record_id == model.id
            )
        )
        for _id, clock, mark in rows:
            if any(int((clock or {}).get(d, 0)) > int((mark or {}).get(d, 0)) for d in own_devices):
                return True
    return False


def existing_ids(session: Session, model: Any, ids: Iterable[str]) -> set[str]:
    """Which of these ids a table holds (live or tombstoned)."""
    wanted = list(ids)
    return set(session.scalars(select(model.id).where(model.id.in_(wanted)))) if wanted else set()
