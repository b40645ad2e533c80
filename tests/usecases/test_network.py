"""The network view's core: grouping, rota, consistency, follow-up, the compilation, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from nexus_review.demo import demo_years
from nexus_review.domain.calendar import academic_year_bounds, academic_year_of
from nexus_review.domain.grouping import group_sizes, propose_rota, suggest_groups
from nexus_review.domain.network import (
    PriorityMatrix,
    host_date_a_year_on,
    renamed_for,
    tracked_actions,
)
from nexus_review.errors import NexusError
from nexus_review.reports.compilation import CompilationOptions, build_compilation
from nexus_review.reports.consistency import consistency
from nexus_review.selftest import read_document_text
from nexus_review.storage.database import Database
from nexus_review.storage.repository import priority_matrix, retire_review_groups
from nexus_review.usecases.network import (
    copy_previous_year,
    network_visits,
    review_groups,
    save_groups,
    update_action,
    year_start,
)
from nexus_review.usecases.reports import export_compilation

ROOT = Path(__file__).resolve().parents[2]
# The demo network is dated from today: the year before the current one is complete.
LAST_YEAR = demo_years()[1]
TODAY = academic_year_bounds(LAST_YEAR)[1] - dt.timedelta(days=42)  # 20 July, the end of its summer term


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_group_sizes_are_triads_and_quartets() -> None:
    for n in range(6, 30):
        sizes = group_sizes(n)
        assert sum(sizes) == n and all(s in (3, 4) for s in sizes)
    assert group_sizes(10) == [4, 3, 3]


def test_schools_sharing_most_priorities_end_up_together() -> None:
    themes = ("Reading", "Oracy", "SEND", "Writing", "Maths", "Attendance")
    plan = {  # three clear clusters of alike schools, shuffled names
        "s1": {"Reading", "Oracy"}, "s5": {"Reading", "Oracy"}, "s9": {"Reading", "Oracy", "Maths"},
        "s2": {"SEND", "Writing"}, "s6": {"SEND", "Writing"}, "s7": {"SEND", "Writing", "Attendance"},
        "s3": {"Maths", "Attendance"}, "s4": {"Maths", "Attendance"}, "s8": {"Maths", "Attendance"}, "s0": {"Maths", "Attendance", "Reading"},
    }
    matrix = PriorityMatrix(LAST_YEAR, tuple((s, s) for s in sorted(plan)), themes, frozenset((s, t) for s, ts in plan.items() for t in ts))
    groups = suggest_groups(matrix)
    assert sorted(len(g) for g in groups) == [3, 3, 4]
    assert sorted(itertools.chain(*groups)) == sorted(plan)  # every school in exactly one group
    assert {frozenset(g) for g in groups} == {frozenset({"s1", "s5", "s9"}), frozenset({"s2", "s6", "s7"}), frozenset({"s3", "s4", "s8", "s0"})}
    from nexus_review.domain.grouping import _score

    total = sum(_score(matrix, g) for g in groups)
    for other in itertools.islice(itertools.permutations(sorted(plan)), 0, 2000, 7):  # no other split of this shape does better
        split = [other[:4], other[4:7], other[7:]]
        assert sum(_score(matrix, g) for g in split) <= total


def test_the_demo_networks_grouping_and_rota(demo_db: Database) -> None:
    with demo_db.reading() as s:
        matrix = priority_matrix(s, LAST_YEAR)
    groups = suggest_groups(matrix)
    assert sorted(itertools.chain(*groups)) == sorted(sid for sid, _ in matrix.schools)
    ids = save_groups(demo_db, LAST_YEAR, groups, names=[f"Group {i}" for i in range(len(groups))])
    saved = review_groups(demo_db, LAST_YEAR)
    assert len(saved) == len(ids) == len(groups)
    for group in saved:
        dates = [m[3] for m in group.members]
        assert len(set(dates)) == len(dates) == len(group.members)  # each school hosts exactly once
        assert all(academic_year_bounds(LAST_YEAR)[0] <= d <= academic_year_bounds(LAST_YEAR)[1] and d.weekday() == 2 for d in dates)  # type: ignore[operator,union-attr]
    assert propose_rota(LAST_YEAR, 3) == sorted(propose_rota(LAST_YEAR, 3))
    with pytest.raises(Exception, match="only one review group"):
        save_groups(demo_db, LAST_YEAR, [groups[0], groups[0]])


def test_consistency_counts_agree_with_the_judgements(demo_db: Database) -> None:
    visits = network_visits(demo_db, LAST_YEAR)
    rows = consistency(visits)
    from nexus_review.frameworks import get_framework

    for row in rows:
        expected = [0, 0, 0]
        for v in visits:
            if v.framework_key != row.framework_key:
                continue
            j = v.judgement(row.area_key)
            c = get_framework(v.framework_key).compare(row.area_key, j.peer_grade, j.self_grade) if j else None
            if c is not None:
                expected[{0: 0, 1: 1, -1: 2}[c]] += 1
        assert [row.agreed, row.higher, row.lower] == expected
        assert row.judged == sum(expected)


def test_marking_progress_and_adding_a_follow_up_note(demo_db: Database) -> None:
    visits = network_visits(demo_db, LAST_YEAR)
    action = next(a for a in tracked_actions(visits) if a.status == "open")
    update_action(demo_db, action.id, status="in-progress", note="Reported at the spring group meeting", when=dt.date(2026, 3, 4))
    after = next(a for a in tracked_actions(network_visits(demo_db, LAST_YEAR)) if a.id == action.id)
    assert after.status == "in-progress"
    assert after.follow_up[-1] == (dt.date(2026, 3, 4), "Reported at the spring group meeting")
    with pytest.raises(Exception, match="not a status"):
        update_action(demo_db, action.id, status="finished")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_compilation_reads_back_with_the_databases_figures(demo_db: Database, tmp_path: Path, fmt: str) -> None:
    options = CompilationOptions(year=LAST_YEAR, today=TODAY)
    out = export_compilation(demo_db, fmt, tmp_path / f"compilation.{fmt}", options)
    text = _flat(read_document_text(out))  # type: ignore[arg-type]
    visits = network_visits(demo_db, LAST_YEAR)
    schools = sorted({v.host_school.name for v in visits})
    for heading in ("Contents", "Overview", "Themes", "Judgement consistency", "The reviews, school by school", "Thought-provoking questions", "Follow-up of agreed next steps"):
        assert heading in text
    assert f"Reviews {len(visits)}" in text
    assert f"Schools reviewed {len(schools)}: {', '.join(schools)}" in text
    rows = consistency(visits)
    judged, agreed = sum(r.judged for r in rows), sum(r.agreed for r in rows)
    assert f"the peer judgement agreed with the school's own self-evaluation {agreed} times ({agreed / judged:.0%})" in text
    assert judged >= 10
    for r in rows:  # a share of a handful of judgements as a count, of more as a percentage
        share = f"{r.agreed} of {r.judged}" if r.judged < 10 else f"{r.rate:.0%}"
        assert f"{r.area_name} {r.judged} {r.agreed} {r.higher} {r.lower} {share}" in text
    for v in visits:  # each school's summary
        first_sentence = v.summary.split(". ")[0]
        assert _flat(first_sentence) in text
    for a in tracked_actions(visits):  # each next step
        assert _flat(a.description) in text
    staff = {e.staff for v in visits for e in v.evidence if e.staff}
    assert staff and not any(name in text for name in staff)  # anonymised by default
    if fmt == "pdf":
        reader = PdfReader(str(out))
        assert reader.metadata.title.startswith("Collaborative review compilation")
        assert len(reader.pages) < len(visits) + 12  # reviews run on, not a page each
    else:
        document = docx.Document(str(out))
        assert document.inline_shapes  # the chart, as a picture of the same chart
        assert any(p.style.name == "Heading 1" and p.text == "Themes" for p in document.paragraphs)


def test_a_compilation_for_one_term_or_school_holds_only_those_reviews(demo_db: Database) -> None:
    visits = network_visits(demo_db, LAST_YEAR, term="autumn")
    assert visits and all(v.visit_date.month >= 9 for v in visits)
    one = network_visits(demo_db, LAST_YEAR, schools=["Staple Hill"])
    assert one and {v.host_school.name for v in one} == {"Staple Hill"}
    document = build_compilation(one, CompilationOptions(LAST_YEAR, schools=("Staple Hill",), named_staff=True, today=TODAY))
    assert "Staple Hill" in document.subtitle
    text = document.text()
    assert "Blackhorse Primary:" not in text
    with pytest.raises(Exception, match="no school called"):
        network_visits(demo_db, LAST_YEAR, schools=["Nowhere Primary"])


def test_compile_and_csv_on_the_command_line(demo_db: Database, tmp_path: Path) -> None:
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "nexus_review", "--db", demo_db.url, *a], cwd=ROOT, capture_output=True, text=True, env=env, timeout=180)  # noqa: E731
    proc = run("compile", "--format", "pdf", "--out", str(tmp_path / "c.pdf"), "--year", LAST_YEAR, "--term", "spring")
    assert proc.returncode == 0, proc.stderr
    assert "Collaborative review compilation" in read_document_text(tmp_path / "c.pdf")
    proc = run("data", "export", "--format", "csv", "--what", "judgements", "--out", str(tmp_path / "j.csv"), "--year", LAST_YEAR)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "j.csv").read_text(encoding="utf-8-sig"))))
    visits = network_visits(demo_db, LAST_YEAR)
    assert len(rows) == sum(len(v.judgements) for v in visits)
    assert {r["agreement"] for r in rows} <= {"agreed", "peer higher", "peer lower", ""}
    proc = run("data", "export", "--format", "csv", "--what", "actions", "--out", str(tmp_path / "a.csv"))
    assert proc.returncode == 0
    actions = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8-sig"))))
    every_year = [v for year in demo_years() for v in network_visits(demo_db, year)]
    assert len(actions) == len(tracked_actions(every_year)) > 100
    bad = run("compile", "--format", "pdf", "--out", str(tmp_path / "x.pdf"), "--year", "2025")
    assert bad.returncode == 1 and "is not an academic year" in bad.stderr


# ---- a new school year ------------------------------------------------------------------------


def _sql_dump(db: Database) -> list[object]:
    from tests.pg import dump

    return dump(db)  # every row of every table, on SQLite or PostgreSQL


def _next_year(year: str) -> str:
    return academic_year_of(academic_year_bounds(year)[1] + dt.timedelta(days=1))


def test_a_new_year_starts_from_last_years_priorities_and_groups(demo_db: Database) -> None:
    current = demo_years()[-1]
    new = _next_year(current)  # nothing in it yet
    with demo_db.reading() as s:
        before = priority_matrix(s, current)
    old_groups = review_groups(demo_db, current)
    count = len(before.cells)  # each school's three or four priorities
    assert 30 <= count <= 40 and len(old_groups) == 3
    start = year_start(demo_db, new)
    assert (start.previous, start.priorities, start.groups) == (current, 0, 0)
    assert start.to_copy == (count, 3) and start.missing
    assert start.notice() == f"{new} has no school priorities or review groups yet. You can start from {current}'s and change them."
    assert start.confirmation().startswith(f"Copy {count} school priorities and 3 review groups from {current} into {new}?")
    assert "deleting them undoes the copy" in start.confirmation()

    copied = copy_previous_year(demo_db, new)

    assert (copied.priorities, copied.groups, copied.previous) == (count, 3, current)
    with demo_db.reading() as s:
        after = priority_matrix(s, new)
        assert priority_matrix(s, current) == before  # last year's are left as they were
    assert after.cells == before.cells and after.themes == before.themes
    new_groups = review_groups(demo_db, new)
    assert review_groups(demo_db, current) == old_groups
    assert sorted(g.name for g in new_groups) == sorted(g.name.replace(current, new) for g in old_groups)
    first, last = academic_year_bounds(new)
    for old, group in zip(sorted(old_groups, key=lambda g: g.name), sorted(new_groups, key=lambda g: g.name), strict=True):
        assert group.id != old.id and group.focus == old.focus and group.year == new
        assert [m[1] for m in group.members] == [m[1] for m in old.members]  # same schools, same order
        for (_mid, _school, _name, day), (_o, _s, _n, old_day) in zip(group.members, old.members, strict=True):
            assert day is not None and old_day is not None
            assert first <= day <= last and day.weekday() == old_day.weekday()
            assert abs((day - old_day).days - 364) <= 7
    # The suggested grouping works on the copy as on any year.
    assert sorted(itertools.chain(*suggest_groups(after))) == sorted(sid for sid, _ in after.schools)
    again = year_start(demo_db, new)
    assert not again.missing and again.notice() == "" and again.to_copy == (0, 0)
    unchanged = _sql_dump(demo_db)
    with pytest.raises(NexusError, match=f"^{new} already has its own school priorities and review groups.$"):
        copy_previous_year(demo_db, new)
    assert _sql_dump(demo_db) == unchanged


def test_only_what_a_year_lacks_is_copied(demo_db: Database) -> None:
    current = demo_years()[-1]
    new = _next_year(current)
    copy_previous_year(demo_db, new)
    with demo_db.transaction() as s:  # the administrator starts the groups again
        retire_review_groups(s, new)
    start = year_start(demo_db, new)
    assert start.notice() == f"{new} has no review groups yet. You can start from {current}'s and change them."
    assert start.to_copy == (0, 3)
    assert start.confirmation().startswith(f"Copy 3 review groups from {current} into {new}?")
    copied = copy_previous_year(demo_db, new)
    assert (copied.priorities, copied.groups) == (0, 3)
    assert year_start(demo_db, new).priorities == start.previous_priorities and len(review_groups(demo_db, new)) == 3


def test_nothing_to_copy_is_said_in_one_sentence_and_changes_nothing(demo_db: Database) -> None:
    before_demo = academic_year_of(academic_year_bounds(demo_years()[0])[0] - dt.timedelta(days=1))
    start = year_start(demo_db, before_demo)
    assert start.to_copy == (0, 0)
    assert start.notice() == f"{before_demo} has no school priorities or review groups yet, and {start.previous} has none to copy."
    unchanged = _sql_dump(demo_db)
    with pytest.raises(NexusError, match=f"^{start.previous} has no school priorities or review groups to copy.$"):
        copy_previous_year(demo_db, before_demo)
    with pytest.raises(NexusError, match="is not an academic year"):
        copy_previous_year(demo_db, "2027")
    assert _sql_dump(demo_db) == unchanged


def test_a_group_is_renamed_for_its_year_and_hosts_a_year_on() -> None:
    assert renamed_for("Oracy quartet 2025-26", "2025-26", "2026-27") == "Oracy quartet 2026-27"
    assert renamed_for("North triad", "2025-26", "2026-27") == "North triad 2026-27"
    assert host_date_a_year_on(dt.date(2025, 10, 15), "2026-27") == dt.date(2026, 10, 14)
    assert host_date_a_year_on(dt.date(2025, 9, 1), "2026-27") == dt.date(2026, 9, 7)  # not in August
    assert host_date_a_year_on(None, "2026-27") is None


def test_a_copy_that_fails_half_way_leaves_nothing_behind(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from nexus_review.errors import DatabaseError
    from nexus_review.storage import repository

    def refused(*_args: object, **_kwargs: object) -> int:
        raise DatabaseError("The disk is full.")

    monkeypatch.setattr(repository, "copy_review_groups", refused)
    unchanged = _sql_dump(demo_db)
    with pytest.raises(DatabaseError):
        copy_previous_year(demo_db, _next_year(demo_years()[-1]))
    assert _sql_dump(demo_db) == unchanged  # the priorities copied first are rolled back too


def test_a_compilation_of_the_year_in_progress_holds_only_the_reviews_that_took_place(tmp_path: Path) -> None:
    """Visits still planned for later in the year have no outcomes to compile: they are
    counted, not listed as reviews."""
    from nexus_review.demo import fill_demo_network
    from nexus_review.domain.enums import VisitKind, label_of
    from nexus_review.storage.database import open_database

    db = open_database(tmp_path / "mid-year.db")
    try:
        fill_demo_network(db, today=dt.date(2027, 2, 10))
        visits = network_visits(db, "2026-27")
    finally:
        db.close()
    planned = [v for v in visits if v.status == "planned"]
    held = [v for v in visits if v.status != "planned"]
    assert planned and held
    document = build_compilation(visits, CompilationOptions("2026-27", today=dt.date(2027, 2, 10)))
    text = _flat(document.text())
    assert f"Reviews: {len(held)} " in text
    assert f"Still planned: {len(planned)} later in the year" in text
    headings = {b.text for b in document.blocks if type(b).__name__ == "Heading"}

    def page(v: object) -> str:
        return f"{v.host_school.name}: {label_of(VisitKind, v.kind).lower()}, {v.visit_date.day} {v.visit_date:%b %Y}"  # type: ignore[attr-defined]

    assert all(page(v) in headings for v in held)
    assert not any(page(v) in headings for v in planned), "no empty page for a visit still to come"
    last = max(v.visit_date for v in held)
    assert f"to {last.day} {last:%b %Y}" in text
    nothing_yet = _flat(build_compilation(planned, CompilationOptions("2026-27")).text())
    assert f"No reviews were recorded for 2026-27. {len(planned)} visits are planned later in the year." in nothing_yet
