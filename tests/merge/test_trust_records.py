"""Aims, figures and the delivery plan travel in review packages and merge like every record."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.errors import InterchangeError
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import IndicatorValue, School
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
    list_conflicts,
)
from nexus_review.usecases.trust import (
    ActionWording,
    add_aim,
    add_delivery_action,
    delivery_plan,
    list_aims,
    list_figures,
    map_theme,
    record_progress,
    set_figure,
)


def _school(db: Database, name: str) -> str:
    with db.reading() as s:
        return s.scalars(select(School.id).where(School.name == name)).one()


@pytest.fixture
def laptops(demo_db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    aim = add_aim(demo_db, "All children enjoy their learning and make at least good progress")
    map_theme(demo_db, "Reading and phonics", aim)
    action = add_delivery_action(
        demo_db,
        aim,
        "2016-17",
        ActionWording("Phonics refresher for every Year 1 teacher", lead="Trust English lead"),
    )
    set_figure(
        demo_db,
        _school(demo_db, "Blackhorse Primary"),
        "2016-17",
        "disadvantaged",
        "ks2_rwm_expected",
        41.0,
        12,
    )
    base = tmp_path / "network.nxr"
    export_review_package(demo_db, base, all_visits=True)
    out = {}
    for name in ("a", "b"):
        out[name] = open_database(tmp_path / f"{name}.db")
        import_package_files(out[name], [base])
    yield demo_db, out["a"], out["b"], aim, action, tmp_path
    for db in out.values():
        db.close()


def test_the_trust_records_arrive_on_a_laptop(laptops) -> None:  # type: ignore[no-untyped-def]
    _admin, a, _b, aim, action, _tmp = laptops
    admin = laptops[0]
    assert list_aims(a) == list_aims(admin)
    assert [x.themes for x in list_aims(a) if x.id == aim] == [("Reading and phonics",)]
    assert [x.id for x in delivery_plan(a, "2016-17")] == [action]
    assert [
        (f.school_name, f.group, f.value, f.pupils) for f in list_figures(a, years=["2016-17"])
    ] == [("Blackhorse Primary", "disadvantaged", 41.0, 12)]


def test_progress_and_figures_from_two_laptops_merge_and_one_clash_is_a_conflict(laptops) -> None:  # type: ignore[no-untyped-def]
    admin, a, b, _aim, action, tmp = laptops
    black = _school(a, "Blackhorse Primary")
    record_progress(a, action, "2016-17", "autumn", "on_track", "Twelve teachers trained")
    set_figure(b, black, "2016-17", "girls", "phonics_y1", 85.0, 14)  # a new figure on laptop B
    set_figure(a, black, "2016-17", "disadvantaged", "ks2_rwm_expected", 43.0, 12)
    set_figure(b, black, "2016-17", "disadvantaged", "ks2_rwm_expected", 45.0, 12)
    pa, pb = tmp / "a.nxr", tmp / "b.nxr"
    export_review_package(a, pa, all_visits=True)
    export_review_package(b, pb, all_visits=True)
    import_package_files(admin, [pa, pb])
    [item] = delivery_plan(admin, "2016-17")
    assert [(p.term, p.status, p.note) for p in item.progress] == [
        ("autumn", "on_track", "Twelve teachers trained")
    ]
    figures = {(f.group, f.indicator_key): f.value for f in list_figures(admin, years=["2016-17"])}
    assert figures[("girls", "phonics_y1")] == 85.0
    assert figures[("disadvantaged", "ks2_rwm_expected")] in {43.0, 45.0}
    [conflict] = [c for c in list_conflicts(admin) if c.table == "indicator_value"]
    assert {conflict.ours["value_tenths"], conflict.theirs["value_tenths"]} == {430, 450}


def test_the_same_figure_typed_on_two_laptops_becomes_one_record(laptops) -> None:  # type: ignore[no-untyped-def]
    admin, a, b, _aim, _action, tmp = laptops
    black = _school(a, "Blackhorse Primary")
    for laptop in (a, b):
        set_figure(laptop, black, "2015-16", "boys", "attendance", 95.1, 120)
        export_review_package(laptop, tmp / f"{id(laptop)}.nxr", all_visits=True)
    import_package_files(admin, [tmp / f"{id(a)}.nxr", tmp / f"{id(b)}.nxr"])
    with admin.reading() as s:
        rows = list(
            s.scalars(
                select(IndicatorValue).where(
                    IndicatorValue.pupil_group == "boys",
                    IndicatorValue.academic_year == "2015-16",
                    IndicatorValue.deleted.is_(False),
                )
            )
        )
    assert [(r.value_tenths, r.pupils) for r in rows] == [(951, 120)]


def test_a_package_may_not_move_a_figure_to_another_school(laptops) -> None:  # type: ignore[no-untyped-def]
    admin, a, _b, _aim, _action, tmp = laptops
    with a.transaction() as s:
        row = s.scalars(
            select(IndicatorValue).where(IndicatorValue.academic_year == "2016-17")
        ).one()
        row.school_id = s.scalars(
            select(School.id).where(School.name == "Kings Forest Primary")
        ).one()
    export_review_package(a, tmp / "moved.nxr", all_visits=True)
    with pytest.raises(InterchangeError, match="another school"):
        import_package_files(admin, [tmp / "moved.nxr"])


def test_figures_typed_alone_make_a_package_and_then_nothing_is_left_to_send(laptops) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.errors import NexusError

    admin, a, _b, _aim, _action, tmp = laptops
    set_figure(admin, _school(admin, "Staple Hill"), "2016-17", "eal", "phonics_y1", 70.0, 11)
    result = export_review_package(
        admin, tmp / "figures.nxr"
    )  # no visit changed: the figure goes alone
    assert result.visits == 0
    import_package_files(a, [tmp / "figures.nxr"])
    assert [
        (f.school_name, f.value) for f in list_figures(a, years=["2016-17"]) if f.group == "eal"
    ] == [("Staple Hill", 70.0)]
    with pytest.raises(NexusError, match="No visit has changed"):
        export_review_package(admin, tmp / "again.nxr")


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("pupil_group", "pupil 1234", "pupil_group"),
        ("pupils", -3, "pupils"),
        ("value_tenths", 10_000_000, "value_tenths"),
        ("academic_year", "last year", "academic_year"),
    ],
)
def test_a_package_with_a_figure_no_one_could_type_is_refused(
    laptops, column: str, value: object, words: str
) -> None:  # type: ignore[no-untyped-def]
    import json
    import zipfile

    from nexus_review.interchange.package import validate_payload

    _admin, a, _b, _aim, _action, tmp = laptops
    path = tmp / "plain.nxr"
    export_review_package(a, path, all_visits=True)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        payload_name = next(n for n in names if n != "manifest.json")
        payload = json.loads(zf.read(payload_name))
    payload["records"]["indicator_value"][0][column] = value

    with pytest.raises(InterchangeError, match=words):
        validate_payload(payload, "plain.nxr")
