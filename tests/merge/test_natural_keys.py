"""Merging without silent loss: one record for one thing, whichever laptops wrote it (the
natural keys of judgements, priorities and look-fors).

Each test first reproduces a way an edit was lost or misplaced, then shows it no longer is.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nexus_review.storage.models import (
    DropIn,
    Judgement,
    SchoolPriority,
    Visit,
)
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.packages import (
    import_package_files,
    list_conflicts,
    resolve_conflict,
)
from nexus_review.usecases.visit_files import export_visit_file, import_visit_file
from tests.merge.small_network import Net, edit

ROOT = Path(__file__).resolve().parents[2]


def test_two_laptops_grading_the_same_area_make_one_judgement_and_a_conflict(net: Net) -> None:
    for db, grade in ((net.a, "strong-standard"), (net.b, "expected-standard")):
        with db.transaction() as s:
            s.add(
                Judgement(
                    visit_id=net.x,
                    area_key="inclusion",
                    peer_grade=grade,
                    rationale="" if db is net.a else "Seen in every class.",
                )
            )
    pa, pb = net.send(net.a, "a"), net.send(net.b, "b")
    results = import_package_files(net.admin, [pa, pb])
    assert [r.conflicts for r in results] == [0, 1]
    with net.admin.reading() as s:
        live = list(
            s.scalars(
                select(Judgement).where(Judgement.visit_id == net.x, Judgement.deleted.is_(False))
            )
        )
        assert len(live) == 1  # one judgement per visit and area
        (judgement,) = live
        assert (
            judgement.rationale == "Seen in every class."
        )  # a field only one laptop filled in is not a conflict
        report = visit_detail(s, net.x)
    assert [j.area_key for j in report.judgements] == ["inclusion"]
    assert report.judgements[0].peer_grade == judgement.peer_grade
    (conflict,) = list_conflicts(net.admin)
    assert conflict.field == "peer_grade" and conflict.record_id == judgement.id
    assert {conflict.ours["peer_grade"], conflict.theirs["peer_grade"]} == {
        "strong-standard",
        "expected-standard",
    }
    # The administrator keeps laptop A's grade; sent back, both laptops hold one judgement with it.
    keep = "ours" if conflict.ours["peer_grade"] == "strong-standard" else "theirs"
    resolve_conflict(net.admin, conflict.id, keep)
    back = net.send(net.admin, "back", all_visits=True)
    for db in (net.a, net.b):
        import_package_files(db, [back])
        with db.reading() as s:
            grades = list(
                s.scalars(
                    select(Judgement.peer_grade).where(
                        Judgement.visit_id == net.x, Judgement.deleted.is_(False)
                    )
                )
            )
        assert grades == ["strong-standard"]
    # A later change on laptop B (to its own id for the judgement) reaches the same record.
    with net.b.transaction() as s:
        s.scalars(
            select(Judgement).where(Judgement.visit_id == net.x)
        ).one().rationale = "Checked again."
    import_package_files(net.admin, [net.send(net.b, "b2")])
    with net.admin.reading() as s:
        assert [
            j.rationale
            for j in s.scalars(
                select(Judgement).where(Judgement.visit_id == net.x, Judgement.deleted.is_(False))
            )
        ] == ["Checked again."]


def test_the_same_grade_from_two_laptops_is_one_judgement_and_no_conflict(net: Net) -> None:
    for db in (net.a, net.b):
        with db.transaction() as s:
            s.add(Judgement(visit_id=net.y, area_key="achievement", peer_grade="strong-standard"))
    results = import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    assert [r.conflicts for r in results] == [0, 0]
    with net.admin.reading() as s:
        assert len(list(s.scalars(select(Judgement).where(Judgement.visit_id == net.y)))) == 1


def test_a_schools_priority_for_a_year_and_theme_is_one_record(net: Net) -> None:
    for db, words in ((net.a, "Phonics catch-up in Year 2"), (net.b, "Reading for pleasure")):
        with db.transaction() as s:
            s.add(
                SchoolPriority(
                    school_id=net.black_id,
                    academic_year="2025-26",
                    theme="Oracy",
                    description=words,
                )
            )
    # The priorities travel with a visit to the school.
    for db in (net.a, net.b):
        edit(db, Visit, net.y, questions=f"Asked on {db.device_id}")
    import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    with net.admin.reading() as s:
        rows = list(
            s.scalars(select(SchoolPriority).where(SchoolPriority.school_id == net.black_id))
        )
    assert len(rows) == 1
    fields = sorted(c.field or "" for c in list_conflicts(net.admin))
    assert fields == ["description", "questions"]


def test_two_reviewers_noting_different_look_fors_in_one_classroom_both_keep_theirs(
    net: Net,
) -> None:
    edit(net.a, DropIn, net.drop_in_x, look_for_results={"Talk partners": "seen"})
    edit(net.b, DropIn, net.drop_in_x, look_for_results={"Vocabulary": "not-seen"})
    results = import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    assert [r.conflicts for r in results] == [0, 0]
    with net.admin.reading() as s:
        assert s.get(DropIn, net.drop_in_x).look_for_results == {
            "Talk partners": "seen",
            "Vocabulary": "not-seen",
        }
    # The same look-for seen differently is a conflict on that look-for alone.
    edit(net.a, DropIn, net.drop_in_x, look_for_results={"Talk partners": "not-seen"})
    edit(
        net.b,
        DropIn,
        net.drop_in_x,
        look_for_results={"Vocabulary": "not-seen", "Talk partners": "partly"},
    )
    import_package_files(net.admin, [net.send(net.a, "a2"), net.send(net.b, "b2")])
    (conflict,) = list_conflicts(net.admin)
    assert conflict.field == "look_for_results[Talk partners]"
    assert conflict.differences() == [
        (
            "look_for_results[Talk partners]",
            conflict.ours["look_for_results"]["Talk partners"],
            "partly",
        )
    ]
    resolve_conflict(net.admin, conflict.id, "theirs")
    with net.admin.reading() as s:
        assert s.get(DropIn, net.drop_in_x).look_for_results == {
            "Talk partners": "partly",
            "Vocabulary": "not-seen",
        }


def test_a_visit_file_grading_an_area_already_graded_updates_that_judgement(
    net: Net, tmp_path: Path
) -> None:
    with net.admin.transaction() as s:
        s.add(Judgement(visit_id=net.x, area_key="inclusion", peer_grade="expected-standard"))
    with net.b.transaction() as s:
        s.add(
            Judgement(
                visit_id=net.x,
                area_key="inclusion",
                peer_grade="strong-standard",
                rationale="From B's file",
            )
        )
    out = tmp_path / "b.json"
    export_visit_file(net.b, net.x, out)
    for _ in range(2):  # the same file again changes nothing more
        import_visit_file(net.admin, out)
        with net.admin.reading() as s:
            live = list(
                s.scalars(
                    select(Judgement).where(
                        Judgement.visit_id == net.x, Judgement.deleted.is_(False)
                    )
                )
            )
        assert [(j.peer_grade, j.rationale) for j in live] == [("strong-standard", "From B's file")]
