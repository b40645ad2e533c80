"""Merging without silent loss: natural keys, device ids, what to export, field by field,
records that never change owner, and a sealed package's manifest.

Each test first reproduces a way an edit was lost or misplaced, then shows it no longer is.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from nexus_review.errors import InterchangeError, NexusError
from nexus_review.interchange.package import read_package
from nexus_review.interchange.visit_json import dumps
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import (
    DropIn,
    Evidence,
    Judgement,
    Reviewer,
    School,
    SchoolPriority,
    Visit,
    VisitReviewer,
)
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
    list_conflicts,
    resolve_conflict,
)
from nexus_review.usecases.visit_files import export_visit_file, import_visit_file

ROOT = Path(__file__).resolve().parents[2]


class Net:
    """A small network: the administrator's database and two laptops that took its visits."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        base = open_database(folder / "base.db")
        with base.transaction() as s:
            staple, black = School(name="Staple Hill"), School(name="Blackhorse Primary")
            head = Reviewer(name="Mr G. Price", home_school=staple)
            s.add_all([staple, black, head])
            s.flush()
            s.add(
                SchoolPriority(
                    school_id=staple.id, academic_year="2025-26", theme="Reading and phonics"
                )
            )
            for school, day in ((staple, 10), (black, 11)):
                visit = Visit(
                    host_school=school,
                    visit_date=dt.date(2026, 1, day),
                    kind="evaluation-day",
                    framework_key="ofsted-2025",
                )
                s.add(visit)
                s.add(VisitReviewer(visit=visit, reviewer=head, is_lead=True))
                walk = Evidence(
                    visit=visit,
                    kind="learning-walk",
                    position=0,
                    notes="base",
                    look_fors=["Talk partners", "Vocabulary"],
                )
                s.add(walk)
                s.add(DropIn(evidence=walk, class_name="Oak", look_for_results={}))
        self.staple_id, self.black_id = staple.id, black.id
        self.base_package = folder / "base.nxr"
        export_review_package(base, self.base_package, all_visits=True)
        base.close()
        self.admin = self.open("admin")
        self.a = self.open("a")
        self.b = self.open("b")
        with self.admin.reading() as s:
            self.x, self.y = list(s.scalars(select(Visit.id).order_by(Visit.visit_date)))
            self.walk_x = s.scalars(select(Evidence.id).where(Evidence.visit_id == self.x)).one()
            self.walk_y = s.scalars(select(Evidence.id).where(Evidence.visit_id == self.y)).one()
            self.drop_in_x = s.scalars(
                select(DropIn.id).where(DropIn.evidence_id == self.walk_x)
            ).one()

    def open(self, name: str) -> Database:
        db = open_database(self.folder / f"{name}.db")
        import_package_files(db, [self.base_package])
        return db

    def send(self, db: Database, name: str, **kwargs: object) -> Path:
        path = self.folder / f"{name}.nxr"
        export_review_package(db, path, **kwargs)  # type: ignore[arg-type]
        return path

    def close(self) -> None:
        for db in (self.admin, self.a, self.b):
            db.close()


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    network = Net(tmp_path)
    yield network
    network.close()


def dump(db: Database) -> list[str]:
    """Every row of the database file, as SQL: "nothing was written" means this is unchanged."""
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    con = sqlite3.connect(db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def edit(db: Database, model: type, record_id: str, **values: object) -> None:
    with db.transaction() as s:
        obj = s.get(model, record_id)
        for key, value in values.items():
            setattr(obj, key, value)


# ---------------------------------------------------------------------------- natural keys


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


# ---------------------------------------------------------------------------- device ids


def test_a_copied_database_on_another_laptop_takes_its_own_device_id(
    net: Net, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with net.a.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    clone_folder = tmp_path / "second-laptop"
    clone_folder.mkdir()
    shutil.copyfile(net.a.path, clone_folder / "a.db")  # type: ignore[arg-type]
    with monkeypatch.context() as other_laptop:
        other_laptop.setenv("NEXUS_REVIEW_DATA_DIR", str(tmp_path / "second-laptop-data"))
        clone = open_database(clone_folder / "a.db")
    try:
        assert clone.device_id != net.a.device_id
        # The original edits the visit twice, the clone once: the clone's edit is not "older".
        edit(net.a, Visit, net.x, summary="First on the original")
        edit(net.a, Visit, net.x, summary="Second on the original")
        edit(clone, Visit, net.x, strengths="Noted on the clone")
        results = import_package_files(net.admin, [net.send(net.a, "a"), net.send(clone, "clone")])
        assert results[1].updated == 1
        with net.admin.reading() as s:
            visit = s.get(Visit, net.x)
            assert (visit.summary, visit.strengths) == (
                "Second on the original",
                "Noted on the clone",
            )
    finally:
        clone.close()
    # The id belongs to this installation and this database: reopening keeps it.
    again = open_database(net.a.path)  # type: ignore[arg-type]
    assert again.device_id == net.a.device_id
    again.close()
    held = json.loads(
        (Path(os.environ["NEXUS_REVIEW_DATA_DIR"]) / "devices.json").read_text("utf-8")
    )
    assert net.a.device_id in {entry["device"] for entry in held["databases"].values()}


def test_a_database_copied_beside_itself_takes_a_new_device_id(net: Net, tmp_path: Path) -> None:
    with net.a.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(net.a.path, tmp_path / "copy.db")  # type: ignore[arg-type]
    copy = open_database(tmp_path / "copy.db")
    try:
        assert copy.device_id != net.a.device_id
    finally:
        copy.close()


def test_a_database_whose_file_was_replaced_can_be_given_a_new_device_id(net: Net) -> None:
    from nexus_review.storage.devices import forget_device_id, own_device_ids

    old = net.a.device_id
    edit(net.a, Visit, net.x, summary="Before the file was replaced")
    net.a.close()
    forget_device_id(net.folder / "a.db")
    net.a = open_database(net.folder / "a.db")
    assert net.a.device_id != old
    with net.a.reading() as s:
        assert own_device_ids(s)[-2:] == [old, net.a.device_id]
    # Its changes under the old id not yet sent still go in its next package.
    assert [v["id"] for v in read_package(net.send(net.a, "a")).records["visit"]] == [net.x]


# ---------------------------------------------------------------------------- what to export


def test_a_laptop_whose_clock_was_ahead_still_exports_new_edits(
    net: Net, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nexus_review.usecases.packages as exporting

    edit(net.a, Visit, net.x, summary="Written before the clock was put right")
    ahead = exporting.utcnow() + dt.timedelta(days=3)
    with monkeypatch.context() as clock:
        clock.setattr(exporting, "utcnow", lambda: ahead)
        assert net.send(net.a, "ahead").exists()
    with pytest.raises(NexusError, match="No visit has changed"):
        net.send(net.a, "nothing-new")
    edit(net.a, Visit, net.y, summary="Written after the clock was put right")
    path = net.send(net.a, "later")
    assert [v["id"] for v in read_package(path).records["visit"]] == [net.y]


def test_what_a_laptop_received_is_not_exported_as_its_own(net: Net) -> None:
    edit(net.b, Visit, net.x, summary="From laptop B")
    import_package_files(net.a, [net.send(net.b, "b")])
    with pytest.raises(NexusError, match="No visit has changed"):
        net.send(net.a, "a")


# ---------------------------------------------------------------------------- field by field


def test_two_laptops_editing_different_fields_merge_without_a_conflict(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="Summary from A")
    edit(net.b, Visit, net.x, strengths="Strengths from B")
    edit(net.a, Evidence, net.walk_x, notes="Notes from A")
    edit(net.b, Evidence, net.walk_x, subject="Reading")
    pa, pb = net.send(net.a, "a"), net.send(net.b, "b")
    second = open_database(net.folder / "admin-2.db")
    try:
        import_package_files(second, [net.base_package])
        first_results = import_package_files(net.admin, [pa, pb])
        import_package_files(second, [pb, pa])
        assert all(r.conflicts == 0 for r in first_results)
        for db in (net.admin, second):
            with db.reading() as s:
                visit, walk = s.get(Visit, net.x), s.get(Evidence, net.walk_x)
                assert (visit.summary, visit.strengths) == ("Summary from A", "Strengths from B")
                assert (walk.notes, walk.subject) == ("Notes from A", "Reading")
                assert visit.field_versions == s.get(Visit, net.x).field_versions
        with net.admin.reading() as s1, second.reading() as s2:
            assert s1.get(Visit, net.x).field_versions == s2.get(Visit, net.x).field_versions
            assert s1.get(Visit, net.x).vclock == s2.get(Visit, net.x).vclock
        assert list_conflicts(net.admin) == []
    finally:
        second.close()


def test_the_same_field_on_both_sides_is_one_conflict_resolved_field_by_field(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="A's summary", strengths="A's strengths")
    edit(net.b, Visit, net.x, summary="B's summary", questions="B's questions")
    import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    (conflict,) = list_conflicts(net.admin)
    assert conflict.field == "summary" and conflict.differences() == [
        ("summary", "A's summary", "B's summary")
    ]
    with net.admin.reading() as s:
        shown = s.get(Visit, net.x).summary
    other = "ours" if shown == "B's summary" else "theirs"
    resolve_conflict(net.admin, conflict.id, other)
    with net.admin.reading() as s:
        visit = s.get(Visit, net.x)
        assert visit.summary != shown
        assert (visit.strengths, visit.questions) == (
            "A's strengths",
            "B's questions",
        )  # untouched by the choice
    # The choice reaches both laptops and sticks when their packages come again.
    back = net.send(net.admin, "back", all_visits=True)
    for db in (net.a, net.b):
        assert import_package_files(db, [back])[0].conflicts == 0
        with db.reading() as s:
            assert s.get(Visit, net.x).summary == visit.summary
    again = import_package_files(
        net.admin, [net.send(net.a, "a", all_visits=True), net.send(net.b, "b", all_visits=True)]
    )
    assert all(not r.applied for r in again)


def test_a_deletion_that_crossed_an_edit_is_a_conflict(net: Net) -> None:
    edit(net.a, Evidence, net.walk_x, deleted=True)
    edit(net.b, Evidence, net.walk_x, notes="Added after the walk")
    import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    (conflict,) = list_conflicts(net.admin)
    assert conflict.field == "deleted"
    resolve_conflict(net.admin, conflict.id, "theirs")
    with net.admin.reading() as s:
        walk = s.get(Evidence, net.walk_x)
        assert (walk.deleted, walk.notes) == (False, "Added after the walk")


def test_conflicts_are_listed_and_resolved_per_field_on_the_command_line(
    net: Net, tmp_path: Path
) -> None:
    edit(net.a, Visit, net.x, summary="A says", questions="A asks")
    edit(net.b, Visit, net.x, summary="B says", questions="B asks")
    import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "cli-data")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nexus_review", "--db", net.admin.url, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    listing = run("conflicts", "--json")
    assert listing.returncode == 0, listing.stderr
    items = json.loads(listing.stdout)
    assert sorted(i["field"] for i in items) == ["questions", "summary"]
    summary = next(i for i in items if i["field"] == "summary")
    assert summary["differences"] == [{"field": "summary", "ours": "A says", "theirs": "B says"}]
    done = run("conflicts", "resolve", summary["id"][:8], "--keep", "theirs")
    assert done.returncode == 0, done.stderr
    assert "summary" in done.stdout
    with net.admin.reading() as s:
        assert s.get(Visit, net.x).summary == "B says"
    assert [i["field"] for i in json.loads(run("conflicts", "--json").stdout)] == ["questions"]


def test_a_database_from_before_field_versions_migrates_and_merges(tmp_path: Path) -> None:
    from alembic import command

    from nexus_review.storage.migrate import alembic_config

    path = tmp_path / "old.db"
    db = open_database(path)
    with db.transaction() as s:
        school = School(name="Staple Hill")
        visit = Visit(
            host_school=school,
            visit_date=dt.date(2026, 2, 2),
            kind="learning-walk",
            framework_key="developmental",
            summary="Before",
        )
        s.add(visit)
    db.close()
    engine = create_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001_initial")
    with engine.connect() as conn:
        columns = [r[1] for r in conn.execute(text("PRAGMA table_info(visit)"))]
    engine.dispose()
    assert "field_versions" not in columns
    db = open_database(path)
    try:
        with db.reading() as s:
            held = s.get(Visit, visit.id)
            assert (held.summary, held.field_versions) == ("Before", {})
        edit(db, Visit, visit.id, summary="After")
        with db.reading() as s:
            versions = s.get(Visit, visit.id).field_versions
        assert set(versions) == {"base", "fields"} and list(versions["fields"]) == ["summary"]
        assert versions["base"]["vv"] == {db.device_id: 1}
    finally:
        db.close()


# ---------------------------------------------------------------------------- owners


def _forge(package: Path, dest: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        payload = json.loads(zf.read("payload.json"))
    change(payload["records"])
    raw = json.dumps(payload).encode()
    manifest["payload_sha256"] = hashlib.sha256(raw).hexdigest()
    with zipfile.ZipFile(dest, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("payload.json", raw)
    return dest


def test_a_package_cannot_move_another_schools_evidence_into_its_visit(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="An honest change")
    honest = net.send(net.a, "a", all_visits=True)
    with net.admin.reading() as s:
        other = s.get(Evidence, net.walk_y)
        vclock = dict(other.vclock)

    def steal(records: dict[str, list[dict[str, object]]]) -> None:
        row = next(r for r in records["evidence"] if r["id"] == net.walk_y)
        row["visit_id"] = net.x  # into the Staple Hill visit
        row["vclock"] = {**vclock, "forger": 99}  # a version that claims to have seen everything
        row["notes"] = "Moved"

    forged = _forge(honest, net.folder / "forged.nxr", steal)
    before = dump(net.admin)
    with pytest.raises(InterchangeError) as caught:
        import_package_files(net.admin, [forged])
    message = str(caught.value)
    assert message.count(". ") == 0 and message.endswith(".")
    assert (
        "it would move evidence (learning walk) in the visit to Blackhorse Primary" in message
        and net.walk_y[:8] in message
    )
    assert "never changes which visit, school or owner" in message
    assert dump(net.admin) == before


def test_a_visit_file_cannot_take_another_visits_evidence(net: Net, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    export_visit_file(net.admin, net.x, out)
    document = json.loads(out.read_text("utf-8"))
    with net.admin.reading() as s:
        from nexus_review.storage.serialize import to_dict

        stolen = to_dict(s.get(Evidence, net.walk_y))
    stolen["visit_id"] = net.x
    stolen["vclock"] = {}  # a file with no version at all
    document["evidence"].append({**stolen, "drop_ins": []})
    out.write_bytes(dumps(document))
    before = dump(net.admin)
    with pytest.raises(
        InterchangeError,
        match=r"x\.json cannot be imported: it would move evidence \(learning walk\) in the visit to Blackhorse Primary",
    ):
        import_visit_file(net.admin, out)
    assert dump(net.admin) == before


# ---------------------------------------------------------------------------- sealed manifests


def _rewrite_manifest(src: Path, dest: Path, **updates: object) -> Path:
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest.update(updates)
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dest, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dest


def test_a_sealed_package_whose_manifest_was_changed_is_refused(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="Sealed")
    sealed = net.send(net.a, "sealed", passphrase="staffroom kettle")
    assert read_package(sealed, "staffroom kettle").reviewer == "Mr G. Price"
    for key, value in (
        ("reviewer", "Mrs Forger"),
        ("device_id", "0123456789abcdef"),
        ("counts", {"visit": 99}),
    ):
        forged = _rewrite_manifest(sealed, net.folder / f"forged-{key}.nxr", **{key: value})
        with pytest.raises(
            InterchangeError,
            match=r"^forged-\w+\.nxr has been changed since it was made: its manifest .* does not match its sealed records\.$",
        ):
            read_package(forged, "staffroom kettle")
    with pytest.raises(InterchangeError, match="passphrase is not the one"):
        read_package(sealed, "wrong words")
    before = dump(net.admin)
    with pytest.raises(InterchangeError):
        import_package_files(
            net.admin, [net.folder / "forged-reviewer.nxr"], passphrase="staffroom kettle"
        )
    assert dump(net.admin) == before


def test_a_sealed_package_of_format_1_is_still_read(net: Net) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from nexus_review.interchange.sealing import SCRYPT, _key

    plain = net.send(net.a, "plain", all_visits=True)
    with zipfile.ZipFile(plain) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        payload = zf.read("payload.json")
    records = json.loads(payload)
    for rows in records["records"].values():
        for row in rows:
            row.pop("field_versions")  # format 1 had none
    payload = json.dumps(records).encode()
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_key("old words", salt, SCRYPT)).encrypt(nonce, payload, b"manifest.json")
    manifest.update(
        format_version=1,
        payload="payload.bin",
        payload_sha256=hashlib.sha256(sealed).hexdigest(),
        protection={
            "method": "AES-256-GCM",
            "kdf": "scrypt",
            **SCRYPT,
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
        },
    )
    old = net.folder / "old.nxr"
    with zipfile.ZipFile(old, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("payload.bin", sealed)
    package = read_package(old, "old words")
    assert package.visit_count == 2
    assert import_package_files(net.admin, [old], passphrase="old words")[0].conflicts == 0


def test_a_change_on_a_laptop_whose_clock_is_behind_still_sorts_after_what_it_replaced() -> None:
    from nexus_review.domain import vclock

    behind = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    before = vclock.record_stamp({"a": 1}, "2026-01-02T10:00:00+00:00", "b")
    versions = vclock.with_changes({}, ["summary"], {"a": 2}, behind, "a", before)
    assert versions["base"] == before
    assert versions["fields"]["summary"]["at"] == "2026-01-02T10:00:00.000001+00:00"
    again = vclock.with_changes(
        versions,
        ["summary"],
        {"a": 3},
        behind,
        "a",
        vclock.record_stamp({"a": 2}, "2026-01-02T10:00:00+00:00", "a"),
    )
    assert again["fields"]["summary"]["at"] == "2026-01-02T10:00:00.000002+00:00"
