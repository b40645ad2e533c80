"""How far reviewers agree: the agreement figures and the moderation pack.

The agreement figures compare reviewers' own grades (see ``usecases.own_grades``) with each
other (do two heads reach the same judgement?), with the team's agreed grade (does a reviewer
lean harsher or kinder?), and the agreed grade with the school's self-evaluation (does a school
grade itself higher than its peers, and is that changing?).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from nexus_review.domain import agreement as ag
from nexus_review.domain.calendar import academic_year_bounds, academic_year_of, term_of
from nexus_review.domain.consistency import (
    AgreementFilter,
    AgreementReport,
    AreaAgreement,
    Distribution,
    GradeCount,
    PairAgreement,
    SchoolSelfEvaluation,
    TermAgreement,
)
from nexus_review.domain.enums import LookForResult
from nexus_review.errors import NexusError
from nexus_review.frameworks import Framework, area_title, get_framework, is_focus_key
from nexus_review.storage import own_grades as store
from nexus_review.storage.database import Database
from nexus_review.usecases.own_grades import LOOK_FOR_SCALE, grade_levels

LOOK_FORS = "look-fors"  # the area under which look-for grades are counted


def current_year() -> str:
    return academic_year_of(dt.date.today())


def _check_year(year: str) -> tuple[dt.date, dt.date]:
    try:
        return academic_year_bounds(year)
    except ValueError as exc:
        raise NexusError(f"{exc}.") from None


def _term_label(day: dt.date) -> tuple[str, dt.date]:
    term = term_of(day)
    start = {
        "autumn": dt.date(day.year, 9, 1),
        "spring": dt.date(day.year, 1, 1),
        "summer": dt.date(day.year, 4, 1),
    }[term]
    return f"{term.capitalize()} {day.year}", start


def _rating(
    v: store.VisitFacts, fw: Framework, row: store.OwnGradeRow
) -> tuple[str, str, ag.Rating] | None:
    """(framework, area, rating) of one own grade, None if it cannot be placed on its scale."""
    if not row.grade:
        return None
    if row.drop_in_id:
        scale = [str(x) for x in LOOK_FOR_SCALE]
        area = LOOK_FORS
    else:
        scale = grade_levels(fw, row.area_key)
        area = row.area_key
    if row.grade not in scale:
        return None
    item = (v.id, row.area_key, row.drop_in_id or "", row.look_for)
    # Look-fors are seen or not whatever the framework: one row for all of them.
    return (
        ("" if area == LOOK_FORS else fw.key),
        area,
        ag.Rating(item, row.reviewer_name, scale.index(row.grade), len(scale)),
    )


def agreement_report(db: Database, flt: AgreementFilter | None = None) -> AgreementReport:
    """Every agreement figure for a year (and a group, an area, a framework, a reviewer pair)."""
    flt = flt or AgreementFilter()
    year = flt.year or current_year()
    start, end = _check_year(year)
    if flt.framework:
        get_framework(flt.framework)  # a framework that does not exist is said in one sentence
    from nexus_review.storage import repository as repo

    with db.reading() as session:
        group_id = repo.review_group_named(session, flt.group, year) if flt.group else None
        school_ids = None
        ids = repo.visit_ids_between(session, start, end, group_id=group_id)
        visits = store.visit_facts(session, ids)
        if group_id is not None:
            school_ids = sorted({v.host_school_id for v in visits})
        rows = store.own_grade_rows(session, ids)
        agreed = store.agreed_grades(session, ids)
        # Self-evaluation over the years: every earlier year too, for the same schools.
        history_ids = repo.visit_ids_between(session, dt.date.min, end, school_ids=school_ids)
        history = store.visit_facts(session, history_ids)
        history_agreed = store.agreed_grades(session, history_ids)
    if flt.framework:
        visits = [v for v in visits if v.framework_key == flt.framework]
        history = [v for v in history if v.framework_key == flt.framework]
    by_visit = {v.id: v for v in visits}
    ratings: list[tuple[str, str, ag.Rating, store.VisitFacts]] = []
    area_names: dict[tuple[str, str], str] = {}
    for row in rows:
        v = by_visit.get(row.visit_id)
        if v is None:
            continue
        fw = get_framework(v.framework_key)
        placed = _rating(v, fw, row)
        if placed is None:
            continue
        fw_key, area, rating = placed
        if flt.area and area != flt.area:
            continue
        area_names.setdefault(
            (fw_key, area),
            "Learning-walk look-fors" if area == LOOK_FORS else area_title(fw, area, v.focus_areas),
        )
        ratings.append((fw_key, area, rating, v))
    everyone = tuple(sorted({r.reviewer for _f, _a, r, _v in ratings}))
    frameworks = tuple(sorted({f for f, _a, _r, _v in ratings if f}))
    if flt.pair:
        first, second = flt.pair
        both = {r.item for _f, _a, r, _v in ratings if r.reviewer == first} & {
            r.item for _f, _a, r, _v in ratings if r.reviewer == second
        }
        ratings = [x for x in ratings if x[2].item in both and x[2].reviewer in (first, second)]
    # The overall, pair and term figures are of areas' grades; look-fors (another scale) have
    # their own row in the areas table, and count here only when they are what was chosen.
    plain = [r for _f, a, r, _v in ratings if a != LOOK_FORS or flt.area == LOOK_FORS]
    overall = ag.agreement(plain)
    grouped: dict[tuple[str, str], list[ag.Rating]] = defaultdict(list)
    for fw_key, area, r, _v in ratings:
        grouped[(fw_key, area)].append(r)
    areas = tuple(
        AreaAgreement(
            fw_key, area, area_names[(fw_key, area)], ag.agreement(grouped[(fw_key, area)])
        )
        for fw_key, area in sorted(
            grouped, key=lambda k: (k[1] == LOOK_FORS, k[0], _area_order(k[0], k[1]), k[1])
        )
    )
    pairs = tuple(PairAgreement(a, b, x) for (a, b), x in ag.by_pair(plain).items())
    # Each reviewer against the agreed grade of the same area.
    lean_rows = []
    for _fw_key, area, r, v in ratings:
        if area == LOOK_FORS:
            continue
        peer = agreed.get((v.id, area), (None, None))[0]
        scale = grade_levels(get_framework(v.framework_key), area)
        if peer in scale:
            lean_rows.append((r.reviewer, r.rank, scale.index(peer)))
    leans = tuple(ag.reviewer_leans(lean_rows))
    # Grades given, per area, best first.
    distributions = []
    for fw_key, area in ((a.framework_key, a.area_key) for a in areas):
        counts = Counter(r.rank for r in grouped[(fw_key, area)])
        if area == LOOK_FORS:
            labels = [LookForResult(x).label for x in LOOK_FOR_SCALE]
        else:
            fw = get_framework(fw_key)
            labels = [fw.grade_label(area, k) for k in grade_levels(fw, area)]
        distributions.append(
            Distribution(
                area_names[(fw_key, area)],
                tuple(
                    GradeCount(labels[i], counts.get(i, 0)) for i in reversed(range(len(labels)))
                ),
            )
        )
    terms: dict[tuple[dt.date, str], list[ag.Rating]] = defaultdict(list)
    for _f, a, r, v in ratings:
        if a != LOOK_FORS or flt.area == LOOK_FORS:
            label, first_day = _term_label(v.visit_date)
            terms[(first_day, label)].append(r)
    over_time = tuple(
        TermAgreement(label, day, ag.agreement(terms[(day, label)])) for day, label in sorted(terms)
    )
    self_evaluation = _self_evaluation(history, history_agreed, flt.area)
    per_item = Counter(r.item for _f, _a, r, _v in ratings)
    graded_visits = len({v.id for _f, _a, r, v in ratings if per_item[r.item] > 1})
    return AgreementReport(
        flt,
        year,
        len(visits),
        graded_visits,
        overall,
        areas,
        pairs,
        leans,
        self_evaluation,
        tuple(distributions),
        over_time,
        everyone,
        frameworks,
    )


def _area_order(framework_key: str, area_key: str) -> int:
    if area_key == LOOK_FORS:
        return 10_000
    fw = get_framework(framework_key)
    keys = [a.key for a in fw.judged_areas()]
    return (
        keys.index(area_key) if area_key in keys else (5_000 if is_focus_key(area_key) else 9_000)
    )


def _self_evaluation(
    visits: Sequence[store.VisitFacts],
    agreed: dict[tuple[str, str], tuple[str | None, str | None]],
    area: str | None,
) -> tuple[SchoolSelfEvaluation, ...]:
    per_visit: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for (vid, area_key), (peer, own) in agreed.items():
        per_visit[vid].append((area_key, peer, own))
    rows = []
    for v in visits:
        fw = get_framework(v.framework_key)
        if not fw.graded:
            continue
        for area_key, peer, own in per_visit.get(v.id, ()):
            if area and area_key != area:
                continue
            scale = (
                grade_levels(fw, area_key) if (fw.area(area_key) or is_focus_key(area_key)) else []
            )
            if peer in scale and own in scale:
                rows.append(
                    (
                        v.host_school_name,
                        academic_year_of(v.visit_date),
                        scale.index(own),
                        scale.index(peer),
                    )
                )
    years = ag.self_evaluation_leans(rows)
    by_school: dict[str, list[ag.SelfEvaluationYear]] = defaultdict(list)
    for y in years:
        by_school[y.school].append(y)
    return tuple(
        SchoolSelfEvaluation(s, tuple(ys), ag.trend(ys)) for s, ys in sorted(by_school.items())
    )


# ---------------------------------------------------------------------------- moderation pack


def export_moderation_pack(
    db: Database,
    fmt: str,
    out: Path | str,
    flt: AgreementFilter | None = None,
    paper: str = "a4",
) -> Path:
    """The moderation pack of a year as Word or PDF, written to a temporary file and renamed."""
    from nexus_review.reports.export import export_document
    from nexus_review.reports.moderation import build_moderation_pack
    from nexus_review.storage.database import get_info
    from nexus_review.usecases.calibration import exercise_results, list_exercises

    report = agreement_report(db, flt)
    exercises = [
        exercise_results(db, e.id) for e in list_exercises(db) if e.academic_year == report.year
    ]
    with db.reading() as session:
        network = get_info(session, "network_name")
    return export_document(build_moderation_pack(report, network, exercises), fmt, out, paper)
