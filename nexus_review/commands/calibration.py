"""Calibration commands: list the exercises, make one from a piece of evidence, and show how
the heads who graded it spread and agreed, with their reasons (for the heads' meeting)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nexus_review.errors import NexusError


def register(sub: Any) -> None:
    calibration = sub.add_parser(
        "calibration",
        help="calibration exercises: anonymised evidence every head grades on their own",
    )
    csub = calibration.add_subparsers(dest="calibration_command", metavar="ACTION", required=True)
    p = csub.add_parser("list", help="the calibration exercises, newest year first")
    p.add_argument("--json", action="store_true", help="the exercises as JSON")
    p.set_defaults(func=cmd_calibration_list)
    p = csub.add_parser(
        "make", help="make an exercise from a piece of evidence, its names taken out"
    )
    p.add_argument(
        "--evidence", required=True, metavar="ID", help="the evidence's id (or the start of it)"
    )
    p.add_argument("--title", metavar="T", help="what heads see it as (default: its kind and date)")
    p.add_argument(
        "--areas",
        metavar="K,K",
        help="the areas to grade, by key, with commas (default: every area of the framework)",
    )
    p.set_defaults(func=cmd_calibration_make)
    p = csub.add_parser(
        "results", help="how the heads graded an exercise: spread, agreement and reasons"
    )
    p.add_argument("exercise_id", metavar="ID", help="the exercise's id (or the start of it)")
    p.add_argument("--json", action="store_true", help="the results as JSON")
    p.set_defaults(func=cmd_calibration_results)


def cmd_calibration_list(ctx: Any) -> int:
    from nexus_review.usecases.calibration import list_exercises

    exercises = list_exercises(ctx.db)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "id": e.id,
                    "title": e.title,
                    "academic_year": e.academic_year,
                    "framework": e.framework_key,
                    "evidence": e.evidence_kind,
                    "areas": list(e.area_keys),
                }
                for e in exercises
            ]
        )
    elif not exercises:
        ctx.print(
            "There are no calibration exercises in this database yet "
            "(make one with 'nexus-review calibration make --evidence ID')."
        )
    else:
        ctx.print_table(
            ("ID", "Year", "Title", "Framework", "Evidence", "Areas"),
            [
                (
                    e.id[:8],
                    e.academic_year,
                    e.title,
                    e.framework_key,
                    e.evidence_kind,
                    len(e.area_keys),
                )
                for e in exercises
            ],
        )
    return 0


def _area_keys(given: str | None) -> list[str] | None:
    if given is None:
        return None
    keys = list(dict.fromkeys(k.strip() for k in given.split(",") if k.strip()))
    if not keys:
        raise NexusError(
            "Give the areas to grade by their keys with commas between them "
            "(e.g. curriculum-and-teaching,inclusion), or leave --areas out for every area."
        )
    return keys


def cmd_calibration_make(ctx: Any) -> int:
    from nexus_review.usecases.calibration import make_exercise, resolve_evidence_id

    areas = _area_keys(ctx.args.areas)
    title = ctx.args.title
    if title is None:
        today = dt.date.today()
        title = f"Calibration exercise, {today.day} {today:%B %Y}"
    evidence_id = resolve_evidence_id(ctx.db, ctx.args.evidence)
    item = make_exercise(ctx.db, evidence_id, title=title, area_keys=areas)
    ctx.print(
        f"Calibration exercise '{item.title}' ({item.id[:8]}) made for {item.academic_year}: "
        f"{len(item.area_keys)} area{'s' if len(item.area_keys) != 1 else ''} to grade "
        f"({', '.join(item.area_names)}). Send it to the heads in a review package."
    )
    return 0


def cmd_calibration_results(ctx: Any) -> int:
    from nexus_review.usecases.calibration import exercise_results, resolve_exercise_id

    results = exercise_results(ctx.db, resolve_exercise_id(ctx.db, ctx.args.exercise_id))
    e = results.exercise
    if ctx.args.json:
        ctx.print_json(
            {
                "id": e.id,
                "title": e.title,
                "academic_year": e.academic_year,
                "framework": e.framework_key,
                "heads": list(results.heads),
                "areas": [
                    {
                        "area": a.area_key,
                        "name": a.area_name,
                        "answered": a.answered,
                        "spread": [{"grade": g, "heads": n} for g, n in a.spread],
                        **a.agreement.as_dict(),
                        "answers": [
                            {
                                "head": h.head,
                                "grade": h.grade,
                                "grade_label": h.grade_label,
                                "reason": h.reason,
                            }
                            for h in a.answers
                        ],
                    }
                    for a in results.areas
                ],
            }
        )
        return 0
    heads = len(results.heads)
    ctx.print(
        f"{e.title} ({e.academic_year}, {e.evidence_kind or 'evidence'}): "
        + (
            f"{heads} head{'s' if heads != 1 else ''} answered."
            if heads
            else "no head has answered yet."
        )
    )
    for a in results.areas:
        ctx.print()
        ctx.print(f"{a.area_name}: {a.describe()}")
        if a.answered:
            ctx.print("  " + ", ".join(f"{g} {n}" for g, n in a.spread))
        for h in a.answers:
            if h.grade:
                reason = f": {h.reason}" if h.reason else ""
                ctx.print(f"  {h.head}, {h.grade_label}{reason}")
    return 0
