"""The figures file: the template to fill in and the file read back in one unit of work.

Only school-level figures are accepted: a value for a group of pupils with the number of
pupils in the group. A file that names or describes single pupils is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nexus_review.domain.trust import (
    PUPIL_GROUPS,
    academic_years_back,
)
from nexus_review.errors import NexusError
from nexus_review.storage import trust as repo
from nexus_review.storage.database import Database
from nexus_review.usecases.trust.indicators import (
    MAX_PUPILS,
    checked_value,
    indicator_set,
    value_problem,
    year_problem,
)

TEMPLATE_COLUMNS = ("urn", "school", "indicator", "year", "group", "value", "pupils")
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 50_000
MAX_LISTED_PROBLEMS = 50
# Columns that would describe single pupils: such a file is never read.
PUPIL_LEVEL_COLUMNS = re.compile(
    r"(^|_)(upn|uln|pupil_?name|forename|surname|first_?name|last_?name|dob|date_?of_?birth|candidate)(_|$)"
)


class IndicatorImportError(NexusError):
    """A figures file with bad rows: nothing from it was written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    added: int
    updated: int
    unchanged: int
    skipped_blank: int


def write_template(db: Database, out: Path, years: list[str] | None = None) -> int:
    """The documented template: one row per school x year x group x indicator, with the
    value and pupil count left blank to fill in. Returns the number of rows."""
    from nexus_review.domain.calendar import academic_year_of
    from nexus_review.fileio import write_bytes_atomic
    from nexus_review.storage.repository import list_schools

    with db.reading() as session:
        schools = list_schools(session)
    if years is None:
        current = academic_year_of(dt.date.today())
        years = academic_years_back(current, 2)[:1]  # the year just finished
    buf = io.StringIO()
    buf.write(
        "# Nexus Review indicators template: one school-level figure per row, never a pupil's.\n"
        "# urn: the school's URN; school: its name (checked against the URN); indicator: one of "
        + ", ".join(d.key for d in indicator_set(db).ordered())
        + ";\n# year: the academic year, like 2024-25; group: one of "
        + ", ".join(PUPIL_GROUPS)
        + ";\n# value: the group's figure (a percentage from 0 to 100, one decimal place at most; suspensions per 100 pupils);"
        " pupils: how many pupils the group has.\n"
        "# Rows left with no value and no pupils are skipped. Lines starting with # are notes.\n"
    )
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    count = 0
    for school in schools:
        for year in years:
            for group in PUPIL_GROUPS:
                for d in indicator_set(db).ordered():
                    writer.writerow((school.urn, school.name, d.key, year, group, "", ""))
                    count += 1
    write_bytes_atomic(out, buf.getvalue().encode("utf-8"))
    return count


def import_figures_csv(db: Database, path: Path) -> ImportSummary:
    """Read a figures file (the template's columns) and write it in one unit of work.

    Every bad row is named by its line and column; if any row is bad nothing is written.
    """
    from nexus_review.fileio import shown_name

    name = shown_name(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise IndicatorImportError(f"There is no file {name}.") from exc
    if size > MAX_CSV_BYTES:
        raise IndicatorImportError(
            f"{name} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB; a figures file is much smaller."
        )
    with path.open("rb") as fh:
        raw = fh.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:  # it grew since it was measured
        raise IndicatorImportError(
            f"{name} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB; a figures file is much smaller."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IndicatorImportError(
            f"{name} is not a UTF-8 text file; save it from the spreadsheet as CSV UTF-8."
        ) from exc
    lines = text.splitlines()
    data_lines = [
        (n, line)
        for n, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not data_lines:
        raise IndicatorImportError(
            f"{name} has no header row; start from 'nexus-review indicators template'."
        )
    if len(data_lines) - 1 > MAX_CSV_ROWS:
        raise IndicatorImportError(
            f"{name} has more than {MAX_CSV_ROWS} rows; split it into smaller files."
        )
    try:
        parsed = list(csv.reader([line for _, line in data_lines]))
    except csv.Error as exc:
        raise IndicatorImportError(
            f"{name} is not a CSV file the program can read ({exc})."
        ) from exc
    header = [h.strip().lower() for h in parsed[0]]
    header_line = data_lines[0][0]
    pupil_level = [h for h in header if PUPIL_LEVEL_COLUMNS.search(h.replace(" ", "_"))]
    if pupil_level:
        raise IndicatorImportError(
            f"{name} line {header_line}, column {pupil_level[0]}: the file holds pupil-level data, and only school-level "
            "figures are accepted; nothing was imported."
        )
    missing = [c for c in TEMPLATE_COLUMNS if c not in header]
    extra = [h for h in header if h not in TEMPLATE_COLUMNS]
    if missing or extra:
        what = (
            f"lacks the column {missing[0]}"
            if missing
            else f"has a column {extra[0] or '(blank)'} the template does not"
        )
        raise IndicatorImportError(
            f"{name} line {header_line} {what}; the columns are {','.join(TEMPLATE_COLUMNS)}; nothing was imported."
        )
    col = {c: header.index(c) for c in TEMPLATE_COLUMNS}
    indicators = indicator_set(db)
    group_names = {k: k for k in PUPIL_GROUPS} | {v.lower(): k for k, v in PUPIL_GROUPS.items()}
    with db.reading() as session:
        by_urn = repo.schools_by_urn(session)
    problems: list[str] = []
    good: list[tuple[str, str, str, str, int, int]] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    blank = 0
    for (line_no, _), row in zip(data_lines[1:], parsed[1:], strict=True):

        def bad(column: str, sentence: str, line_no: int = line_no) -> None:
            problems.append(f"Line {line_no}, column {column}: {sentence}")

        if len(row) != len(header):
            bad("(all)", f"the row has {len(row)} values where the header has {len(header)}.")
            continue
        cell = {c: row[col[c]].strip() for c in TEMPLATE_COLUMNS}
        if not cell["value"] and not cell["pupils"]:
            blank += 1
            continue
        school = by_urn.get(cell["urn"])
        before = len(problems)
        if school is None:
            bad("urn", f"no school in the network has the URN '{cell['urn'][:20]}'.")
        elif cell["school"] and cell["school"].lower() != school[1].lower():
            bad("school", f"URN {cell['urn']} is {school[1]}, not '{cell['school'][:60]}'.")
        if cell["indicator"] not in indicators.indicators:
            bad("indicator", f"'{cell['indicator'][:60]}' is not an indicator the network tracks.")
        wrong_year = year_problem(cell["year"])
        if wrong_year:
            bad("year", f"{wrong_year[:80]}.")
        group = group_names.get(cell["group"].lower())
        if group is None:
            bad(
                "group",
                f"'{cell['group'][:40]}' is not a pupil group (use one of {', '.join(PUPIL_GROUPS)}).",
            )
        tenths = None
        unit = (
            indicators.indicators[cell["indicator"]].unit
            if cell["indicator"] in indicators.indicators
            else "%"
        )
        try:
            number = float(cell["value"])
        except ValueError:
            bad(
                "value",
                f"'{cell['value'][:20]}' is not a number."
                if cell["value"]
                else "the value is missing.",
            )
        else:
            tenths = checked_value(number, unit)
            if tenths is None:
                bad("value", value_problem(unit)[0].lower() + value_problem(unit)[1:])
        if not cell["pupils"].isdigit() or not 1 <= int(cell["pupils"]) <= MAX_PUPILS:
            bad("pupils", f"the number of pupils must be a whole number from 1 to {MAX_PUPILS}.")
        if len(problems) > before or school is None or group is None or tenths is None:
            continue
        key = (school[0], cell["year"], group, cell["indicator"])
        if key in seen:
            bad("indicator", f"the same figure is already given on line {seen[key]}.")
            continue
        seen[key] = line_no
        good.append((*key, tenths, int(cell["pupils"])))
    if problems:
        listed = problems[:MAX_LISTED_PROBLEMS]
        more = len(problems) - len(listed)
        raise IndicatorImportError(
            f"{name} has {len(problems)} {'problem' if len(problems) == 1 else 'problems'}; nothing was imported.",
            listed + ([f"... and {more} more."] if more else []),
        )
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    if good:
        if db.path is not None and db.path.exists():
            from nexus_review.storage.backups import make_backup

            make_backup(db.path, reason="figures-import")
        with db.transaction() as session:
            for school_id, year, group, indicator_key, tenths, pupils in good:
                counts[
                    repo.put_figure(session, school_id, year, group, indicator_key, tenths, pupils)
                ] += 1
    return ImportSummary(
        len(parsed) - 1, counts["added"], counts["updated"], counts["unchanged"], blank
    )
