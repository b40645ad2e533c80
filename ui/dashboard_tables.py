"""The Dashboard's tables and its tree of aims, filled from the figures the trust's use cases
give: the schools' overview, the chosen school's outcomes and judgements, the aims with their
priorities and delivery plan, and the groups behind."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTreeWidget, QTreeWidgetItem

from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    PUPIL_GROUPS,
    TERMS,
    format_value,
    pupils_text,
)
from nexus_review.usecases.trust import Dashboard, IndicatorStanding
from ui.plan_buttons import PLAN_ROLE
from ui.widgets import row_table, table_item

_item = table_item


def fitted_table(headers: list[str]) -> QTableWidget:
    """A read-only table of rows whose columns fit their contents, the last one stretched."""
    table = row_table(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def set_comparison(table: QTableWidget, row: int, i: IndicatorStanding) -> None:
    """The network's and the national figure for an indicator, in the row's third and fourth
    columns."""
    table.setItem(row, 2, _item(format_value(i.network, i.unit) if i.network is not None else "–"))
    table.setItem(
        row,
        3,
        _item(format_value(i.national, i.unit) if i.national is not None else "no checked figure"),
    )


def fill_schools(table: QTableWidget, data: Dashboard) -> None:
    """Each school's latest review, its open and overdue next steps and its groups behind."""
    table.setRowCount(len(data.schools))
    for r, s in enumerate(data.schools):
        table.setItem(r, 0, _item(s.name, s.school_id))
        table.setItem(r, 1, _item(f"{s.latest_review:%d %b %Y}" if s.latest_review else "–"))
        table.setItem(r, 2, _item(str(s.open_steps)))
        overdue = _item(str(s.overdue_steps))
        if s.overdue_steps:
            overdue.setForeground(QColor("#a61b1b"))
        table.setItem(r, 3, overdue)
        table.setItem(r, 4, _item(str(s.groups_behind)))


def fill_school_detail(
    figures: QTableWidget, areas: QTableWidget, data: Dashboard, row: int
) -> None:
    """The school in this row of the overview: its outcomes beside the network's and national,
    those too far behind in red, and its latest judgements beside its peers'."""
    s = data.schools[row]
    small = data.thresholds.small_group
    figures.setRowCount(len(s.indicators))
    for r, i in enumerate(s.indicators):
        f = i.figure
        mine = (
            "–"
            if f is None
            else (
                f"{pupils_text(f.pupils)}, too few to judge"
                if f.pupils < small
                else f"{format_value(f.value, i.unit)} ({pupils_text(f.pupils)})"
            )
        )
        figures.setItem(r, 0, _item(i.name))
        item = _item(mine)
        compare = i.national if i.national is not None else i.network
        definition = data.indicators.indicators.get(i.key)
        if f is not None and f.pupils >= small and compare is not None and definition is not None:
            behind = (compare - f.value) if definition.higher_is_better else (f.value - compare)
            if behind > data.thresholds.gap:
                item.setForeground(QColor("#a61b1b"))
        figures.setItem(r, 1, item)
        set_comparison(figures, r, i)
    areas.setRowCount(len(s.areas))
    for r, (area, own, peer) in enumerate(s.areas):
        areas.setItem(r, 0, _item(area))
        areas.setItem(r, 1, _item(own))
        areas.setItem(r, 2, _item(peer))
    areas.setToolTip(
        "" if s.areas else f"{s.name} has no review with judgements in {data.year} yet."
    )


def fill_aims(tree: QTreeWidget, data: Dashboard) -> None:
    """Each aim with the schools' priorities under it and its delivery plan's actions, their
    progress term by term; then the priorities under no aim yet."""
    tree.clear()
    year = data.year
    for n, aim in enumerate(data.aims, start=1):
        top = QTreeWidgetItem([f"Aim {n}: {aim.aim.title}", ""])
        top.setData(0, PLAN_ROLE, ("aim", aim.aim.id))
        top.setToolTip(0, aim.aim.description or aim.aim.title)
        themes: dict[str, list[str]] = {}
        for school, theme in aim.priorities:
            themes.setdefault(theme, []).append(school)
        priorities = QTreeWidgetItem([f"Schools' priorities ({len(aim.priorities)})", ""])
        for theme, schools in sorted(themes.items()):
            row = QTreeWidgetItem([f"{theme}: {', '.join(schools)}", ""])
            row.setToolTip(0, f"{theme}: {', '.join(schools)}")
            priorities.addChild(row)
        top.addChild(priorities)
        count = len(aim.actions)
        plan = QTreeWidgetItem(
            [
                f"Delivery plan ({count} {'action' if count == 1 else 'actions'})"
                if count
                else "Delivery plan (no actions yet: Add action…)",
                "",
            ]
        )
        for a in aim.actions:
            latest = next((p for t in reversed(TERMS) if (p := a.progress_in(year, t))), None)
            status = (
                f"{TERMS[latest.term]}: {PROGRESS_STATUSES.get(latest.status, latest.status)}"
                if latest
                else "Not reported yet"
            )
            action = QTreeWidgetItem([a.what, status])
            action.setData(0, PLAN_ROLE, ("action", a.id))
            action.setToolTip(0, f"Outcome: {a.outcome}\nLead: {a.lead}\nDue: {a.due_date or '–'}")
            for p in a.progress:
                done = QTreeWidgetItem(
                    [
                        f"{TERMS[p.term]} {p.year}: {p.note}",
                        PROGRESS_STATUSES.get(p.status, p.status),
                    ]
                )
                done.setData(0, PLAN_ROLE, ("progress", a.id, p.term))
                action.addChild(done)
            plan.addChild(action)
        top.addChild(plan)
        tree.addTopLevelItem(top)
        top.setExpanded(True)
        priorities.setExpanded(True)
        plan.setExpanded(True)
    if data.unmapped:
        other = QTreeWidgetItem([f"Priorities under no aim yet ({len(data.unmapped)})", ""])
        for school, theme in data.unmapped:
            other.addChild(QTreeWidgetItem([f"{theme}: {school}", ""]))
        tree.addTopLevelItem(other)


def plan_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """Every row below this one in the tree of aims, depth first."""
    out: list[QTreeWidgetItem] = []
    for i in range(item.childCount()):
        child = item.child(i)
        if child is not None:
            out.append(child)
            out.extend(plan_items(child))
    return out


def fill_risks(table: QTableWidget, data: Dashboard) -> None:
    """The pupil groups further behind than the network allows, with their trend."""
    risks = data.risks
    table.setRowCount(len(risks))
    for r, risk in enumerate(risks):
        gap = "too small to judge" if risk.too_small else f"{risk.gap:.1f} ({risk.compared_with})"
        history = (
            ""
            if risk.too_small
            else " ("
            + ", ".join(
                f"{t.shortfall:+.1f}" if t.shortfall is not None else "–" for t in risk.trend
            )
            + ")"
        )
        cells = (
            risk.school_name,
            PUPIL_GROUPS.get(risk.group, risk.group),
            risk.indicator_name,
            gap,
            pupils_text(risk.pupils),
            risk.trend_word + history,
        )
        for c, text in enumerate(cells):
            table.setItem(r, c, _item(text))
