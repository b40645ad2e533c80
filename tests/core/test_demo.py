"""The demo network: realistic enough for training and screenshots, and safe to fill twice."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.demo import (
    DEMO_DEVICE,
    DemoCounts,
    demo_years,
    fill_demo_network,
)
from nexus_review.domain.calendar import academic_year_bounds, academic_year_of
from nexus_review.domain.enums import EvidenceKind, LookForResult, VisitKind, VisitStatus
from nexus_review.frameworks import SAFEGUARDING_KEY, get_framework
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import (
    SYNCED_MODELS,
    Action,
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
from tests.core.demo_dump import dump

NEXUS_SCHOOLS = {
    "Mangotsfield CE VC Primary",
    "Blackhorse Primary",
    "Bromley Heath Junior",
    "Bromley Heath Infant",
    "Emersons Green Primary",
    "Kings Forest Primary",
    "Staple Hill",
    "Stanbridge Primary",
    "St Michaels CE Primary",
    "St Stephens Junior",
}
# Mid-year: the spring term of 2026-27 under way, so the demo has reviews written up,
# reports still being drafted and visits planned for the rest of the year.
TODAY = dt.date(2027, 2, 10)
YEARS = demo_years(TODAY)  # 2024-25, 2025-26, 2026-27


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Database, DemoCounts]]:
    db = open_database(tmp_path / "demo.db")
    counts = fill_demo_network(db, today=TODAY)
    yield db, counts
    db.close()


def test_the_ten_nexus_schools(demo: tuple[Database, DemoCounts]) -> None:
    db, counts = demo
    with db.reading() as session:
        schools = session.scalars(select(School)).all()
        assert {s.name for s in schools} == NEXUS_SCHOOLS
        assert len(schools) == counts.schools == 10
        for school in schools:
            assert school.local_authority == "South Gloucestershire"
            assert len(school.urn) == 6 and school.urn.startswith("109")
            assert school.headteacher
            expected = (
                "Infant"
                if "Infant" in school.name
                else "Junior"
                if "Junior" in school.name
                else "Primary"
            )
            assert school.phase == expected
        heads = session.scalars(select(Reviewer).where(Reviewer.role == "Headteacher")).all()
        assert {h.home_school_id for h in heads} == {s.id for s in schools}
        assert counts.reviewers == len(session.scalars(select(Reviewer)).all()) == 12


def test_visits_span_three_years_and_every_school_hosts(demo: tuple[Database, DemoCounts]) -> None:
    db, counts = demo
    with db.reading() as session:
        visits = session.scalars(select(Visit)).all()
        schools = {s.id for s in session.scalars(select(School))}
        assert len(visits) == counts.visits
        for year in YEARS:
            in_year = [v for v in visits if academic_year_of(v.visit_date) == year]
            assert 20 <= len(in_year) <= 30
            assert {v.host_school_id for v in in_year} == schools
            assert {v.kind for v in in_year} == {k.value for k in VisitKind}
        for v in visits:
            assert v.visit_date.weekday() < 5, "schools are visited on weekdays"
            assert (
                academic_year_bounds(YEARS[0])[0]
                <= v.visit_date
                <= academic_year_bounds(YEARS[-1])[1]
            )
            assert v.focus_areas and all(isinstance(f, str) for f in v.focus_areas)
            leads = [t for t in v.team if t.is_lead]
            assert len(leads) == 1
            if v.kind == VisitKind.EVALUATION_DAY:
                expected = "eif-2019" if v.visit_date < dt.date(2025, 11, 1) else "ofsted-2025"
                assert v.framework_key == expected
        statuses = Counter(v.status for v in visits)
        assert set(statuses) == {
            VisitStatus.REPORT_SENT.value,
            VisitStatus.REPORT_DRAFTED.value,
            VisitStatus.PLANNED.value,
        }
        drafted = [v for v in visits if v.status == VisitStatus.REPORT_DRAFTED.value]
        latest_sent = max(v.visit_date for v in visits if v.status == VisitStatus.REPORT_SENT.value)
        assert all(latest_sent <= v.visit_date < TODAY for v in drafted)
        planned = [v for v in visits if v.status == VisitStatus.PLANNED.value]
        assert all(
            academic_year_of(v.visit_date) == YEARS[-1] and v.visit_date >= TODAY for v in planned
        )


def test_every_head_does_two_evaluation_days_a_year(demo: tuple[Database, DemoCounts]) -> None:
    db, _ = demo
    with db.reading() as session:
        heads = session.scalars(select(Reviewer).where(Reviewer.role == "Headteacher")).all()
        for year in YEARS:
            days: Counter[str] = Counter()
            for visit in session.scalars(
                select(Visit).where(Visit.kind == VisitKind.EVALUATION_DAY.value)
            ):
                if academic_year_of(visit.visit_date) != year:
                    continue
                assert len(visit.team) == 2
                for member in visit.team:
                    assert member.reviewer.home_school_id != visit.host_school_id
                    days[member.reviewer_id] += 1
            assert all(days[h.id] >= 2 for h in heads), (year, days)


def test_groups_are_triads_or_quartets_and_each_member_hosts_once(
    demo: tuple[Database, DemoCounts],
) -> None:
    db, counts = demo
    with db.reading() as session:
        groups = session.scalars(select(ReviewGroup)).all()
        assert len(groups) == counts.groups
        for year in YEARS:
            in_year = [g for g in groups if g.academic_year == year]
            members = [m.school_id for g in in_year for m in g.members]
            assert sorted(len(g.members) for g in in_year) == [3, 3, 4]
            assert len(members) == len(set(members)) == 10
        for group in groups:
            assert 3 <= len(group.members) <= 4
            assert [m.position for m in group.members] == list(range(len(group.members)))
            dates = [m.host_date for m in group.members]
            assert all(d is not None and d.weekday() < 5 for d in dates)
            assert dates == sorted(dates) and len(set(dates)) == len(dates)
            assert {academic_year_of(d) for d in dates if d} == {group.academic_year}
            reviews = session.scalars(
                select(Visit).where(Visit.kind == VisitKind.COLLABORATIVE_REVIEW.value)
            ).all()
            for member in group.members:
                hosted = [
                    v
                    for v in reviews
                    if v.host_school_id == member.school_id and v.visit_date == member.host_date
                ]
                assert len(hosted) == 1
                team = {t.reviewer.home_school_id for t in hosted[0].team}
                others = {m.school_id for m in group.members} - {member.school_id}
                assert team == others


def test_priorities_use_the_matrix_vocabulary_and_overlap(
    demo: tuple[Database, DemoCounts],
) -> None:
    db, counts = demo
    with db.reading() as session:
        priorities = session.scalars(select(SchoolPriority)).all()
        assert len(priorities) == counts.priorities
        per_school = Counter((p.school_id, p.academic_year) for p in priorities)
        assert len(per_school) == 30 and all(3 <= n <= 4 for n in per_school.values())
        for year in YEARS:
            themes = Counter(p.theme for p in priorities if p.academic_year == year)
            assert themes.most_common(1)[0][1] >= 4, "groups need shared priorities"
        for group in session.scalars(select(ReviewGroup)):
            shared = None
            for member in group.members:
                mine = {
                    p.theme
                    for p in priorities
                    if p.school_id == member.school_id and p.academic_year == group.academic_year
                }
                shared = mine if shared is None else shared & mine
            assert shared, group.name


def test_a_second_fill_changes_nothing(demo: tuple[Database, DemoCounts]) -> None:
    db, counts = demo
    assert counts.added > 500
    before = dump(db)
    again = fill_demo_network(db, today=TODAY)
    assert again.added == 0
    assert dump(db) == before
    assert sum(len(rows) for rows in before.values()) == counts.added


def test_fill_is_deterministic_with_fixed_sync_metadata(
    demo: tuple[Database, DemoCounts], tmp_path: Path
) -> None:
    db, _ = demo
    other = open_database(tmp_path / "other.db")
    try:
        fill_demo_network(other, today=TODAY)
        assert dump(other) == dump(db)
    finally:
        other.close()
    with db.reading() as session:
        for model in SYNCED_MODELS:
            for row in session.scalars(select(model)):
                assert row.device_id == DEMO_DEVICE
                assert row.revision == 1 and row.vclock == {DEMO_DEVICE: 1}
                assert dt.date(2024, 7, 1) <= row.created_at.date() < TODAY and not row.deleted


# The demo network's records as the demo has always made them on TODAY: its data files and
# its builder must keep giving the same database, row for row (a change of the demo's
# wording, people or rota, or of these tables' columns, changes it on purpose: then give the
# new digest here).
DEMO_DIGEST = "ba49df6829a6c3020cf456c5d93bd3e0ed7a918528b5d80e7b8dfa49ec19f9e1"


def test_the_demo_database_is_the_one_it_has_always_been(demo: tuple[Database, DemoCounts]) -> None:
    db, _ = demo
    digest = hashlib.sha256()
    with db.reading() as session:
        for model in (
            School,
            Reviewer,
            SchoolPriority,
            ReviewGroup,
            ReviewGroupMember,
            Visit,
            VisitReviewer,
            Evidence,
            DropIn,
            Judgement,
            Action,
        ):
            for row in session.execute(select(*model.__table__.columns).order_by(model.id)):
                digest.update(repr(tuple(row)).encode())
    assert digest.hexdigest() == DEMO_DIGEST


def test_graded_visits_use_their_frameworks_scale(demo: tuple[Database, DemoCounts]) -> None:
    db, _ = demo
    with db.reading() as session:
        visits = session.scalars(select(Visit)).all()
        graded_seen = 0
        for visit in visits:
            framework = get_framework(visit.framework_key)
            judged = {j.area_key: j for j in visit.judgements}
            if visit.status == VisitStatus.PLANNED.value:
                assert not judged and not visit.evidence, "nothing is judged before the visit"
                continue
            evidence_ids = {e.id for e in visit.evidence}
            for judgement in judged.values():
                assert judgement.rationale
                assert 1 <= len(judgement.evidence_ids) <= 3
                assert set(judgement.evidence_ids) <= evidence_ids
            for evidence in visit.evidence:
                for area, grade in evidence.grades.items():
                    assert framework.grade(area, grade) is not None
            if not framework.graded:
                assert all(j.peer_grade is None and j.self_grade is None for j in judged.values())
                continue
            graded_seen += 1
            expected = {a.key for a in framework.judged_areas() if not a.where_relevant}
            assert set(judged) == expected
            assert (SAFEGUARDING_KEY in judged) == framework.has_safeguarding
            for key, judgement in judged.items():
                assert framework.grade(key, judgement.peer_grade) is not None
                assert framework.grade(key, judgement.self_grade) is not None
                difference = framework.compare(key, judgement.peer_grade, judgement.self_grade)
                peer = framework.grade(key, judgement.peer_grade)
                school = framework.grade(key, judgement.self_grade)
                assert peer is not None and school is not None
                assert abs(peer.rank - school.rank) <= 1, "never more than one step apart"
                if key == SAFEGUARDING_KEY:
                    assert difference == 0 and judgement.peer_grade in ("met", "effective")
        assert graded_seen >= 20
        disagreements = session.scalars(
            select(Judgement).where(Judgement.peer_grade != Judgement.self_grade)
        ).all()
        assert 0 < len(disagreements) < len(session.scalars(select(Judgement)).all()) / 3


def test_reports_read_like_peer_review_notes(demo: tuple[Database, DemoCounts]) -> None:
    db, counts = demo
    with db.reading() as session:
        everything = session.scalars(select(Visit)).all()
        visits = [v for v in everything if v.status != VisitStatus.PLANNED.value]
        for visit in everything:
            if visit.status == VisitStatus.PLANNED.value:
                assert not (visit.summary or visit.strengths or visit.questions)
                assert not (visit.evidence or visit.judgements or visit.actions)
                assert visit.team and visit.focus_areas
        for visit in visits:
            assert len(visit.summary) > 150
            assert 3 <= len(visit.strengths.splitlines()) <= 5
            assert 2 <= len(visit.areas_for_development.splitlines()) <= 4
            assert 2 <= len(visit.questions.splitlines()) <= 3
            assert all(q.rstrip().endswith("?") for q in visit.questions.splitlines())
            assert 2 <= len(visit.actions) <= 4
            for action in visit.actions:
                assert action.owner and action.due_date and action.due_date > visit.visit_date
                for note in action.follow_up:
                    assert dt.date.fromisoformat(note["date"]) > visit.visit_date and note["note"]
            if visit.kind == VisitKind.EVALUATION_DAY:
                assert 4 <= len(visit.evidence) <= 7
            elif visit.kind == VisitKind.COLLABORATIVE_REVIEW:
                assert 3 <= len(visit.evidence) <= 4
        # Different visits on the same theme do not read the same.
        assert len({v.strengths for v in visits}) == len(visits)
        assert len({v.summary for v in visits}) == len(visits)
        evidence = session.scalars(select(Evidence)).all()
        assert len(evidence) == counts.evidence
        kinds = Counter(e.kind for e in evidence)
        assert set(kinds) == {k.value for k in EvidenceKind} - {EvidenceKind.OTHER.value}
        for item in evidence:
            if item.kind == EvidenceKind.LESSON_OBSERVATION.value:
                assert item.time_in and item.time_out and item.time_in < item.time_out
                assert item.class_name.endswith("class") and item.year_group and item.staff
                assert item.subject and item.notes
            if item.kind == EvidenceKind.PUPIL_VOICE.value:
                assert item.participants and item.who_what.startswith(f"{item.participants} pupils")
            if item.kind == EvidenceKind.LEARNING_WALK.value:
                assert 3 <= len(item.look_fors) <= 4
                assert 4 <= len(item.drop_ins) <= 8
                for drop_in in item.drop_ins:
                    assert set(drop_in.look_for_results) == set(item.look_fors)
                    assert {LookForResult(r) for r in drop_in.look_for_results.values()}
        assert session.scalars(select(DropIn)).first() is not None
        statuses = Counter(a.status for a in session.scalars(select(Action)))
        assert statuses["done"] and statuses["open"] and statuses["in-progress"]
        assert len(session.scalars(select(VisitReviewer)).all()) >= 2 * len(visits) - 10


def test_text_fits_the_school_it_is_written_about(demo: tuple[Database, DemoCounts]) -> None:
    """No Reception praised at a junior school, no Key Stage 2 at an infant school."""
    import re

    not_taught = {
        "Junior": re.compile(r"\b(Reception|early years|Year [12]|Key Stage 1)\b", re.IGNORECASE),
        "Infant": re.compile(r"\b(Year [3-6]|Key Stage 2)\b"),
    }
    db, _counts = demo
    with db.reading() as session:
        for visit in session.scalars(select(Visit)):
            pattern = not_taught.get(visit.host_school.phase)
            if pattern is None:
                continue
            texts = [
                visit.summary,
                visit.strengths,
                visit.areas_for_development,
                visit.questions,
                *visit.focus_areas,
                *(a.description for a in visit.actions),
                *(e.strengths + "\n" + e.areas_for_development for e in visit.evidence),
            ]
            for text in texts:
                assert not pattern.search(text), (visit.host_school.name, text)


def test_rationales_match_their_grades_and_are_the_schools_own(
    demo: tuple[Database, DemoCounts],
) -> None:
    from nexus_review.demo_data import RATIONALES

    secure = {line.split("{")[0] for bank in RATIONALES.values() for line in bank["secure"]}
    db, _counts = demo
    with db.reading() as session:
        judgements = session.scalars(select(Judgement)).all()
        for j in judgements:
            framework = get_framework(j.visit.framework_key)
            if framework.graded and framework.compare(j.area_key, j.peer_grade, j.self_grade) == -1:
                # Marked below the school's own: the words say why, never "included fully".
                body = j.rationale.split("evaluation. ", 1)[1]
                assert not any(body.startswith(s) for s in secure), j.rationale
        assert "included fully" not in " ".join(
            j.rationale
            for j in judgements
            if get_framework(j.visit.framework_key).compare(j.area_key, j.peer_grade, j.self_grade)
            == -1
        )
        assert len({j.rationale for j in judgements}) == len(
            judgements
        )  # none copied between schools
