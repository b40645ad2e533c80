"""What a laptop's review package holds: the records it has changed or been asked to send."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nexus_review.errors import NexusError
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Session
from nexus_review.storage.serialize import to_dict


def package_contents(
    session: Session,
    own: list[str],
    *,
    visit_ids: Sequence[str] | None = None,
    all_visits: bool = False,
    reviewer: str = "",
) -> tuple[dict[str, list[dict[str, Any]]], str]:
    """The records a package of the chosen visits carries (default: every visit holding a
    change of this database's that no earlier package carried) with everything in them and the
    schools, reviewers and priorities they name, tombstones too; and the reviewer it is from.
    Which changes are new is decided by version vectors, never by the clock."""
    if visit_ids:
        chosen = [repo.resolve_visit_id(session, v) for v in visit_ids]
    elif all_visits:
        chosen = repo.all_visit_ids(session)
    else:
        chosen = repo.visits_with_unexported_changes(session, own)
    if not chosen and (
        visit_ids
        or all_visits
        or not (
            repo.calibration_has_unexported_changes(session, own)
            or repo.trust_changes_unexported(session, own)
        )
    ):
        raise NexusError(
            "No visit has changed since the last review package; choose visits, or export them all."
        )
    records = {
        table: [to_dict(obj, versions=True) for obj in objs]
        for table, objs in repo.package_records(session, chosen).items()
    }
    return records, reviewer or repo.lead_reviewer_name(session, chosen)
