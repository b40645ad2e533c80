"""Consistency commands: how far reviewers agree, and the moderation pack for heads' meetings."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "agreement", help="how far reviewers' own grades agree, per area and per reviewer pair"
    )
    p.add_argument("--year", help="academic year like 2025-26 (default: the current one)")
    p.add_argument("--group", metavar="NAME", help="only the visits of one review group")
    p.add_argument(
        "--area",
        metavar="KEY",
        help="only one area (its key, e.g. curriculum-and-teaching, or look-fors)",
    )
    p.add_argument(
        "--framework",
        metavar="KEY",
        help="only visits judged against one framework (e.g. ofsted-2025)",
    )
    p.add_argument("--json", action="store_true", help="the figures as JSON")
    p.set_defaults(func=cmd_agreement)
    register_moderation(sub)


def _kappa(k: Any) -> str:
    if k.value is None:
        return "-"
    if k.low is None or k.high is None:
        return f"{k.value:.2f}"
    return f"{k.value:.2f} ({k.low:.2f} to {k.high:.2f})"


def _filter(args: Any) -> Any:
    from nexus_review.usecases.consistency import AgreementFilter

    return AgreementFilter(
        year=args.year or "",
        group=args.group,
        area=args.area,
        framework=getattr(args, "framework", None),
    )


def cmd_agreement(ctx: Any) -> int:
    from nexus_review.usecases.consistency import agreement_report

    report = agreement_report(ctx.db, _filter(ctx.args))
    if ctx.args.json:
        ctx.print_json(report.as_dict())
        return 0
    ctx.print(f"Agreement of reviewers' own grades, {report.year}: {report.overall.describe()}")
    if not report.overall.enough:
        return 0
    ctx.print()
    header = ("Area", "Pairs", "Exact", "Within one", "Weighted kappa (95 % CI)")
    ctx.print_table(
        header,
        [
            (
                a.area_name,
                a.agreement.n,
                a.agreement.exact,
                a.agreement.within_one,
                _kappa(a.agreement.kappa),
            )
            for a in report.areas
        ],
    )
    ctx.print()
    header = ("Reviewers", "Pairs", "Exact", "Within one", "Weighted kappa (95 % CI)")
    ctx.print_table(
        header,
        [
            (
                f"{p.first} and {p.second}",
                p.agreement.n,
                p.agreement.exact,
                p.agreement.within_one,
                _kappa(p.agreement.kappa),
            )
            for p in report.pairs
        ],
    )
    if report.leans:
        ctx.print()
        for lean in report.leans:
            ctx.print(lean.describe("kinder", "harsher"))
    return 0


def register_moderation(sub: Any) -> None:
    p = sub.add_parser(
        "moderation", help="export the moderation pack for the heads' meeting as Word or PDF"
    )
    p.add_argument("--format", required=True, choices=("docx", "pdf"), dest="fmt")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--year", help="academic year like 2025-26 (default: the current one)")
    p.add_argument("--group", metavar="NAME", help="only the visits of one review group")
    p.add_argument("--area", metavar="KEY", help="only one area")
    p.add_argument("--framework", metavar="KEY", help="only visits judged against one framework")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.set_defaults(func=cmd_moderation)


def cmd_moderation(ctx: Any) -> int:
    from nexus_review.usecases.consistency import export_moderation_pack

    flt = _filter(ctx.args)
    path = export_moderation_pack(ctx.db, ctx.args.fmt, ctx.args.out, flt, ctx.args.paper)
    ctx.print(f"Moderation pack for {flt.year or _year()} written to {path}.")
    return 0


def _year() -> str:
    from nexus_review.usecases.consistency import current_year

    return current_year()
