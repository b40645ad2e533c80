"""The standards report's outcomes: each indicator's three years at each school beside the
network's and national figures, and the pupil groups further behind than the network allows.
Small groups are given by their count, never as a percentage."""

from __future__ import annotations

from collections.abc import Sequence

from nexus_review.domain.trust import (
    PUPIL_GROUPS,
    Figure,
    GroupAtRisk,
    IndicatorDef,
    academic_years_back,
    network_figure,
    pupils_text,
)
from nexus_review.reports.document import BarChart, Block, BulletList, Paragraph, Table
from nexus_review.reports.standards_data import StandardsData


def _fixed(value: float, unit: str) -> str:
    """A figure to one decimal place, so that a table's columns read alike (66.0%, 67.4%)."""
    return f"{value:.1f}%" if unit == "%" else f"{value:.1f} {unit}"


def indicator_blocks(data: StandardsData, d: IndicatorDef) -> list[Block]:
    years = academic_years_back(data.figures_year, 3)
    mine = [f for f in data.figures if f.indicator_key == d.key and f.group == "all"]
    if not mine:
        return []
    schools = sorted({f.school_name for f in mine})
    by = {(f.school_name, f.year): f for f in mine}
    small = data.thresholds.small_group

    def cell(f: Figure | None) -> str:
        if f is None:
            return "–"
        if f.pupils < small:
            return f"{pupils_text(f.pupils)}, too few to judge"
        return f"{_fixed(f.value, d.unit)} ({f.pupils})"

    rows = [(s, *(cell(by.get((s, y))) for y in years)) for s in schools]
    network = [network_figure(data.figures, d.key, y, "all") for y in years]
    national = [d.national_for(y, "all") for y in years]
    rows.append(("Network", *(_fixed(n[0], d.unit) if n else "–" for n in network)))
    rows.append(
        (
            "National",
            *(_fixed(n.value, d.unit) if n else "no checked figure" for n in national),
        )
    )
    better = "higher is better" if d.higher_is_better else "lower is better"
    blocks: list[Block] = [
        Table(
            ("School", *years),
            tuple(rows),
            widths=(2.6, 1.6, 1.6, 1.6),
            caption=f"{d.name}, all pupils ({better}); the number of pupils in brackets.",
        ),
    ]
    # A chart only where it compares like with like: the network beside a national figure
    # known for each of the three years.
    if all(network) and all(national):
        series = (
            ("Network", tuple(round(n[0], 1) for n in network if n)),
            ("National", tuple(float(n.value) for n in national if n)),
        )
        blocks.append(BarChart(f"{d.name}: network and national", tuple(years), series, d.unit))
    return blocks


def risk_blocks(data: StandardsData, risks: Sequence[GroupAtRisk]) -> list[Block]:
    judged = [r for r in risks if not r.too_small]
    small = [r for r in risks if r.too_small]
    blocks: list[Block] = []
    if judged:
        blocks.append(
            Table(
                (
                    "School",
                    "Group",
                    "Indicator",
                    "Points behind",
                    "Pupils",
                    "Trend over three years",
                ),
                tuple(
                    (
                        r.school_name,
                        PUPIL_GROUPS.get(r.group, r.group),
                        r.indicator_name,
                        f"{r.gap:.1f} ({r.compared_with})",
                        pupils_text(r.pupils),
                        r.trend_word
                        + ": "
                        + ", ".join(
                            f"{t.shortfall:+.1f}" if t.shortfall is not None else "–"
                            for t in r.trend
                        ),
                    )
                    for r in judged
                ),
                widths=(2.0, 1.8, 2.6, 1.2, 1.0, 2.0),
            )
        )
        years = academic_years_back(judged[0].year, 3)
        blocks.append(
            Paragraph(
                "Points behind: how far the group's figure lies behind the national figure for the same group "
                "(national) where one is published with its source, otherwise behind the network's figure for the "
                f"group (network). The trend gives the points behind in {', '.join(years)}; a minus sign means the "
                "group was ahead that year.",
                "note",
            )
        )
    else:
        blocks.append(
            Paragraph("No group is further behind than the network's threshold.", "muted")
        )
    if small:
        blocks.append(
            Paragraph(
                f"Groups of fewer than {data.thresholds.small_group} pupils are too small to judge on their figures; "
                "they are named here by their count, for the school to look at pupil by pupil:",
                "note",
            )
        )
        by_school: dict[str, list[str]] = {}
        for r in small:
            by_school.setdefault(r.school_name, []).append(
                f"{PUPIL_GROUPS.get(r.group, r.group)} ({pupils_text(r.pupils)}) in {r.indicator_name}"
            )
        blocks.append(
            BulletList(
                tuple(
                    f"{school}: {'; '.join(items)}" for school, items in sorted(by_school.items())
                )
            )
        )
    return blocks
