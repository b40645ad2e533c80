"""The rules of editing an open visit, decided without a window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nexus_review.domain.calendar import half_a_term_after
from nexus_review.domain.enums import EvidenceKind, VisitStatus
from nexus_review.domain.records import ReviewerItem
from nexus_review.usecases import editing

NINE = dt.time(9, 0)


def _copy(
    status: str = "planned", team: list[dict[str, Any]] | None = None, evidence: int = 0
) -> dict[str, Any]:
    return {
        "visit": {"v": {"id": "v", "status": status, "host_school_id": "host"}},
        "visit_reviewer": {m["id"]: m for m in team or []},
        "evidence": {
            f"e{i}": {"id": f"e{i}", "position": i, "deleted": False} for i in range(evidence)
        },
    }


def _member(
    mid: str, reviewer: str, position: int, lead: bool = False, deleted: bool = False
) -> dict[str, Any]:
    return {
        "id": mid,
        "reviewer_id": reviewer,
        "position": position,
        "is_lead": lead,
        "deleted": deleted,
    }


def test_the_first_evidence_starts_a_planned_visit() -> None:
    edits = editing.add_evidence(_copy(), "v", EvidenceKind.LESSON_OBSERVATION, NINE)
    assert edits.add is not None and edits.add.table == "evidence"
    assert edits.add.values["position"] == 0 and edits.add.values["time_in"] == NINE
    assert edits.fields == (
        editing.SetField("visit", "v", "status", VisitStatus.IN_PROGRESS.value),
    )
    assert edits.text == f"Add {EvidenceKind.LESSON_OBSERVATION.label.lower()}"


def test_evidence_goes_last_and_leaves_a_started_visit_as_it_is() -> None:
    edits = editing.add_evidence(
        _copy(VisitStatus.REPORT_DRAFTED.value, evidence=3), "v", EvidenceKind.PUPIL_VOICE, NINE
    )
    assert edits.add is not None and edits.add.values["position"] == 3
    assert edits.fields == ()


def test_the_first_reviewer_on_a_team_leads_it_and_the_next_does_not() -> None:
    first = editing.set_team_member(_copy(), "v", "r1", True)
    assert (
        first.add is not None
        and first.add.values["is_lead"] is True
        and first.add.values["position"] == 0
    )
    second = editing.set_team_member(
        _copy(team=[_member("m1", "r1", 0, lead=True)]), "v", "r2", True
    )
    assert (
        second.add is not None
        and second.add.values["is_lead"] is False
        and second.add.values["position"] == 1
    )


def test_a_reviewer_taken_off_and_put_back_gets_their_old_record_again() -> None:
    records = _copy(team=[_member("m1", "r1", 0, deleted=True)])
    edits = editing.set_team_member(records, "v", "r1", True)
    assert edits.add is None
    assert edits.fields == (editing.SetField("visit_reviewer", "m1", "deleted", False),)


def test_taking_a_reviewer_off_tombstones_them_and_nothing_else_changes_twice() -> None:
    records = _copy(team=[_member("m1", "r1", 0, lead=True), _member("m2", "r2", 1)])
    off = editing.set_team_member(records, "v", "r2", False)
    assert off.fields == (editing.SetField("visit_reviewer", "m2", "deleted", True),)
    assert not editing.set_team_member(records, "v", "r2", True)  # already on the team
    assert not editing.set_team_member(records, "v", "r9", False)  # never was


def test_one_lead_at_a_time() -> None:
    records = _copy(
        team=[
            _member("m1", "r1", 0, lead=True),
            _member("m2", "r2", 1),
            _member("m3", "r3", 2, deleted=True),
        ]
    )
    edits = editing.choose_lead(records, "r2")
    assert {(f.record_id, f.value) for f in edits.fields} == {("m1", False), ("m2", True)}


def test_a_schools_own_head_is_named_beside_the_team() -> None:
    reviewers = [
        ReviewerItem("r1", "Ada Head", "Headteacher", "host", "Host"),
        ReviewerItem("r2", "Ben Visitor", "Headteacher", "other", "Other"),
        ReviewerItem("r3", "Cy Deputy", "Deputy", "host", "Host"),
    ]
    assert editing.own_school_reviewers(reviewers, ["r2"], "host") == []
    assert editing.own_school_warning([]) == ""
    one = editing.own_school_reviewers(reviewers, ["r1", "r2"], "host")
    assert (
        editing.own_school_warning(one)
        == "Ada Head leads the host school: a peer review is made by heads from other schools."
    )
    two = editing.own_school_reviewers(reviewers, ["r1", "r3"], "host")
    assert editing.own_school_warning(two).startswith("Ada Head and Cy Deputy lead the host school")


def test_a_next_step_goes_last_open_and_due_half_a_term_after_the_visit() -> None:
    records = _copy()
    records["visit"]["v"]["visit_date"] = dt.date(2025, 10, 8)
    records["action"] = {
        "a1": {"id": "a1", "position": 4, "deleted": False},
        "a2": {"id": "a2", "position": 9, "deleted": True},
    }
    edits = editing.add_next_step(records, "v")
    assert edits.add is not None and edits.add.table == "action"
    assert edits.add.values["position"] == 5 and edits.add.values["status"] == "open"
    assert (
        edits.add.values["due_date"]
        == half_a_term_after(dt.date(2025, 10, 8))
        > dt.date(2025, 10, 8)
    )


def test_classrooms_are_added_to_learning_walks_only() -> None:
    records = _copy()
    records["evidence"] = {
        "walk": {"id": "walk", "kind": EvidenceKind.LEARNING_WALK.value, "position": 0},
        "lesson": {"id": "lesson", "kind": EvidenceKind.LESSON_OBSERVATION.value, "position": 1},
    }
    records["drop_in"] = {
        "d1": {"id": "d1", "evidence_id": "walk", "position": 0},
        "d9": {"id": "d9", "evidence_id": "other", "position": 7},
    }
    edits = editing.add_drop_in(records, "walk", NINE)
    assert edits.add is not None and edits.add.values == {
        "evidence_id": "walk",
        "position": 1,
        "time": NINE,
        "look_for_results": {},
    }
    assert not editing.add_drop_in(records, "lesson", NINE)
    assert not editing.add_drop_in(records, "gone", NINE)
