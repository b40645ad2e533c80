"""Anonymised documents name no member of staff in any field, however the name is typed: the
feedback report, the compilation and the next-steps spreadsheet, read back from their files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text

from nexus_review.cli import main
from nexus_review.reports.compilation import CompilationOptions
from nexus_review.reports.export import ReportOptions
from nexus_review.selftest import read_document_text
from nexus_review.storage.database import Database
from nexus_review.storage.models import Action, DropIn, Evidence, Judgement, Visit
from nexus_review.usecases.reports import export_compilation, export_visit_report
from tests.core.builders import make_visit

TEXT_TYPES = (String, Text)


def _free_text_columns(model: type) -> list[str]:
    """Every column a person types text into, read from the model: a new column is covered
    without this test changing."""
    skip = {
        "id",
        "device_id",
        "visit_id",
        "evidence_id",
        "host_school_id",
        "kind",
        "framework_key",
        "status",
        "area_key",
        "peer_grade",
        "self_grade",
        "review_group_id",
        "follow_up_of_id",
        "staff",
    }
    columns = model.__table__.columns  # type: ignore[attr-defined]
    return [c.key for c in columns if isinstance(c.type, TEXT_TYPES) and c.key not in skip]


def _fit(model: type, key: str, text: str) -> str:
    length = model.__table__.columns[key].type.length  # type: ignore[attr-defined]
    return text[:length] if length else text


MENTION = "Mrs J. Quixley's class with MR HALE and Quixley\u00a0J."
CLEANED = "Teacher B's class with Teacher C and Teacher B"  # Mrs J. Patel is Teacher A
CLEANED_SHORT = "Teacher B's cla"  # a field too short for the whole mention (a year group)


def _marker(model: type, key: str) -> str:
    """A word that says which field a text came from: "Xevidencewhowhat"."""
    return "X" + model.__tablename__.replace("_", "") + key.replace("_", "")  # type: ignore[attr-defined]


def _fill(record: object, model: type) -> None:
    for key in _free_text_columns(model):
        setattr(record, key, _fit(model, key, f"{_marker(model, key)} {MENTION}"))


def _name_everywhere(db: Database, visit_id: str) -> None:
    """Write the staff's names, typed many ways, into every free-text field of the visit, each
    after a marker naming the field, and delete an observation whose teacher is then still
    named in the summary."""
    with db.transaction() as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None
        _fill(visit, Visit)
        visit.summary += "\nand Ms Obi with Mrs Quixley"
        visit.focus_areas = [*visit.focus_areas, f"Xfocus {MENTION}"]
        obs = Evidence(
            visit=visit,
            kind="lesson-observation",
            position=7,
            staff="Mrs J. Quixley and Mr T. Hale",
        )
        _fill(obs, Evidence)
        obs.focus_links = [f"Xfocus {MENTION}"]
        gone = Evidence(
            visit=visit, kind="lesson-observation", position=8, staff="Ms K. Obi", deleted=True
        )
        walk = Evidence(
            visit=visit, kind="learning-walk", position=9, staff=""
        )  # its who_what is shown
        _fill(walk, Evidence)
        s.add_all([obs, gone, walk])
        s.flush()
        drop = DropIn(evidence=walk, position=0, look_for_results={})
        _fill(drop, DropIn)
        s.add(drop)
        for j in s.query(Judgement).filter_by(visit_id=visit_id):
            _fill(j, Judgement)
        action = Action(
            visit=visit,
            position=3,
            due_date=dt.date(2026, 3, 1),
            follow_up=[{"date": "2026-02-01", "note": f"Xfollowup {MENTION}"}],
        )
        _fill(action, Action)
        s.add(action)
    # Every JSON field that holds words is filled too.
    for model in (Visit, Evidence, DropIn, Judgement, Action):
        for c in model.__table__.columns:  # type: ignore[attr-defined]
            assert not isinstance(c.type, JSON) or c.key in {
                "focus_areas",
                "focus_links",
                "follow_up",
                "grades",
                "look_fors",
                "look_for_results",
                "evidence_ids",
                "vclock",
                "field_versions",  # merge bookkeeping: stamps, never words
            }, c.key


def _markers(*models: type) -> list[str]:
    return [_marker(m, k) for m in models for k in _free_text_columns(m)]


STAFF_WORDS = ("Quixley", "QUIXLEY", "Hale", "HALE", "Obi", "Patel")


@pytest.fixture
def named(db: Database) -> str:
    visit_id = make_visit(db)  # its observation is of "Mrs J. Patel"
    _name_everywhere(db, visit_id)
    return visit_id


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_anonymised_report_names_no_staff_in_any_field(
    db: Database, named: str, tmp_path: Path, fmt: str
) -> None:
    options = ReportOptions(include_notes=True, anonymise=True, evidence_points=True)
    text = read_document_text(export_visit_report(db, named, fmt, tmp_path / f"r.{fmt}", options))
    flat = " ".join(text.split())
    for word in STAFF_WORDS:
        assert word not in flat
    # Mrs J. Patel, Mrs J. Quixley, Mr T. Hale, Ms K. Obi (deleted): each keeps one letter
    # through the document, in every field it prints: the class name, the summary, the
    # rationales, the notes, the drop-ins, the next steps...
    printed = ["Xfocus", *_markers(Visit, Evidence, DropIn, Judgement, Action)]
    missing = [
        m for m in printed if f"{m} {CLEANED}" not in flat and f"{m} {CLEANED_SHORT}" not in flat
    ]
    assert missing == []
    assert "Ms Teacher D" not in flat and "and Teacher D with Teacher B" in flat
    named_text = read_document_text(
        export_visit_report(
            db, named, fmt, tmp_path / f"n.{fmt}", ReportOptions(include_notes=True)
        )
    )
    assert "Quixley" in named_text and "Obi" in named_text


def test_a_subject_starting_with_a_name_is_cleaned_before_the_evidence_sentence_lowers_it(
    db: Database, tmp_path: Path
) -> None:
    visit_id = make_visit(db)
    with db.transaction() as s:
        visit = s.get(Visit, visit_id)
        s.add(
            Evidence(
                visit=visit,
                kind="work-scrutiny",
                position=4,
                staff="Mrs J. Quixley",
                subject="Quixley group",
            )
        )
    text = read_document_text(
        export_visit_report(
            db, visit_id, "docx", tmp_path / "r.docx", ReportOptions(anonymise=True)
        )
    )
    assert "uixley" not in text.lower()
    assert "work scrutiny in teacher b group" in " ".join(text.split()).lower()


def test_alison_stays_alison_in_the_report(db: Database, tmp_path: Path) -> None:
    visit_id = make_visit(db)
    with db.transaction() as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None
        visit.summary = "Alison's group read with Ali. ALI modelled blending."
        s.add(Evidence(visit=visit, kind="lesson-observation", position=4, staff="Ali"))
    flat = " ".join(
        read_document_text(
            export_visit_report(
                db, visit_id, "pdf", tmp_path / "r.pdf", ReportOptions(anonymise=True)
            )
        ).split()
    )
    assert "Alison's group read with Teacher B. Teacher B modelled blending." in flat


def test_the_anonymised_compilation_names_no_staff_in_any_field(
    db: Database, named: str, tmp_path: Path
) -> None:
    out = export_compilation(
        db,
        "docx",
        tmp_path / "c.docx",
        CompilationOptions(year="2025-26", today=dt.date(2026, 7, 1)),
    )
    flat = " ".join(read_document_text(out).split())
    for word in STAFF_WORDS:
        assert word not in flat
    # What the compilation prints of a review: its focus (a theme), summary, what went well,
    # even better if, questions, the evidence's strengths and EBIs under its theme, and the
    # next steps with their follow-up.
    printed = [
        "Xfocus",
        "Xfollowup",
        *_markers(Visit, Action),
        _marker(Evidence, "strengths"),
        _marker(Evidence, "areas_for_development"),
    ]
    missing = [
        m for m in printed if f"{m} {CLEANED}" not in flat and f"{m} {CLEANED_SHORT}" not in flat
    ]
    assert missing == []
    out = export_compilation(
        db,
        "docx",
        tmp_path / "n.docx",
        CompilationOptions(year="2025-26", named_staff=True, today=dt.date(2026, 7, 1)),
    )
    assert "Quixley" in read_document_text(out)


def _export_actions(db: Database, out: Path, *asked: str) -> int:
    """The next steps exported as a spreadsheet from the command line."""
    csv_of_actions = ["data", "export", "--format", "csv", "--what", "actions"]
    return main(["--db", str(db.path), *csv_of_actions, *asked, "--out", str(out)])


def test_the_anonymised_next_steps_spreadsheet_names_no_staff(
    capsys: pytest.CaptureFixture[str], db: Database, named: str, tmp_path: Path
) -> None:
    assert db.path is not None
    out = tmp_path / "actions.csv"
    assert _export_actions(db, out, "--anonymise") == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    cells = " ".join(v for r in rows for v in r.values())
    assert rows
    for marker in ("Xfollowup", *_markers(Action)):
        assert f"{marker} {CLEANED}" in cells
    for word in STAFF_WORDS:
        assert word not in cells
    assert _export_actions(db, out) == 0
    assert "Quixley" in out.read_text("utf-8-sig")  # named unless asked
    capsys.readouterr()
