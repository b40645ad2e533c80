"""Property tests of the package reader's quick checks (hypothesis): for any record with a
changed or missing field, and any field versions, the quick check accepts exactly what the
package schema accepts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nexus_review.storage.models import (
    SYNCED_MODELS,
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.text(max_size=12)
    | st.sampled_from(["2026-01-01", "09:30", "2026-01-01T09:00:00+00:00", "0" * 36, "x" * 300]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    table=st.sampled_from(["visit", "evidence", "drop_in", "judgement", "school", "action"]),
    key=st.text(min_size=1, max_size=20),
    value=json_values,
    drop=st.booleans(),
)
def test_the_quick_payload_check_agrees_with_the_schema(
    table: str, key: str, value: object, drop: bool
) -> None:
    from nexus_review.interchange.package_schema import _quick_check, _validator

    model = next(m for m in SYNCED_MODELS if m.__tablename__ == table)  # type: ignore[attr-defined]
    columns = [c.key for c in model.__table__.columns]  # type: ignore[attr-defined]
    record = _sample_record(table)
    assert _validator().is_valid(
        {"records": {table: [dict(record)]}}
    )  # the untouched record is valid
    field = columns[hash(key) % len(columns)] if not key.startswith("~") else key
    if drop:
        record.pop(field, None)
    else:
        record[field] = value
    data = {"records": {table: [record]}}
    assert _quick_check()(data) == _validator().is_valid(data)


REF = "0b8f2c1e-4d3a-5e6f-8a9b-1c2d3e4f5a6b"  # references are ids, as every record's own


def _sample_record(table: str) -> dict:  # type: ignore[type-arg]
    base = {
        "id": "6f1d0c52-8a4e-5b1f-9c3d-2e7a4b9f0d11",
        "created_at": "2026-01-01T09:00:00+00:00",
        "updated_at": "2026-01-01T09:00:00+00:00",
        "device_id": "demo",
        "revision": 1,
        "vclock": {"demo": 1},
        "deleted": False,
    }
    extra = {
        "visit": {
            "host_school_id": REF,
            "visit_date": "2026-01-01",
            "kind": "evaluation-day",
            "framework_key": "ofsted-2025",
            "status": "planned",
            "focus_areas": [],
            "summary": "",
            "strengths": "",
            "areas_for_development": "",
            "questions": "",
            "review_group_id": None,
            "follow_up_of_id": None,
        },
        "evidence": {
            "visit_id": REF,
            "kind": "other",
            "position": 0,
            "time_in": None,
            "time_out": None,
            "class_name": "",
            "year_group": "",
            "subject": "",
            "staff": "",
            "who_what": "",
            "participants": None,
            "notes": "",
            "strengths": "",
            "areas_for_development": "",
            "focus_links": [],
            "grades": {},
            "look_fors": [],
        },
        "drop_in": {
            "evidence_id": REF,
            "position": 0,
            "class_name": "",
            "year_group": "",
            "time": None,
            "look_for_results": {},
            "note": "",
        },
        "judgement": {
            "visit_id": REF,
            "area_key": "a",
            "peer_grade": None,
            "self_grade": None,
            "rationale": "",
            "evidence_ids": [],
        },
        "school": {"name": "X", "urn": "", "phase": "", "local_authority": "", "headteacher": ""},
        "action": {
            "visit_id": REF,
            "position": 0,
            "description": "",
            "owner": "",
            "due_date": None,
            "status": "open",
            "follow_up": [],
        },
    }[table]
    return {**base, **extra}


stamps = (
    st.fixed_dictionaries(
        {
            "vv": st.dictionaries(
                st.text(max_size=4), st.integers(-1, 3) | st.booleans(), max_size=2
            ),
            "at": st.text(max_size=42),
            "by": st.text(max_size=3),
        },
        optional={"extra": st.integers()},
    )
    | st.none()
    | st.integers()
    | st.text(max_size=3)
    | st.lists(st.integers(), max_size=2)
)


@settings(max_examples=300, deadline=None)
@given(
    base=stamps | st.none(),
    fields=st.dictionaries(st.text(max_size=8), stamps, max_size=2)
    | st.none()
    | st.lists(st.integers(), max_size=2),
    drop=st.sampled_from(["", "base", "fields"]),
    extra=st.booleans(),
)
def test_the_quick_check_of_field_versions_agrees_with_the_schema(
    base: object, fields: object, drop: str, extra: bool
) -> None:
    from nexus_review.interchange.package_schema import _quick_check, _validator

    versions: dict[str, object] = {"base": base, "fields": fields}
    if drop:
        versions.pop(drop)
    if extra:
        versions["more"] = 1
    record = {**_sample_record("visit"), "field_versions": versions}
    data = {"records": {"visit": [record]}}
    assert _quick_check()(data) == _validator().is_valid(data)
