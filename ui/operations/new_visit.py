"""File → New visit: the school, the date and the team, then the new visit opens."""

from __future__ import annotations

from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.errors import show_error


def new_visit(context: AppContext) -> None:
    from nexus_review.usecases import visits
    from nexus_review.usecases.editing import create_visit

    people = visits.people(context.db)
    schools, reviewers = list(people.schools), list(people.reviewers)
    if not schools:
        show_error(
            context.parent,
            NexusError(
                "There are no schools in this database yet; load the demo network or import a review package first."
            ),
        )
        return
    from ui.dialogs import NewVisitDialog

    dialog = NewVisitDialog(
        schools,
        reviewers,
        context.settings.get("visits/default_framework"),
        context.settings.get("reviewer/id"),
        context.parent,
    )
    accepted = dialog.exec() == dialog.DialogCode.Accepted
    dialog.deleteLater()
    if not accepted:
        return
    try:
        visit_id = create_visit(context.db, **dialog.values())
    except NexusError as err:
        show_error(context.parent, err)
        return
    context.refresh_visits()
    context.open_visit(visit_id)
