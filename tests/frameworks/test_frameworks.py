"""Judgement frameworks are data: loaded, validated, and refused clearly when malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nexus_review.errors import FrameworkError
from nexus_review.frameworks import (
    AREA_KEY_LENGTH,
    all_frameworks,
    applicable_areas,
    area_title,
    focus_areas_by_key,
    focus_key,
    focus_title,
    get_framework,
    load_frameworks,
    phase_provisions,
)


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
    assert [g.label for g in eif.scale] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    assert [g.label for g in eif.safeguarding_scale] == ["Effective", "Not effective"]
    assert [a.name for a in eif.areas][:4] == [
        "Quality of education",
        "Behaviour and attitudes",
        "Personal development",
        "Leadership and management",
    ]
    peer = fws["peer-estimate"]
    assert [g.label for g in peer.scale] == [
        "Leading",
        "Effective",
        "Working towards effective",
        "Ineffective",
    ]
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
        (
            json.dumps(
                {
                    "key": "x",
                    "name": "X",
                    "graded": False,
                    "areas": [{"key": "focus:oracy", "name": "Oracy"}],
                }
            ),
            "agreed focus areas",
        ),
        (
            json.dumps(
                {
                    "key": "x",
                    "name": "X",
                    "graded": False,
                    "areas": [{"key": "a" * 61, "name": "A"}],
                }
            ),
            "longer than 60",
        ),
        (
            json.dumps(
                {
                    "key": "x",
                    "name": "X",
                    "graded": False,
                    "areas": [{"key": "a", "name": "A", "applies_to": ["boarding"]}],
                }
            ),
            'applies to "boarding"',
        ),
        (
            json.dumps(
                {
                    "key": "x",
                    "name": "X",
                    "graded": False,
                    "areas": [{"key": "a", "name": "A", "applies_to": "early-years"}],
                }
            ),
            '"applies_to"',
        ),
        ("[]", "one JSON object"),
        (
            json.dumps(
                {
                    "key": "x",
                    "name": "X",
                    "graded": True,
                    "scale": [],
                    "areas": [{"key": "a", "name": "A"}],
                }
            ),
            "at least two grades",
        ),
        (
            json.dumps({"key": "x", "name": "X", "graded": False, "scale": [], "areas": []}),
            '"areas"',
        ),
        (json.dumps({"key": "x", "name": "X", "graded": "yes", "areas": []}), '"graded"'),
        (
            json.dumps({"key": "x", "name": "X", "graded": False, "areas": [{"key": "a"}]}),
            '"name" in area 1',
        ),
        (
            json.dumps(
                {
                    "key": "x",
                    "name": "X",
                    "graded": True,
                    "scale": [
                        {"key": "a", "label": "A", "rank": 1},
                        {"key": "b", "label": "B", "rank": 1},
                    ],
                    "areas": [{"key": "a", "name": "A"}],
                }
            ),
            "repeats a rank",
        ),
    ],
)
def test_bad_framework_file_names_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    (tmp_path / "our-own.json").write_text(content, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_frameworks(tmp_path)
    assert "our-own.json" in str(info.value)
    assert problem in str(info.value)


# ---------------------------------------------------------------------------- which areas apply


def _keys(framework_key: str, phase: str, recorded: tuple[str, ...] = ()) -> list[str]:
    return [a.key for a in applicable_areas(get_framework(framework_key), phase, recorded)]


def test_a_primary_school_is_judged_on_early_years_but_not_on_a_sixth_form() -> None:
    keys = _keys("ofsted-2025", "Primary")
    assert "early-years" in keys
    assert "sixth-form" not in keys
    assert keys[-1] == "safeguarding"
    assert _keys("eif-2019", "Primary")[-2:] == ["early-years-education", "safeguarding"]


@pytest.mark.parametrize(
    ("phase", "early_years", "sixth_form"),
    [
        ("Primary", True, False),
        ("Infant", True, False),
        ("First", True, False),
        ("Nursery", True, False),
        ("Junior", False, False),
        ("Junior and Infant", True, False),
        ("Middle deemed primary", False, False),
        ("Secondary", False, False),
        ("Secondary with sixth form", False, True),
        ("Secondary (no sixth form)", False, False),
        ("All-through", True, False),
        ("All through with sixth-form", True, True),
        ("16 plus", False, True),
    ],
)
def test_a_schools_phase_says_which_provision_it_has(
    phase: str, early_years: bool, sixth_form: bool
) -> None:
    keys = _keys("ofsted-2025", phase)
    assert ("early-years" in keys, "sixth-form" in keys) == (early_years, sixth_form)


@pytest.mark.parametrize("phase", ["", "Special", "Pupil referral unit"])
def test_a_phase_the_program_does_not_know_hides_nothing(phase: str) -> None:
    assert phase_provisions(phase) is None
    assert _keys("ofsted-2025", phase) == [
        a.key for a in get_framework("ofsted-2025").judged_areas()
    ]


def test_an_area_already_judged_stays_whatever_the_phase_says() -> None:
    assert "sixth-form" in _keys("ofsted-2025", "Primary", recorded=("sixth-form",))
    assert "early-years" in _keys("ofsted-2025", "Junior", recorded=("early-years",))
    # The order stays the framework's own.
    keys = _keys("ofsted-2025", "Junior", recorded=("early-years",))
    assert keys.index("early-years") == len(keys) - 2


def test_frameworks_without_where_relevant_areas_are_the_same_for_every_phase() -> None:
    for key in ("peer-estimate", "developmental"):
        everything = [a.key for a in get_framework(key).judged_areas()]
        assert _keys(key, "Junior") == _keys(key, "Secondary with sixth form") == everything


# ---------------------------------------------------------------------------- focus area keys


def test_a_focus_area_key_is_its_words_in_lower_case_with_hyphens() -> None:
    assert focus_key("Reading for pleasure") == "focus:reading-for-pleasure"
    assert focus_key("  Reading  for PLEASURE. ") == focus_key("Reading for pleasure")
    assert focus_key("Oracy (KS2)") == "focus:oracy-ks2"
    assert focus_key("早期阅读") == "focus:早期阅读"


def test_a_long_focus_area_key_fits_the_column_and_stays_distinct() -> None:
    one = "Developing pupils' reading fluency and comprehension across Key Stage 2 in every class"
    two = one.replace("every class", "every other class")
    k1, k2 = focus_key(one), focus_key(two)
    assert len(k1) <= AREA_KEY_LENGTH and len(k2) <= AREA_KEY_LENGTH
    assert k1 != k2
    assert k1.startswith("focus:developing-pupils-reading")
    assert focus_key(one) == k1  # the same text, the same key, on every laptop
    assert len(focus_key("x" * 5000)) <= AREA_KEY_LENGTH


def test_a_focus_area_of_punctuation_only_still_gets_a_key() -> None:
    key = focus_key("???")
    assert key.startswith("focus:") and len(key) > len("focus:")
    assert key != focus_key("!!!")


def test_focus_titles_come_from_the_visit_or_from_the_key() -> None:
    agreed = ["Reading for pleasure", "reading for pleasure", "Oracy"]
    assert list(focus_areas_by_key(agreed).values()) == ["Reading for pleasure", "Oracy"]
    assert focus_title(focus_key("Oracy"), agreed) == "Oracy"
    # A focus area taken off the visit's list keeps a readable title for its judgement.
    assert (
        focus_title(focus_key("Mental health and well-being"), agreed)
        == "Mental health and well being"
    )
    fw = get_framework("ofsted-2025")
    assert area_title(fw, "inclusion") == "Inclusion"
    assert area_title(fw, focus_key("Oracy"), agreed) == "Oracy"
