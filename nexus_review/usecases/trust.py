"""The trust's view: indicators and school-level figures, the group analysis, aims and the
delivery plan. Each function opens one unit of work and returns frozen domain records.

Only school-level figures are accepted: a value for a group of pupils with the number of
pupils in the group. A file that names or describes single pupils is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nexus_review.domain.records import VisitDetail
from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    PUPIL_GROUPS,
    TERMS,
    AimItem,
    AimPriorities,
    DeliveryActionItem,
    Figure,
    GroupAtRisk,
    IndicatorDef,
    IndicatorSet,
    Thresholds,
    academic_years_back,
    parse_indicator_file,
)
from nexus_review.domain.trust import (
    groups_at_risk as analyse_groups,
)
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.reports.standards_data import StandardsData
from nexus_review.storage import trust as repo
from nexus_review.storage.database import Database, get_info, set_info

TEMPLATE_COLUMNS = ("urn", "school", "indicator", "year", "group", "value", "pupils")
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 50_000
MAX_PUPILS = 10_000
MAX_LISTED_PROBLEMS = 50
YEAR_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# Columns that would describe single pupils: such a file is never read.
PUPIL_LEVEL_COLUMNS = re.compile(
    r"(^|_)(upn|uln|pupil_?name|forename|surname|first_?name|last_?name|dob|date_?of_?birth|candidate)(_|$)"
)

GAP_KEY = "trust_gap_threshold"
SMALL_KEY = "trust_small_group"


class IndicatorImportError(NexusError):
    """A figures file with bad rows: nothing from it was written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


# ---------------------------------------------------------------------------- indicators


@cache
def shipped_indicators() -> IndicatorSet:
    from nexus_review.paths import resource_path

    data = json.loads(resource_path("indicators", "primary.json").read_text("utf-8"))
    return parse_indicator_file(data)


def indicator_set(db: Database) -> IndicatorSet:
    """The shipped indicators and those the network declared itself (a declared one with a
    shipped key renames it but keeps its national figures)."""
    shipped = shipped_indicators()
    with db.reading() as session:
        declared = repo.declared_indicators(session)
    out = IndicatorSet(dict(shipped.indicators))
    for d in declared:
        base = shipped.indicators.get(d.key)
        out.indicators[d.key] = IndicatorDef(
            d.key,
            d.name,
            d.higher_is_better,
            d.unit,
            base.position if base else d.position,
            base.national if base else (),
            base.theme if base else "",
        )
    return out


def thresholds(db: Database) -> Thresholds:
    with db.reading() as session:
        gap, small = get_info(session, GAP_KEY), get_info(session, SMALL_KEY)
    try:
        return Thresholds(
            float(gap) if gap else Thresholds().gap,
            int(small) if small else Thresholds().small_group,
        )
    except ValueError:
        return Thresholds()


def set_thresholds(db: Database, gap: float, small_group: int) -> Thresholds:
    if not 0 <= gap <= 100:
        raise NexusError("The gap threshold must be between 0 and 100 percentage points.")
    if not 1 <= small_group <= 1000:
        raise NexusError("The small-group threshold must be between 1 and 1000 pupils.")
    with db.transaction() as session:
        set_info(session, GAP_KEY, str(gap))
        set_info(session, SMALL_KEY, str(small_group))
    return Thresholds(gap, small_group)


# ---------------------------------------------------------------------------- figures


def list_figures(
    db: Database, school: str | None = None, years: list[str] | None = None
) -> list[Figure]:
    with db.reading() as session:
        school_id = None
        if school is not None:
            from nexus_review.storage.repository import list_schools

            found = [s for s in list_schools(session) if s.name.lower() == school.strip().lower()]
            if not found:
                found = [
                    s for s in list_schools(session) if school.strip().lower() in s.name.lower()
                ]
            if len(found) != 1:
                raise NotFoundError(
                    f"No school is called '{school}'."
                    if not found
                    else f"'{school}' names more than one school; give more of the name."
                )
            school_id = found[0].id
        return repo.figures(session, school_id=school_id, years=years)


def set_figure(
    db: Database,
    school_id: str,
    year: str,
    group: str,
    key: str,
    value: float | None,
    pupils: int | None,
) -> str:
    """Type one figure in (or clear it with no value); returns what happened."""
    indicators = indicator_set(db)
    problem = (
        _year_problem(year)
        or (None if group in PUPIL_GROUPS else f"'{group}' is not a pupil group")
        or (
            None
            if key in indicators.indicators
            else f"'{key}' is not an indicator the network tracks"
        )
    )
    if problem:
        raise NexusError(problem[0].upper() + problem[1:] + ".")
    with db.transaction() as session:
        if value is None:
            return (
                "removed"
                if repo.remove_figure(session, school_id, year, group, key)
                else "unchanged"
            )
        tenths, count = _checked_value(value, indicators.indicators[key].unit), pupils or 0
        if not 1 <= count <= MAX_PUPILS:
            raise NexusError(f"The number of pupils must be a whole number from 1 to {MAX_PUPILS}.")
        if tenths is None:
            raise NexusError(_value_problem(indicators.indicators[key].unit))
        return repo.put_figure(session, school_id, year, group, key, tenths, count)


def _year_problem(year: str) -> str | None:
    m = YEAR_PATTERN.match(year)
    if (
        not m
        or (int(m.group(1)) + 1) % 100 != int(m.group(2))
        or not 2000 <= int(m.group(1)) <= 2100
    ):
        return f"'{year}' is not an academic year written like 2024-25"
    return None


def _value_problem(unit: str) -> str:
    top = 100 if unit == "%" else 10_000
    return f"The value must be a number from 0 to {top} with at most one decimal place."


def _checked_value(value: float, unit: str) -> int | None:
    top = 100 if unit == "%" else 10_000
    tenths = round(value * 10)
    if not 0 <= value <= top or abs(tenths - value * 10) > 1e-6:
        return None
    return tenths


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
        year_problem = _year_problem(cell["year"])
        if year_problem:
            bad("year", f"{year_problem[:80]}.")
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
            tenths = _checked_value(number, unit)
            if tenths is None:
                bad("value", _value_problem(unit)[0].lower() + _value_problem(unit)[1:])
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


def groups_at_risk(db: Database, year: str | None = None) -> tuple[str, list[GroupAtRisk]]:
    """The year looked at (default: the latest with figures) and its groups at risk."""
    if year is not None and _year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2024-25.")
    with db.reading() as session:
        years = repo.figure_years(session)
    if not years:
        return year or "", []
    year = year or years[-1]
    figures = list_figures(db, years=academic_years_back(year, 3))
    return year, analyse_groups(figures, indicator_set(db), year, thresholds(db))


# ---------------------------------------------------------------------------- aims and the delivery plan


def list_aims(db: Database) -> list[AimItem]:
    with db.reading() as session:
        return repo.aims(session)


MAX_DESCRIPTION = 5000
MAX_PLAN_TEXT = 5000


def _aim_wording(title: str, description: str) -> tuple[str, str]:
    title, description = title.strip(), description.strip()
    if not title or len(title) > 300:
        raise NexusError("An aim needs a title of at most 300 characters.")
    if len(description) > MAX_DESCRIPTION:
        raise NexusError(f"An aim's description can be at most {MAX_DESCRIPTION} characters.")
    return title, description


def add_aim(db: Database, title: str, description: str = "") -> str:
    title, description = _aim_wording(title, description)
    with db.transaction() as session:
        return repo.add_aim(session, title, description)


def edit_aim(db: Database, aim_id: str, title: str, description: str, number: int) -> bool:
    """Reword an aim and give it its number in the list (1 first); the other aims keep their
    order around it. Returns whether anything changed."""
    title, description = _aim_wording(title, description)
    with db.transaction() as session:
        count = len(repo.aims(session))
        if not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        if not 1 <= number <= count:
            raise NexusError(f"An aim's number must be from 1 to {count}.")
        return repo.update_aim(session, aim_id, title, description, number - 1)


def priority_themes(db: Database) -> list[tuple[str, str | None]]:
    """Each theme the schools' priorities use (or that is already under an aim), with the id
    of the aim it is under, if any."""
    with db.reading() as session:
        mapping = repo.theme_aims(session)
        return [(theme, mapping.get(theme)) for theme in repo.priority_themes(session)]


def map_theme(db: Database, theme: str, aim_id: str | None) -> None:
    theme = theme.strip()
    if not theme or len(theme) > 100:
        raise NexusError("A priority theme needs a name of at most 100 characters.")
    with db.transaction() as session:
        if aim_id is not None and not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        repo.map_theme(session, theme, aim_id)


def map_themes(db: Database, chosen: dict[str, str | None]) -> int:
    """Put several priority themes under their aims (``None``: under no aim) in one go;
    returns how many moved. Every aim named must exist, or nothing changes."""
    if len(chosen) > 1000:
        raise NexusError("At most 1000 priority themes can be placed at once.")
    for theme in chosen:
        if not theme.strip() or len(theme.strip()) > 100:
            raise NexusError("A priority theme needs a name of at most 100 characters.")
    with db.transaction() as session:
        now = repo.theme_aims(session)
        moved = 0
        for theme, aim_id in chosen.items():
            theme = theme.strip()
            if now.get(theme) == aim_id:
                continue
            if aim_id is not None and not repo.aim_exists(session, aim_id):
                raise NotFoundError("That aim no longer exists.")
            repo.map_theme(session, theme, aim_id)
            moved += 1
        return moved


def theme_aims_now(db: Database) -> dict[str, str]:
    """Priority theme -> the id of the aim it is under."""
    with db.reading() as session:
        return repo.theme_aims(session)


def priorities_by_aim(db: Database, year: str) -> tuple[list[AimPriorities], list[tuple[str, str]]]:
    """Each aim with the schools' priorities of the year under it and its delivery actions,
    and the priorities whose theme is under no aim yet."""
    with db.reading() as session:
        aims = repo.aims(session)
        mapping = repo.theme_aims(session)
        priorities = repo.priorities_of_year(session, year)
        actions = repo.delivery_actions(session, year)
    out = [
        AimPriorities(
            aim,
            tuple(p for p in priorities if mapping.get(p[1]) == aim.id),
            tuple(a for a in actions if a.aim_id == aim.id),
        )
        for aim in aims
    ]
    unmapped = [p for p in priorities if p[1] not in mapping]
    return out, unmapped


def add_delivery_action(
    db: Database,
    aim_id: str,
    year: str,
    what: str,
    how: str = "",
    outcome: str = "",
    lead: str = "",
    due: dt.date | None = None,
) -> str:
    if _year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2024-25.")
    what, how, outcome, lead = _plan_wording(what, how, outcome, lead)
    with db.transaction() as session:
        if not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        return repo.add_delivery_action(session, aim_id, year, what, how, outcome, lead, due)


def _plan_wording(what: str, how: str, outcome: str, lead: str) -> tuple[str, str, str, str]:
    what, how, outcome, lead = what.strip(), how.strip(), outcome.strip(), lead.strip()
    if not what:
        raise NexusError("A delivery action needs to say what will be done.")
    if max(len(what), len(how), len(outcome)) > MAX_PLAN_TEXT:
        raise NexusError(
            f"What, how and the outcome of an action can each be at most {MAX_PLAN_TEXT} characters."
        )
    if len(lead) > 200:
        raise NexusError("An action's lead can be at most 200 characters.")
    return what, how, outcome, lead


def edit_delivery_action(
    db: Database,
    action_id: str,
    aim_id: str,
    what: str,
    how: str = "",
    outcome: str = "",
    lead: str = "",
    due: dt.date | None = None,
) -> bool:
    """Change what a delivery action says, or move it under another aim; its year and its
    progress stay. Returns whether anything changed."""
    what, how, outcome, lead = _plan_wording(what, how, outcome, lead)
    with db.transaction() as session:
        if not repo.delivery_action_exists(session, action_id):
            raise NotFoundError("That delivery action no longer exists.")
        if not repo.aim_exists(session, aim_id):
            raise NotFoundError("That aim no longer exists.")
        return repo.update_delivery_action(
            session, action_id, aim_id, what, how, outcome, lead, due
        )


def record_progress(
    db: Database, action_id: str, year: str, term: str, status: str, note: str = ""
) -> None:
    if term not in TERMS:
        raise NexusError(f"'{term}' is not a term (autumn, spring or summer).")
    if status not in PROGRESS_STATUSES:
        raise NexusError(f"'{status}' is not a progress status ({', '.join(PROGRESS_STATUSES)}).")
    if _year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2024-25.")
    if len(note.strip()) > MAX_PLAN_TEXT:
        raise NexusError(f"A progress note can be at most {MAX_PLAN_TEXT} characters.")
    with db.transaction() as session:
        if not repo.delivery_action_exists(session, action_id):
            raise NotFoundError("That delivery action no longer exists.")
        repo.put_progress(session, action_id, year, term, status, note.strip())


def delivery_plan(db: Database, year: str | None = None) -> list[DeliveryActionItem]:
    with db.reading() as session:
        return repo.delivery_actions(session, year)


# ---------------------------------------------------------------------------- the standards report


def standards_data(
    db: Database, year: str, term: str, today: dt.date | None = None
) -> StandardsData:
    """What the termly standards report says, read in one go."""
    from nexus_review.usecases.network import network_visits

    if _year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2025-26.")
    if term not in TERMS:
        raise NexusError(f"'{term}' is not a term (autumn, spring or summer).")
    with db.reading() as session:
        network = get_info(session, "network_name")
        mapping = repo.theme_aims(session)
        years = [y for y in repo.figure_years(session) if y <= year]
    from nexus_review.reports.feedback import network_name_or_default

    figures_year = years[-1] if years else ""
    figures = list_figures(db, years=academic_years_back(figures_year, 3)) if figures_year else []
    risks = (
        analyse_groups(figures, indicator_set(db), figures_year, thresholds(db))
        if figures_year
        else []
    )
    aims, _unmapped = priorities_by_aim(db, year)
    visits = [v for v in network_visits(db, year, term) if v.status != "planned"]
    return StandardsData(
        year=year,
        term=term,
        network=network_name_or_default(network),
        figures_year=figures_year,
        aims=tuple(aims),
        theme_aims=mapping,
        indicators=indicator_set(db),
        figures=tuple(figures),
        risks=tuple(risks),
        thresholds=thresholds(db),
        visits=tuple(visits),
        today=today or dt.date.today(),
    )


def export_standards_report(
    db: Database,
    year: str,
    term: str,
    fmt: str,
    out: Path,
    paper: str = "a4",
    today: dt.date | None = None,
) -> Path:
    from nexus_review.reports.export import export_document
    from nexus_review.reports.standards import build_standards_report

    return export_document(
        build_standards_report(standards_data(db, year, term, today)), fmt, out, paper
    )


# ---------------------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class IndicatorStanding:
    key: str
    name: str
    unit: str
    figure: Figure | None  # the school's all-pupil figure in the latest year
    network: float | None
    national: float | None


@dataclass(frozen=True)
class SchoolStanding:
    """One school on the trust's dashboard: its outcomes beside the network's and
    national, its latest judgements (its own and its peers'), and its next steps."""

    school_id: str
    name: str
    indicators: tuple[IndicatorStanding, ...]
    latest_review: dt.date | None
    areas: tuple[tuple[str, str, str], ...]  # (area, the school's own grade, the peer judgement)
    open_steps: int
    overdue_steps: int
    groups_behind: int


@dataclass(frozen=True)
class Dashboard:
    year: str
    figures_year: str
    schools: tuple[SchoolStanding, ...]
    aims: tuple[AimPriorities, ...]
    unmapped: tuple[tuple[str, str], ...]
    risks: tuple[GroupAtRisk, ...]
    indicators: IndicatorSet
    figures: tuple[Figure, ...]
    thresholds: Thresholds


def dashboard(
    db: Database,
    year: str,
    today: dt.date | None = None,
    visits: Sequence[VisitDetail] | None = None,
) -> Dashboard:
    """Everything the trust's dashboard shows for a year, read in one go (``visits``: the
    year's visits, when the caller has just read them)."""
    from nexus_review.domain.network import tracked_actions
    from nexus_review.domain.trust import network_figure
    from nexus_review.errors import FrameworkError
    from nexus_review.frameworks import area_title, get_framework
    from nexus_review.storage.repository import list_schools
    from nexus_review.usecases.network import network_visits

    today = today or dt.date.today()
    with db.reading() as session:
        schools = list_schools(session)
        years = [y for y in repo.figure_years(session) if y <= year]
    figures_year = years[-1] if years else ""
    figures = list_figures(db, years=academic_years_back(figures_year, 3)) if figures_year else []
    indicators = indicator_set(db)
    limits = thresholds(db)
    risks = analyse_groups(figures, indicators, figures_year, limits) if figures_year else []
    visits = [
        v for v in (network_visits(db, year) if visits is None else visits) if v.status != "planned"
    ]
    actions = tracked_actions(visits)
    standings = []
    for school in schools:
        mine = {
            f.indicator_key: f
            for f in figures
            if f.school_id == school.id and f.year == figures_year and f.group == "all"
        }
        rows = []
        for d in indicators.ordered():
            net = network_figure(figures, d.key, figures_year, "all")
            nat = d.national_for(figures_year, "all")
            if d.key in mine or net is not None:
                rows.append(
                    IndicatorStanding(
                        d.key,
                        d.name,
                        d.unit,
                        mine.get(d.key),
                        net[0] if net else None,
                        nat.value if nat else None,
                    )
                )
        reviewed = sorted(
            (v for v in visits if v.host_school.id == school.id and v.judgements),
            key=lambda v: v.visit_date,
        )
        areas: list[tuple[str, str, str]] = []
        latest = reviewed[-1] if reviewed else None
        if latest is not None:
            try:
                framework = get_framework(latest.framework_key)
            except FrameworkError:
                framework = None
            for j in latest.judgements:
                if framework is None or not (j.peer_grade or j.self_grade):
                    continue
                areas.append(
                    (
                        area_title(framework, j.area_key, latest.focus_areas),
                        framework.grade_label(j.area_key, j.self_grade) or "–",
                        framework.grade_label(j.area_key, j.peer_grade) or "–",
                    )
                )
        steps = [a for a in actions if a.school == school.name]
        standings.append(
            SchoolStanding(
                school.id,
                school.name,
                tuple(rows),
                latest.visit_date if latest else None,
                tuple(areas),
                sum(1 for a in steps if a.status != "done"),
                sum(1 for a in steps if a.overdue(today)),
                sum(1 for r in risks if r.school_id == school.id and not r.too_small),
            )
        )
    aims, unmapped = priorities_by_aim(db, year)
    return Dashboard(
        year,
        figures_year,
        tuple(standings),
        tuple(aims),
        tuple(unmapped),
        tuple(risks),
        indicators,
        tuple(figures),
        limits,
    )


def aim_of_themes(db: Database) -> dict[str, str]:
    """Priority theme -> "Aim n: title", for the screens that list themes."""
    with db.reading() as session:
        aims = repo.aims(session)
    return {theme: f"Aim {n}: {a.title}" for n, a in enumerate(aims, start=1) for theme in a.themes}


@dataclass(frozen=True)
class SchoolFigures:
    """A host school's outcomes for a data review: the latest year's all-pupil figures
    beside the network and national, and its groups further behind than the network allows."""

    school_id: str
    figures_year: str
    indicators: tuple[IndicatorStanding, ...]
    risks: tuple[GroupAtRisk, ...]
    small_group: int


def school_figures(db: Database, school_id: str, on: dt.date) -> SchoolFigures:
    from nexus_review.domain.calendar import academic_year_of
    from nexus_review.domain.trust import network_figure

    year = academic_year_of(on)
    with db.reading() as session:
        years = [y for y in repo.figure_years(session) if y <= year]
    limits = thresholds(db)
    if not years:
        return SchoolFigures(school_id, "", (), (), limits.small_group)
    latest = years[-1]
    figures = list_figures(db, years=academic_years_back(latest, 3))
    indicators = indicator_set(db)
    mine = {
        f.indicator_key: f
        for f in figures
        if f.school_id == school_id and f.year == latest and f.group == "all"
    }
    rows = []
    for d in indicators.ordered():
        if d.key not in mine:
            continue
        net = network_figure(figures, d.key, latest, "all")
        nat = d.national_for(latest, "all")
        rows.append(
            IndicatorStanding(
                d.key,
                d.name,
                d.unit,
                mine[d.key],
                net[0] if net else None,
                nat.value if nat else None,
            )
        )
    risks = [
        r for r in analyse_groups(figures, indicators, latest, limits) if r.school_id == school_id
    ]
    return SchoolFigures(school_id, latest, tuple(rows), tuple(risks), limits.small_group)
