"""The demo trust's view: the Big 3, the themes under them, a delivery plan with termly
progress, and three years of invented school-level figures for the ten demo schools.

Made from ``resources/demo/trust.json``; the figures are drawn from a fixed seed, so that every
demo database holds the same ones. In one school the disadvantaged pupils' gap in Key Stage 2
widens year on year, and one small group (6 pupils) shows how small groups are spoken of.
Records already there are left as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from nexus_review.domain.calendar import (
    academic_year_bounds,
    academic_year_of,
    previous_academic_year,
)
from nexus_review.domain.trust import TERMS, academic_years_back
from nexus_review.storage.database import Database


def _data() -> dict[str, Any]:
    from nexus_review.paths import resource_path

    data: dict[str, Any] = json.loads(resource_path("demo", "trust.json").read_text("utf-8"))
    return data


def demo_figures(today: dt.date) -> list[tuple[str, str, str, str, float, int]]:
    """(school key, year, group, indicator, value, pupils) for the three years before today's."""
    from nexus_review.demo_network import SCHOOLS
    from nexus_review.usecases.trust import shipped_indicators

    spec = _data()["figures"]
    rng = random.Random(spec["seed"])
    indicators = shipped_indicators().indicators
    last = previous_academic_year(academic_year_of(today))
    years = academic_years_back(last, 3)
    widening, small = spec["widening"], spec["small"]
    out = []
    for key, _name, _urn, phase, _head in SCHOOLS:
        school_level = rng.uniform(-3, 3)  # some schools do better than others, every year
        for indicator, ind in spec["indicators"].items():
            if phase not in ind["phases"]:
                continue
            spread = float(ind.get("spread", 10))
            sign = 1 if indicators[indicator].higher_is_better else -1
            cohort = round(ind["cohort"] * rng.uniform(0.6, 1.4))
            for n, year in enumerate(years):
                drift = rng.uniform(-1.5, 1.5) * spread / 10
                for group, g in spec["groups"].items():
                    pupils = max(1, round(cohort * g["share"] * rng.uniform(0.8, 1.2)))
                    if key == small["school"] and group == small["group"]:
                        pupils = small["pupils"]
                    offset = g["offset"] + rng.uniform(-2, 2)
                    if (
                        key == widening["school"]
                        and group == widening["group"]
                        and indicator in widening["indicators"]
                    ):
                        offset += widening["extra"][n]
                        pupils = max(pupils, widening["pupils_at_least"])
                    value = ind["base"] + sign * (school_level + offset) * spread / 10 + drift
                    top = 100.0
                    value = min(top, max(0.0, value))
                    if ind.get("spread") is None:  # a percentage of a cohort: whole pupils
                        value = round(100 * round(value * pupils / 100) / pupils, 1)
                    out.append((key, year, group, indicator, round(value, 1), pupils))
    return out


def fill_demo_trust(db: Database, today: dt.date | None = None) -> int:
    """Add the demo trust's records; returns how many were added. They are written once, the
    first time the demo fills a database: filled again later, nothing is added (as the rest
    of the demo leaves a year it filled before alone). Like the rest of the demo, every record
    carries the demo device's fixed sync metadata, so two demo databases hold the same."""
    from nexus_review.demo_network import DEMO_DEVICE, SCHOOLS, demo_id
    from nexus_review.storage.models import (
        Aim,
        AimTheme,
        DeliveryAction,
        DeliveryProgress,
        IndicatorValue,
        School,
    )
    from nexus_review.storage.repository import insert_rows
    from nexus_review.storage.trust import existing_ids

    today = today or dt.date.today()
    data = _data()
    current = academic_year_of(today)
    start, _end = academic_year_bounds(current)
    latest = today - dt.timedelta(days=1)

    def when(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(min(day, latest), dt.time(16, 0), tzinfo=dt.UTC)

    records: list[Any] = []

    def add(model: Any, record_id: str, day: dt.date, **values: Any) -> str:
        at = when(day)
        records.append(
            (
                model,
                {
                    "id": record_id,
                    "created_at": at,
                    "updated_at": at,
                    "device_id": DEMO_DEVICE,
                    "revision": 1,
                    "vclock": {DEMO_DEVICE: 1},
                    "deleted": False,
                    "field_versions": {},
                    **values,
                },
            )
        )
        return record_id

    aim_ids: dict[str, str] = {}
    for position, aim in enumerate(data["aims"]):
        aim_ids[aim["key"]] = add(
            Aim,
            demo_id("aim", aim["key"]),
            start,
            title=aim["title"],
            description=aim["description"],
            position=position,
        )
        for theme in aim["themes"]:
            add(
                AimTheme,
                demo_id("aim-theme", theme),
                start,
                theme=theme,
                aim_id=aim_ids[aim["key"]],
            )
    # This year's plan, and last year's (all three terms reported, for a board report on a
    # whole year). The terms begun by today carry progress (a term in progress: how it
    # stands so far).
    last = previous_academic_year(current)
    for year, actions in ((last, data["last_year_actions"]), (current, data["actions"])):
        year_start, year_end = academic_year_bounds(year)
        begun = [t for t in TERMS if _term_begun(t, year, today)]
        for position, action in enumerate(actions):
            due = dt.date(
                year_end.year if action["due_month"] <= 8 else year_end.year - 1,
                action["due_month"],
                20,
            )
            action_id = add(
                DeliveryAction,
                demo_id("delivery", year, str(position)),
                year_start,
                aim_id=aim_ids[action["aim"]],
                academic_year=year,
                position=position,
                what=action["what"],
                how=action["how"],
                outcome=action["outcome"],
                lead=action["lead"],
                due_date=due,
            )
            for term in begun:
                if term in action["progress"]:
                    status, note = action["progress"][term]
                    add(
                        DeliveryProgress,
                        demo_id("progress", action_id, term),
                        _term_start(term, year),
                        action_id=action_id,
                        academic_year=year,
                        term=term,
                        status=status,
                        note=note,
                    )
    school_ids = {key: demo_id("school", key) for key, *_rest in SCHOOLS}
    for key, year, group, indicator, value, pupils in demo_figures(today):
        published = academic_year_bounds(year)[1] + dt.timedelta(
            days=1
        )  # the results reach schools after the year
        add(
            IndicatorValue,
            demo_id("figure", key, year, group, indicator),
            published,
            school_id=school_ids[key],
            academic_year=year,
            pupil_group=group,
            indicator_key=indicator,
            value_tenths=round(value * 10),
            pupils=pupils,
        )
    with db.transaction() as session:
        if existing_ids(session, Aim, aim_ids.values()):
            return 0
        present = existing_ids(session, School, school_ids.values())
        records = [
            (model, row)
            for model, row in records
            if model is not IndicatorValue or row["school_id"] in present
        ]
        # Written as rows in one statement a table (some two thousand figures): quick, and the
        # records carry the demo device's own versions, as the rest of the demo's do.
        by_model: dict[Any, list[dict[str, Any]]] = {}
        for model, row in records:
            by_model.setdefault(model, []).append(row)
        for model, rows in by_model.items():
            insert_rows(session, model, rows)
    return len(records)


def _term_start(term: str, year: str) -> dt.date:
    start, _end = academic_year_bounds(year)
    return {
        "autumn": start,
        "spring": dt.date(start.year + 1, 1, 5),
        "summer": dt.date(start.year + 1, 4, 20),
    }[term]


def _term_begun(term: str, year: str, today: dt.date) -> bool:
    return today >= _term_start(term, year)
