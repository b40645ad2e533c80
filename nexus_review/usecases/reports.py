"""Exporting reports: the host school's feedback report for one visit and the network's
collaborative review compilation, each read in one unit of work and rendered outside it."""

from __future__ import annotations

from pathlib import Path

from nexus_review.reports.compilation import CompilationOptions, build_compilation
from nexus_review.reports.export import export_document
from nexus_review.reports.feedback import ReportOptions, build_feedback_report
from nexus_review.storage.database import Database, get_info
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.network import network_visits


def export_visit_report(
    db: Database,
    visit_id: str,
    fmt: str,
    out: Path | str,
    options: ReportOptions = ReportOptions(),  # noqa: B008
) -> Path:
    """The host school's feedback report for one visit, as a .docx or .pdf file."""
    with db.reading() as session:
        visit = visit_detail(session, visit_id)
        network = get_info(session, "network_name")
    document = build_feedback_report(visit, options, network)
    return export_document(document, fmt, out, options.paper)


def export_compilation(
    db: Database, fmt: str, out: Path | str, options: CompilationOptions
) -> Path:
    """The network's collaborative review compilation for a year (a term, a group), as a file."""
    from nexus_review.storage import trust_plan

    visits = network_visits(db, options.year, options.term, options.group, options.schools)
    with db.reading() as session:
        network = get_info(session, "network_name")
        aims = trust_plan.aims(session)
        priorities = trust_plan.priorities_of_year(session, options.year)
    # The schools' priorities under the network's aims, and those no aim takes yet.
    mapped = {theme for a in aims for theme in a.themes}
    by_aim = [
        (f"Aim {n}: {a.title}", [p for p in priorities if p[1] in a.themes])
        for n, a in enumerate(aims, start=1)
    ]
    if aims and any(p[1] not in mapped for p in priorities):
        by_aim.append(("Under no aim yet", [p for p in priorities if p[1] not in mapped]))
    document = build_compilation(visits, options, network, by_aim)
    return export_document(document, fmt, out, options.paper)
