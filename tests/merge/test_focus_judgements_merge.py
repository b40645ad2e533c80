"""Judgements of a visit's agreed focus areas merge like any judgement: one per visit and
focus area, whichever laptops graded it."""

from __future__ import annotations

from sqlalchemy import select

from nexus_review.frameworks import focus_key
from nexus_review.storage.models import Judgement
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.packages import import_package_files, list_conflicts
from tests.merge.small_network import Net


def test_two_laptops_judging_the_same_focus_area_make_one_judgement(net: Net) -> None:
    # The two reviewers typed the focus area differently; it is the same focus area.
    for db, spelling, grade in (
        (net.a, "Reading for pleasure", "strong-standard"),
        (net.b, "reading for  Pleasure", "expected-standard"),
    ):
        with db.transaction() as s:
            s.add(
                Judgement(
                    visit_id=net.x,
                    area_key=focus_key(spelling),
                    peer_grade=grade,
                    rationale="" if db is net.a else "Pupils choose books eagerly.",
                )
            )
    results = import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    assert [r.conflicts for r in results] == [0, 1]
    with net.admin.reading() as s:
        live = list(
            s.scalars(
                select(Judgement).where(Judgement.visit_id == net.x, Judgement.deleted.is_(False))
            )
        )
        report = visit_detail(s, net.x)
    assert [j.area_key for j in live] == ["focus:reading-for-pleasure"]
    assert (
        report.judgement("focus:reading-for-pleasure").rationale == "Pupils choose books eagerly."
    )  # type: ignore[union-attr]
    (conflict,) = list_conflicts(net.admin)
    assert conflict.field == "peer_grade"
