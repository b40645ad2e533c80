"""The demo trust: the Big 3 with a delivery plan, three years of figures, a widening gap."""

from __future__ import annotations

import json

import pytest

from nexus_review.cli import main
from nexus_review.usecases.trust import (
    delivery_plan,
    groups_at_risk,
    list_aims,
    list_figures,
    priorities_by_aim,
)


def test_the_demo_has_the_big_3_with_themes_and_a_delivery_plan(demo_db) -> None:
    aims = list_aims(demo_db)
    assert [a.title.split(" ")[1] for a in aims] == ["children", "children", "academies"]
    assert "Reading and phonics" in aims[0].themes
    by_aim, unmapped = priorities_by_aim(demo_db, "2024-25")
    assert all(p.priorities for p in by_aim[:2])
    assert unmapped == []
    from nexus_review.demo import demo_years

    _first, last_year, this_year = demo_years()
    plan = delivery_plan(demo_db, this_year)
    assert len(plan) == 5 and all(a.outcome and a.lead and a.due_date for a in plan)
    # Last year's plan is reported for all three terms, so a board report on it is whole.
    last = delivery_plan(demo_db, last_year)
    assert len(last) == 4 and all(a.outcome and a.lead and a.due_date for a in last)
    assert all(
        a.progress_in(last_year, "summer") or a.progress_in(last_year, "spring") for a in last
    )
    assert {p.term for a in last for p in a.progress} == {"autumn", "spring", "summer"}


def test_the_demo_figures_cover_three_years_and_one_gap_widens(demo_db) -> None:
    years = sorted({f.year for f in list_figures(demo_db)})
    assert len(years) == 3
    year, risks = groups_at_risk(demo_db)
    assert year == years[-1]
    staple = [
        r
        for r in risks
        if r.school_name == "Staple Hill" and r.group == "disadvantaged" and not r.too_small
    ]
    assert staple and all(r.trend_word == "widening" for r in staple)
    assert all(r.pupils >= 10 for r in staple)
    small = [f for f in list_figures(demo_db, "Bromley Heath Infant") if f.group == "eal"]
    assert small and {f.pupils for f in small} == {6}


def test_groups_at_risk_on_the_command_line(demo_db, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(demo_db.path)
    demo_db.close()
    assert main(["--db", path, "groups-at-risk", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    entry = next(
        d for d in data if d["school"] == "Staple Hill" and d["indicator"] == "ks2_rwm_expected"
    )
    assert (
        entry["group"] == "disadvantaged"
        and entry["gap"] > 5
        and entry["pupils"] >= 10
        and entry["trend"] == "widening"
    )
    assert len(entry["years"]) == 3
    for small in (d for d in data if d["too_small_to_judge"]):
        assert small["gap"] is None and all(y["gap"] is None for y in small["years"])
    assert main(["--db", path, "groups-at-risk"]) == 0
    text = capsys.readouterr().out
    assert "Staple Hill" in text and "too small to judge" in text
    small_lines = [line for line in text.splitlines() if "too small to judge" in line]
    assert small_lines and not any("%" in line for line in small_lines)
    assert main(["--db", path, "groups-at-risk", "--year", "2024/25"]) == 1
    assert "not an academic year" in capsys.readouterr().err
