"""Judgement frameworks are data: loaded, validated, and refused clearly when malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nexus_review.errors import FrameworkError
from nexus_review.frameworks import all_frameworks, get_framework, load_frameworks


def test_the_four_shipped_frameworks() -> None:
    fws = all_frameworks()
    assert list(fws) == ["ofsted-2025", "eif-2019", "peer-estimate", "developmental"]
    ofsted = fws["ofsted-2025"]
    assert [a.name for a in ofsted.areas] == [
        "Inclusion",
        "Curriculum and teaching",
        "Achievement",
        "Attendance and behaviour",
        "Personal development and well-being",
        "Leadership and governance",
        "Early years",
        "Sixth form",
    ]
    assert [g.label for g in ofsted.scale] == [
        "Exceptional",
        "Strong standard",
        "Expected standard",
        "Needs attention",
        "Urgent improvement",
    ]
    assert [g.label for g in ofsted.safeguarding_scale] == ["Met", "Not met"]
    eif = fws["eif-2019"]
    assert [g.label for g in eif.scale] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert [g.label for g in eif.safeguarding_scale] == ["Effective", "Not effective"]
    assert [a.name for a in eif.areas][:4] == [
        "Quality of education",
        "Behaviour and attitudes",
        "Personal development",
        "Leadership and management",
    ]
    peer = fws["peer-estimate"]
    assert [g.label for g in peer.scale] == ["Leading", "Effective", "Working towards effective", "Ineffective"]
    assert not peer.has_safeguarding
    dev = fws["developmental"]
    assert not dev.graded and dev.scale == ()


def test_grades_compare_by_rank() -> None:
    eif = get_framework("eif-2019")
    area = "quality-of-education"
    assert eif.compare(area, "good", "good") == 0
    assert eif.compare(area, "outstanding", "good") == 1
    assert eif.compare(area, "requires-improvement", "good") == -1
    assert eif.compare(area, None, "good") is None
    assert eif.compare("safeguarding", "effective", "not-effective") == 1
    assert eif.judged_areas()[-1].name == "Safeguarding"


def test_unknown_framework_is_a_plain_error() -> None:
    with pytest.raises(FrameworkError, match="not installed"):
        get_framework("nonsense")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "line 1"),
        ("[]", "one JSON object"),
        (json.dumps({"key": "x", "name": "X", "graded": True, "scale": [], "areas": [{"key": "a", "name": "A"}]}), "at least two grades"),
        (json.dumps({"key": "x", "name": "X", "graded": False, "scale": [], "areas": []}), '"areas"'),
        (json.dumps({"key": "x", "name": "X", "graded": "yes", "areas": []}), '"graded"'),
        (json.dumps({"key": "x", "name": "X", "graded": False, "areas": [{"key": "a"}]}), '"name" in area 1'),
        (
            json.dumps(
                {
                    "key": "x",
                    "name": "X",
                    "graded": True,
                    "scale": [{"key": "a", "label": "A", "rank": 1}, {"key": "b", "label": "B", "rank": 1}],
                    "areas": [{"key": "a", "name": "A"}],
                }
            ),
            "repeats a rank",
        ),
    ],
)
def test_bad_framework_file_names_the_file_and_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "our-own.json").write_text(content, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_frameworks(tmp_path)
    assert "our-own.json" in str(info.value)
    assert problem in str(info.value)
