"""Importing school-level figures from CSV: good files land, any bad row changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nexus_review.cli import main
from nexus_review.usecases.trust import (
    IndicatorImportError,
    import_figures_csv,
    list_figures,
    set_figure,
    write_template,
)

HEADER = "urn,school,indicator,year,group,value,pupils\n"


def dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def write(tmp_path: Path, body: str, name: str = "figures.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, "utf-8")
    return path


def test_a_good_file_is_imported_and_a_second_import_changes_nothing(
    demo_db, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        HEADER
        + "109187,Blackhorse Primary,ks2_rwm_expected,2016-17,all,64,30\n"
        + "109187,Blackhorse Primary,ks2_rwm_expected,2016-17,Disadvantaged,41.5,6\n"
        + "109187,,phonics_y1,2016-17,girls,88,15\n"
        + "109187,Blackhorse Primary,attendance,2016-17,boys,,\n",
    )
    result = import_figures_csv(demo_db, path)
    assert (result.added, result.updated, result.unchanged, result.skipped_blank) == (3, 0, 0, 1)
    figures = {
        (f.indicator_key, f.group): (f.value, f.pupils)
        for f in list_figures(demo_db, "Blackhorse Primary", ["2016-17"])
    }
    assert figures == {
        ("ks2_rwm_expected", "all"): (64.0, 30),
        ("ks2_rwm_expected", "disadvantaged"): (41.5, 6),
        ("phonics_y1", "girls"): (88.0, 15),
    }
    again = import_figures_csv(demo_db, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_a_changed_figure_updates_the_one_record(demo_db, tmp_path: Path) -> None:
    import_figures_csv(
        demo_db, write(tmp_path, HEADER + "109187,,ks2_rwm_expected,2016-17,all,64,30\n")
    )
    result = import_figures_csv(
        demo_db, write(tmp_path, HEADER + "109187,,ks2_rwm_expected,2016-17,all,66,31\n", "b.csv")
    )
    assert (result.added, result.updated) == (0, 1)
    assert [(f.value, f.pupils) for f in list_figures(demo_db, "Blackhorse", ["2016-17"])] == [
        (66.0, 31)
    ]


BAD_ROWS = [
    (
        "999999,,ks2_rwm_expected,2016-17,all,64,30",
        "Line 2, column urn: no school in the network has the URN '999999'.",
    ),
    (
        "109187,Kings Forest Primary,ks2_rwm_expected,2016-17,all,64,30",
        "Line 2, column school: URN 109187 is Blackhorse Primary",
    ),
    (
        "109187,,ks2_reading_xyz,2016-17,all,64,30",
        "Line 2, column indicator: 'ks2_reading_xyz' is not an indicator",
    ),
    (
        "109187,,ks2_rwm_expected,2016-18,all,64,30",
        "Line 2, column year: '2016-18' is not an academic year",
    ),
    (
        "109187,,ks2_rwm_expected,2016-17,twins,64,30",
        "Line 2, column group: 'twins' is not a pupil group",
    ),
    (
        "109187,,ks2_rwm_expected,2016-17,all,lots,30",
        "Line 2, column value: 'lots' is not a number.",
    ),
    (
        "109187,,ks2_rwm_expected,2016-17,all,104,30",
        "Line 2, column value: the value must be a number from 0 to 100",
    ),
    ("109187,,ks2_rwm_expected,2016-17,all,64.25,30", "at most one decimal place"),
    (
        "109187,,ks2_rwm_expected,2016-17,all,64,",
        "Line 2, column pupils: the number of pupils must be a whole number",
    ),
    ("109187,,ks2_rwm_expected,2016-17,all,64,0", "Line 2, column pupils"),
    (
        "109187,,ks2_rwm_expected,2016-17,all,64",
        "Line 2, column (all): the row has 6 values where the header has 7.",
    ),
]


@pytest.mark.parametrize(("row", "sentence"), BAD_ROWS)
def test_a_file_with_one_bad_row_changes_nothing(
    demo_db, tmp_path: Path, row: str, sentence: str
) -> None:
    good = "109142,Bromley Heath Junior,ks2_rwm_expected,2016-17,all,70,60\n"
    path = write(tmp_path, HEADER + row + "\n" + good)
    before = dump(demo_db.path)
    with pytest.raises(IndicatorImportError) as err:
        import_figures_csv(demo_db, path)
    assert "nothing was imported" in str(err.value)
    assert len(err.value.problems) == 1
    assert sentence in err.value.problems[0]
    assert dump(demo_db.path) == before


def test_every_bad_row_is_named_and_a_duplicate_points_to_the_first(
    demo_db, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "# a note the template writes\n"
        + HEADER
        + "109187,,ks2_rwm_expected,2016-17,all,64,30\n"
        + "109187,,ks2_rwm_expected,2016-17,all,65,30\n"
        + "109187,,phonics_y1,2016-17,all,x,30\n",
    )
    with pytest.raises(IndicatorImportError) as err:
        import_figures_csv(demo_db, path)
    assert err.value.problems == [
        "Line 4, column indicator: the same figure is already given on line 3.",
        "Line 5, column value: 'x' is not a number.",
    ]


@pytest.mark.parametrize("column", ["upn", "pupil_name", "Date of birth", "surname"])
def test_pupil_level_data_is_refused(demo_db, tmp_path: Path, column: str) -> None:
    path = write(
        tmp_path,
        f"urn,school,indicator,year,group,value,pupils,{column}\n109187,,eyfs_gld,2016-17,all,70,30,x\n",
    )
    before = dump(demo_db.path)
    with pytest.raises(
        IndicatorImportError, match="pupil-level data, and only school-level figures are accepted"
    ):
        import_figures_csv(demo_db, path)
    assert dump(demo_db.path) == before


def test_a_missing_or_unknown_column_is_refused(demo_db, tmp_path: Path) -> None:
    with pytest.raises(IndicatorImportError, match="lacks the column pupils"):
        import_figures_csv(demo_db, write(tmp_path, "urn,school,indicator,year,group,value\n"))
    with pytest.raises(IndicatorImportError, match="has a column colour the template does not"):
        import_figures_csv(demo_db, write(tmp_path, HEADER.strip() + ",colour\n", "b.csv"))


def test_size_rows_and_encoding_are_bounded(
    demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nexus_review.usecases.trust.figures_file as uc

    monkeypatch.setattr(uc, "MAX_CSV_ROWS", 3)
    rows = "".join(f"109187,,eyfs_gld,20{y}-{y + 1},all,70,30\n" for y in range(10, 15))
    with pytest.raises(IndicatorImportError, match="more than 3 rows"):
        import_figures_csv(demo_db, write(tmp_path, HEADER + rows))
    monkeypatch.setattr(uc, "MAX_CSV_BYTES", 100)
    with pytest.raises(IndicatorImportError, match="larger than"):
        import_figures_csv(demo_db, write(tmp_path, HEADER + rows, "big.csv"))
    (tmp_path / "latin.csv").write_bytes(
        HEADER.encode() + "109187,Caf\xe9,eyfs_gld,2016-17,all,70,30\n".encode("latin-1")
    )
    with pytest.raises(IndicatorImportError, match="not a UTF-8 text file"):
        import_figures_csv(demo_db, tmp_path / "latin.csv")


def test_the_template_round_trips_through_the_command_line(
    demo_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "template.csv"
    count = write_template(demo_db, out, ["2016-17"])
    assert count == 10 * 7 * 13  # schools x groups x indicators
    lines = out.read_text("utf-8").splitlines()
    header = next(line for line in lines if not line.startswith("#"))
    assert header == HEADER.strip()
    filled = [
        line.replace(",all,,", ",all,72,28") if ",eyfs_gld," in line and ",all,," in line else line
        for line in lines
    ]
    (tmp_path / "filled.csv").write_text("\n".join(filled) + "\n", "utf-8")
    db_path = str(demo_db.path)
    demo_db.close()
    assert main(["--db", db_path, "indicators", "import", str(tmp_path / "filled.csv")]) == 0
    assert "10 added" in capsys.readouterr().out
    assert (
        main(
            [
                "--db",
                db_path,
                "indicators",
                "--school",
                "Kings Forest",
                "--year",
                "2016-17",
                "--json",
            ]
        )
        == 0
    )
    import json

    data = json.loads(capsys.readouterr().out)
    assert [(d["indicator"], d["group"], d["value"], d["pupils"]) for d in data] == [
        ("eyfs_gld", "all", 72.0, 28)
    ]


def test_the_command_line_lists_every_bad_row_then_one_line(
    demo_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, HEADER + "1,,eyfs_gld,2016-17,all,70,30\n109187,,eyfs_gld,2016-17,all,70,-3\n"
    )
    db_path = str(demo_db.path)
    demo_db.close()
    assert main(["--db", db_path, "indicators", "import", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Line 2, column urn:")
    assert err[1].startswith("Line 3, column pupils:")
    assert err[2].endswith("has 2 problems; nothing was imported.")


def test_a_figure_typed_in_is_checked_and_can_be_cleared(demo_db) -> None:
    from nexus_review.storage.repository import list_schools

    with demo_db.reading() as session:
        sid = list_schools(session)[0].id
    assert set_figure(demo_db, sid, "2016-17", "send", "attendance", 93.4, 12) == "added"
    assert set_figure(demo_db, sid, "2016-17", "send", "attendance", 93.4, 12) == "unchanged"
    with pytest.raises(Exception, match="at most one decimal place"):
        set_figure(demo_db, sid, "2016-17", "send", "attendance", 93.45, 12)
    assert set_figure(demo_db, sid, "2016-17", "send", "attendance", None, None) == "removed"
    assert list_figures(demo_db, years=["2016-17"]) == []
