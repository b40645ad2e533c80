"""The trust's view on the command line: school-level figures and the groups at risk."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("indicators", help="list, import or template the schools' indicator figures")
    p.add_argument("--school", metavar="NAME", help="only this school's figures")
    p.add_argument("--year", metavar="YYYY-YY", help="only this academic year's figures")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_indicators)
    isub = p.add_subparsers(dest="indicators_command", metavar="ACTION")
    t = isub.add_parser("template", help="write the documented CSV template for every school")
    t.add_argument("--out", required=True, type=Path, metavar="FILE.csv")
    t.add_argument(
        "--year", action="append", metavar="YYYY-YY", help="academic year to include (may repeat)"
    )
    t.set_defaults(func=cmd_template)
    i = isub.add_parser(
        "import", help="import school-level figures from a CSV file (all or nothing)"
    )
    i.add_argument("file", type=Path, metavar="FILE.csv")
    i.set_defaults(func=cmd_import)
    t = isub.add_parser(
        "thresholds",
        help="show or set how far behind a group may be, and how small is too small to judge",
    )
    t.add_argument(
        "--gap",
        type=float,
        metavar="POINTS",
        help="percentage points behind before a group is listed",
    )
    t.add_argument(
        "--small", type=int, metavar="PUPILS", help="groups of fewer pupils are too small to judge"
    )
    t.set_defaults(func=cmd_thresholds)

    p = sub.add_parser(
        "groups-at-risk",
        help="pupil groups further behind national (or the network) than the threshold",
    )
    p.add_argument(
        "--year", metavar="YYYY-YY", help="academic year (default: the latest with figures)"
    )
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_groups_at_risk)

    p = sub.add_parser(
        "standards-report", help="the termly standards report to the trust board, as Word or PDF"
    )
    p.add_argument("--term", required=True, choices=("autumn", "spring", "summer"))
    p.add_argument("--year", required=True, metavar="YYYY-YY", help="academic year, like 2025-26")
    p.add_argument("--format", required=True, choices=("docx", "pdf"), dest="fmt")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.set_defaults(func=cmd_standards_report)


def cmd_indicators(ctx: Any) -> int:
    from nexus_review.domain.trust import PUPIL_GROUPS, format_value, pupils_text
    from nexus_review.usecases.trust import indicator_set, list_figures

    figures = list_figures(ctx.db, ctx.args.school, [ctx.args.year] if ctx.args.year else None)
    indicators = indicator_set(ctx.db)
    if ctx.args.json:
        out = []
        for f in figures:
            d = indicators.indicators.get(f.indicator_key)
            national = d.national_for(f.year, f.group) if d else None
            out.append(
                {
                    "school": f.school_name,
                    "urn": f.urn,
                    "indicator": f.indicator_key,
                    "year": f.year,
                    "group": f.group,
                    "value": f.value,
                    "pupils": f.pupils,
                    "national": national.value if national else None,
                    "national_source": national.url if national else None,
                }
            )
        ctx.print_json(out)
        return 0
    if not figures:
        ctx.print(
            "There are no indicator figures yet (see 'nexus-review indicators template --help')."
        )
        return 0
    rows = []
    for f in figures:
        d = indicators.indicators.get(f.indicator_key)
        national = d.national_for(f.year, f.group) if d else None
        unit = d.unit if d else "%"
        rows.append(
            (
                f.school_name,
                f.year,
                d.name if d else f.indicator_key,
                PUPIL_GROUPS.get(f.group, f.group),
                format_value(f.value, unit),
                pupils_text(f.pupils),
                format_value(national.value, unit) if national else "",
            )
        )
    ctx.print_table(("School", "Year", "Indicator", "Group", "Value", "Pupils", "National"), rows)
    return 0


def cmd_template(ctx: Any) -> int:
    from nexus_review.usecases.trust import write_template

    count = write_template(ctx.db, ctx.args.out, ctx.args.year)
    ctx.print(
        f"Template with {count} rows written to {ctx.args.out}; fill in value and pupils, then import it."
    )
    return 0


def cmd_import(ctx: Any) -> int:
    from nexus_review.usecases.trust import IndicatorImportError, import_figures_csv

    try:
        result = import_figures_csv(ctx.db, ctx.args.file)
    except IndicatorImportError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        raise
    ctx.print(
        f"Figures imported: {result.added} added, {result.updated} updated, {result.unchanged} unchanged"
        + (f", {result.skipped_blank} blank rows skipped." if result.skipped_blank else ".")
    )
    return 0


def cmd_groups_at_risk(ctx: Any) -> int:
    from nexus_review.domain.trust import pupils_text
    from nexus_review.usecases.trust import groups_at_risk

    year, risks = groups_at_risk(ctx.db, ctx.args.year)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "school": r.school_name,
                    "group": r.group,
                    "indicator": r.indicator_key,
                    "year": r.year,
                    "gap": None if r.too_small else r.gap,
                    "pupils": r.pupils,
                    "compared_with": r.compared_with,
                    "too_small_to_judge": r.too_small,
                    "trend": r.trend_word,
                    "years": [
                        {
                            "year": t.year,
                            "gap": None if r.too_small else t.shortfall,
                            "pupils": t.pupils,
                        }
                        for t in r.trend
                    ],
                }
                for r in risks
            ]
        )
        return 0
    if not risks:
        ctx.print(f"No pupil group is further behind than the threshold in {year or 'any year'}.")
        return 0
    rows = []
    for r in risks:
        history = ", ".join(
            f"{t.year[2:]}: {t.shortfall:+.1f}" if t.shortfall is not None else f"{t.year[2:]}: -"
            for t in r.trend
        )
        gap = (
            "too small to judge" if r.too_small else f"{r.gap:.1f} points behind {r.compared_with}"
        )
        rows.append(
            (
                r.school_name,
                r.group_label,
                r.indicator_name,
                gap,
                pupils_text(r.pupils),
                f"{r.trend_word} ({history})",
            )
        )
    ctx.print(f"Groups at risk in {year} (points behind; positive is behind):")
    ctx.print_table(("School", "Group", "Indicator", "Gap", "Pupils", "Trend"), rows)
    return 0


def cmd_standards_report(ctx: Any) -> int:
    from nexus_review.usecases.trust import export_standards_report

    args = ctx.args
    path = export_standards_report(ctx.db, args.year, args.term, args.fmt, args.out, args.paper)
    ctx.print(f"Standards report written to {path}.")
    return 0


def cmd_thresholds(ctx: Any) -> int:
    from nexus_review.usecases.trust import set_thresholds, thresholds

    now = thresholds(ctx.db)
    if ctx.args.gap is not None or ctx.args.small is not None:
        gap = ctx.args.gap if ctx.args.gap is not None else now.gap
        small = ctx.args.small if ctx.args.small is not None else now.small_group
        now = set_thresholds(ctx.db, gap, small)
    ctx.print(
        f"A group is listed when more than {now.gap:g} points behind; "
        f"groups of fewer than {now.small_group} pupils are too small to judge."
    )
    return 0
