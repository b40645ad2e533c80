"""The trust's aims and delivery plan on the command line."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("aims", help="the network's aims and the priority themes under each")
    p.add_argument(
        "--year",
        metavar="YYYY-YY",
        help="also list the schools' priorities of this year under each aim",
    )
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_aims)
    asub = p.add_subparsers(dest="aims_command", metavar="ACTION")
    a = asub.add_parser("add", help="add an aim")
    a.add_argument("title")
    a.add_argument("--description", default="")
    a.set_defaults(func=cmd_aims_add)
    a = asub.add_parser("theme", help="put a priority theme under an aim (by its number in 'aims')")
    a.add_argument("theme")
    a.add_argument("--aim", required=True, metavar="N|none")
    a.set_defaults(func=cmd_aims_theme)

    p = sub.add_parser(
        "delivery",
        help="the delivery plan: measurable actions under the aims, with termly progress",
    )
    p.add_argument("--year", metavar="YYYY-YY", help="only this year's actions")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_delivery)
    dsub = p.add_subparsers(dest="delivery_command", metavar="ACTION")
    d = dsub.add_parser("add", help="add an action under an aim (by its number in 'aims')")
    d.add_argument("--aim", required=True, metavar="N")
    d.add_argument("--year", required=True, metavar="YYYY-YY")
    d.add_argument("--what", required=True)
    d.add_argument("--how", default="")
    d.add_argument("--outcome", default="", help="the measurable outcome")
    d.add_argument("--lead", default="")
    d.add_argument("--due", metavar="YYYY-MM-DD")
    d.set_defaults(func=cmd_delivery_add)
    d = dsub.add_parser("progress", help="record how an action stands this term")
    d.add_argument("action_id", metavar="ID", help="the action's id (or the start of it)")
    d.add_argument("--year", required=True, metavar="YYYY-YY")
    d.add_argument("--term", required=True, choices=("autumn", "spring", "summer"))
    d.add_argument(
        "--status",
        required=True,
        choices=("not_started", "on_track", "at_risk", "off_track", "complete"),
    )
    d.add_argument("--note", default="")
    d.set_defaults(func=cmd_delivery_progress)


def _aim_by_number(ctx: Any, given: str) -> str:
    from nexus_review.errors import NotFoundError
    from nexus_review.usecases.trust import list_aims

    aims = list_aims(ctx.db)
    if not given.isdigit() or not 1 <= int(given) <= len(aims):
        raise NotFoundError(f"There is no aim {given}; 'nexus-review aims' lists them by number.")
    return aims[int(given) - 1].id


def cmd_aims(ctx: Any) -> int:
    from nexus_review.usecases.trust import list_aims, priorities_by_aim

    aims = list_aims(ctx.db)
    under: dict[str, list[tuple[str, str]]] = {}
    if ctx.args.year:
        by_aim, _unmapped = priorities_by_aim(ctx.db, ctx.args.year)
        under = {a.aim.id: list(a.priorities) for a in by_aim}
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "number": n,
                    "id": a.id,
                    "title": a.title,
                    "description": a.description,
                    "themes": list(a.themes),
                }
                | (
                    {"priorities": [{"school": s, "theme": t} for s, t in under.get(a.id, [])]}
                    if ctx.args.year
                    else {}
                )
                for n, a in enumerate(aims, start=1)
            ]
        )
        return 0
    if not aims:
        ctx.print("The network has no aims yet (add one with 'nexus-review aims add TITLE').")
        return 0
    for n, a in enumerate(aims, start=1):
        ctx.print(f"{n}. {a.title}")
        ctx.print(f"   Themes: {', '.join(a.themes) or 'none yet'}")
        for school, theme in under.get(a.id, []):
            ctx.print(f"   - {theme}: {school}")
    return 0


def cmd_aims_add(ctx: Any) -> int:
    from nexus_review.usecases.trust import add_aim

    add_aim(ctx.db, ctx.args.title, ctx.args.description)
    ctx.print(f"Aim added: {ctx.args.title.strip()}.")
    return 0


def cmd_aims_theme(ctx: Any) -> int:
    from nexus_review.usecases.trust import map_theme

    aim_id = None if ctx.args.aim.lower() == "none" else _aim_by_number(ctx, ctx.args.aim)
    map_theme(ctx.db, ctx.args.theme, aim_id)
    ctx.print(
        f"{ctx.args.theme.strip()} is now under {'no aim' if aim_id is None else 'aim ' + ctx.args.aim}."
    )
    return 0


def cmd_delivery(ctx: Any) -> int:
    from nexus_review.domain.trust import PROGRESS_STATUSES, TERMS
    from nexus_review.usecases.trust import delivery_plan, list_aims

    numbers = {a.id: n for n, a in enumerate(list_aims(ctx.db), start=1)}
    plan = delivery_plan(ctx.db, ctx.args.year)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "id": a.id,
                    "aim": numbers.get(a.aim_id),
                    "year": a.year,
                    "what": a.what,
                    "how": a.how,
                    "outcome": a.outcome,
                    "lead": a.lead,
                    "due": a.due_date.isoformat() if a.due_date else None,
                    "progress": [
                        {"year": p.year, "term": p.term, "status": p.status, "note": p.note}
                        for p in a.progress
                    ],
                }
                for a in plan
            ]
        )
        return 0
    if not plan:
        ctx.print(
            "The delivery plan has no actions yet (add one with 'nexus-review delivery add')."
        )
        return 0
    rows = []
    for a in plan:
        latest = a.progress[-1] if a.progress else None
        status = (
            f"{TERMS[latest.term]} {latest.year}: {PROGRESS_STATUSES[latest.status]}"
            if latest
            else "not reported"
        )
        rows.append(
            (
                a.id[:8],
                str(numbers.get(a.aim_id, "")),
                a.year,
                a.what,
                a.lead,
                str(a.due_date or ""),
                status,
            )
        )
    ctx.print_table(("ID", "Aim", "Year", "Action", "Lead", "Due", "Latest progress"), rows)
    return 0


def cmd_delivery_add(ctx: Any) -> int:
    import datetime as dt

    from nexus_review.cli import UsageError
    from nexus_review.usecases.trust import ActionWording, add_delivery_action

    args = ctx.args
    try:
        due = dt.date.fromisoformat(args.due) if args.due else None
    except ValueError:
        raise UsageError(f"'{args.due}' is not a date written like 2026-07-20.") from None
    wording = ActionWording(args.what, args.how, args.outcome, args.lead, due)
    action_id = add_delivery_action(ctx.db, _aim_by_number(ctx, args.aim), args.year, wording)
    ctx.print(f"Delivery action {action_id[:8]} added.")
    return 0


def cmd_delivery_progress(ctx: Any) -> int:
    from nexus_review.errors import NotFoundError
    from nexus_review.usecases.trust import delivery_plan, record_progress

    given = ctx.args.action_id.strip().lower()
    found = [a for a in delivery_plan(ctx.db) if a.id.startswith(given)] if len(given) >= 4 else []
    if len(found) != 1:
        raise NotFoundError(
            f"No delivery action has the id '{ctx.args.action_id}'."
            if not found
            else f"'{ctx.args.action_id}' starts more than one action's id; give more of it."
        )
    record_progress(
        ctx.db, found[0].id, ctx.args.year, ctx.args.term, ctx.args.status, ctx.args.note
    )
    ctx.print(
        f"Progress recorded for {found[0].what}: {ctx.args.status.replace('_', ' ')}, {ctx.args.term} {ctx.args.year}."
    )
    return 0
