"""Property tests of merging: random edit histories on several laptops (hypothesis).

Whatever the laptops did, and whatever order their packages arrive in, the network database
ends with the same records; importing again changes nothing; and every version a laptop sent
is either what the record shows, superseded by a later edit of it, or kept in a conflict.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from nexus_review.domain import vclock
from nexus_review.interchange.package import read_package
from nexus_review.merge import export_review_package, import_packages
from nexus_review.storage.database import open_database
from nexus_review.storage.models import SYNCED_MODELS, Conflict, Evidence, Reviewer, School, Visit
from nexus_review.storage.serialize import to_dict

LAPTOPS = 3
BOOKKEEPING = ("vclock", "revision", "device_id", "updated_at", "created_at")

op = st.tuples(
    st.integers(0, LAPTOPS - 1),
    st.sampled_from(["visit", "evidence", "delete", "add", "export"]),
    st.integers(0, 3),
    st.sampled_from(["alpha", "beta", "gamma", "delta"]),
)


def _content(row: dict) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in row.items() if k not in BOOKKEEPING}


def _state(db) -> dict:  # type: ignore[no-untyped-def,type-arg]
    with db.reading() as s:
        return {m.__tablename__: {o.id: to_dict(o) for o in s.scalars(select(m))} for m in SYNCED_MODELS}  # type: ignore[attr-defined]


def _base(folder: Path):  # type: ignore[no-untyped-def]
    db = open_database(folder / "base.db")
    with db.transaction() as s:
        school = School(name="Staple Hill")
        head = Reviewer(name="Mr G. Price", home_school=school)
        s.add_all([school, head])
        for i in range(2):
            visit = Visit(host_school=school, visit_date=dt.date(2026, 1, 10 + i), kind="evaluation-day", framework_key="ofsted-2025")
            s.add(visit)
            for j in range(2):
                s.add(Evidence(visit=visit, kind="lesson-observation", position=j, notes="base"))
    export_review_package(db, folder / "base.nxr", all_visits=True)
    db.close()
    return folder / "base.nxr"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=14), order=st.permutations(range(LAPTOPS * 2)))
def test_any_history_merges_to_the_same_records_in_any_order(tmp_path_factory, ops, order) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("merge")
    base = _base(folder)
    laptops = []
    for i in range(LAPTOPS):
        db = open_database(folder / f"laptop{i}.db")
        import_packages(db, [read_package(base)])
        laptops.append(db)
    packages: list[Path] = []
    for n, (who, kind, target, word) in enumerate(ops):
        db = laptops[who]
        with db.transaction() as s:
            visits = list(s.scalars(select(Visit).order_by(Visit.visit_date)))
            evidence = list(s.scalars(select(Evidence).where(Evidence.deleted.is_(False)).order_by(Evidence.id)))
            if kind == "visit":
                visits[target % len(visits)].summary = f"{word} from laptop {who}"
            elif kind == "evidence" and evidence:
                evidence[target % len(evidence)].notes = f"{word} {n}"
            elif kind == "delete" and evidence:
                evidence[target % len(evidence)].deleted = True
            elif kind == "add":
                s.add(Evidence(visit_id=visits[target % len(visits)].id, kind="pupil-voice", position=9, notes=word))
        if kind == "export":
            path = folder / f"p{n}.nxr"
            export_review_package(db, path, all_visits=True)
            packages.append(path)
    for i, db in enumerate(laptops):  # each laptop's final package
        path = folder / f"final{i}.nxr"
        export_review_package(db, path, all_visits=True)
        packages.append(path)
        db.close()
    read = [read_package(p) for p in packages]
    first_order = list(range(len(read)))
    second_order = [i for i in order if i < len(read)] + [i for i in range(len(read)) if i not in order]
    admins = []
    for k, ordering in enumerate((first_order, list(reversed(first_order)), second_order)):
        admin = open_database(folder / f"admin{k}.db")
        import_packages(admin, [read_package(base)])
        import_packages(admin, [read[i] for i in ordering])
        admins.append(admin)
    try:
        states = [_state(a) for a in admins]
        assert states[0] == states[1] == states[2]  # the same records, whatever the order
        again = import_packages(admins[0], read)
        assert all(not r.applied for r in again) and _state(admins[0]) == states[0]
        with admins[0].reading() as s:
            kept = [(c.record_id, _content(c.ours), _content(c.theirs)) for c in s.scalars(select(Conflict))]
        final = states[0]
        for package in read:
            for table, rows in package.records.items():
                for row in rows:
                    shown = final[table][row["id"]]
                    if _content(shown) == _content(row):
                        continue
                    later = any(
                        vclock.compare(row["vclock"], other["vclock"]) is vclock.Order.BEFORE
                        for p in read for other in p.records.get(table, []) if other["id"] == row["id"]
                    )
                    in_conflict = any(rid == row["id"] and _content(row) in (ours, theirs) for rid, ours, theirs in kept)
                    assert later or in_conflict, (table, row["id"], row)
    finally:
        for a in admins:
            a.close()


def test_three_concurrent_versions_settle_the_same_way_in_all_six_orders(tmp_path: Path) -> None:
    base = _base(tmp_path)
    packages = []
    for i in range(3):
        db = open_database(tmp_path / f"l{i}.db")
        import_packages(db, [read_package(base)])
        with db.transaction() as s:
            s.scalars(select(Visit).order_by(Visit.visit_date)).first().summary = f"version {i}"  # type: ignore[union-attr]
        export_review_package(db, tmp_path / f"v{i}.nxr")
        packages.append(read_package(tmp_path / f"v{i}.nxr"))
        db.close()
    results = set()
    for n, ordering in enumerate(itertools.permutations(range(3))):
        admin = open_database(tmp_path / f"admin{n}.db")
        import_packages(admin, [read_package(base)])
        import_packages(admin, [packages[i] for i in ordering])
        with admin.reading() as s:
            visit = s.scalars(select(Visit).order_by(Visit.visit_date)).first()
            assert visit is not None
            results.add((visit.summary, tuple(sorted(visit.vclock.items()))))
            assert len(list(s.scalars(select(Conflict)))) == 2
        admin.close()
    assert len(results) == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**64), 2**64) | st.text(max_size=12)
    | st.sampled_from(["2026-01-01", "09:30", "2026-01-01T09:00:00+00:00", "0" * 36, "x" * 300]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(table=st.sampled_from(["visit", "evidence", "drop_in", "judgement", "school", "action"]), key=st.text(min_size=1, max_size=20), value=json_values, drop=st.booleans())
def test_the_quick_payload_check_agrees_with_the_schema(table: str, key: str, value: object, drop: bool) -> None:
    from nexus_review.interchange.package import _quick_check, _validator
    from nexus_review.storage.models import SYNCED_MODELS

    model = next(m for m in SYNCED_MODELS if m.__tablename__ == table)  # type: ignore[attr-defined]
    columns = [c.key for c in model.__table__.columns]  # type: ignore[attr-defined]
    record = _sample_record(table)
    assert _validator().is_valid({"records": {table: [dict(record)]}})  # the untouched record is valid
    field = columns[hash(key) % len(columns)] if not key.startswith("~") else key
    if drop:
        record.pop(field, None)
    else:
        record[field] = value
    data = {"records": {table: [record]}}
    assert _quick_check()(data) == _validator().is_valid(data)


REF = "0b8f2c1e-4d3a-5e6f-8a9b-1c2d3e4f5a6b"  # references are ids, as every record's own


def _sample_record(table: str) -> dict:  # type: ignore[type-arg]
    base = {"id": "6f1d0c52-8a4e-5b1f-9c3d-2e7a4b9f0d11", "created_at": "2026-01-01T09:00:00+00:00", "updated_at": "2026-01-01T09:00:00+00:00",
            "device_id": "demo", "revision": 1, "vclock": {"demo": 1}, "deleted": False}
    extra = {
        "visit": {"host_school_id": REF, "visit_date": "2026-01-01", "kind": "evaluation-day", "framework_key": "ofsted-2025", "status": "planned",
                  "focus_areas": [], "summary": "", "strengths": "", "areas_for_development": "", "questions": "", "review_group_id": None, "follow_up_of_id": None},
        "evidence": {"visit_id": REF, "kind": "other", "position": 0, "time_in": None, "time_out": None, "class_name": "", "year_group": "", "subject": "",
                     "staff": "", "who_what": "", "participants": None, "notes": "", "strengths": "", "areas_for_development": "", "focus_links": [], "grades": {}, "look_fors": []},
        "drop_in": {"evidence_id": REF, "position": 0, "class_name": "", "year_group": "", "time": None, "look_for_results": {}, "note": ""},
        "judgement": {"visit_id": REF, "area_key": "a", "peer_grade": None, "self_grade": None, "rationale": "", "evidence_ids": []},
        "school": {"name": "X", "urn": "", "phase": "", "local_authority": "", "headteacher": ""},
        "action": {"visit_id": REF, "position": 0, "description": "", "owner": "", "due_date": None, "status": "open", "follow_up": []},
    }[table]
    return {**base, **extra}
