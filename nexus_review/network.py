"""The network's view of itself, under the names code written before the use-case layer
imports: the records live in ``domain/network.py``, the grouping in ``domain/grouping.py``,
the actions in ``usecases/network.py``, the spreadsheets in ``reports/csv_export.py``."""

from __future__ import annotations

from nexus_review.domain.grouping import (
    _score,
    group_name,
    group_sizes,
    propose_rota,
    suggest_groups,
)
from nexus_review.domain.network import (
    AreaConsistency,
    GroupItem,
    PriorityMatrix,
    TrackedAction,
    YearCopied,
    YearStart,
    check_year,
    host_date_a_year_on,
    renamed_for,
    tracked_actions,
)
from nexus_review.reports.consistency import consistency
from nexus_review.reports.csv_export import actions_csv, judgements_csv, staff_of, write_csv
from nexus_review.usecases.network import (
    LESSON_GRADING_KEY,
    copy_previous_year,
    lesson_grading_enabled,
    network_visits,
    review_groups,
    save_groups,
    set_host_date,
    set_lesson_grading,
    update_action,
    year_start,
)

__all__ = [
    "LESSON_GRADING_KEY",
    "AreaConsistency",
    "GroupItem",
    "PriorityMatrix",
    "TrackedAction",
    "YearCopied",
    "YearStart",
    "_score",
    "actions_csv",
    "check_year",
    "consistency",
    "copy_previous_year",
    "group_name",
    "group_sizes",
    "host_date_a_year_on",
    "judgements_csv",
    "lesson_grading_enabled",
    "network_visits",
    "propose_rota",
    "renamed_for",
    "review_groups",
    "save_groups",
    "set_host_date",
    "set_lesson_grading",
    "staff_of",
    "suggest_groups",
    "tracked_actions",
    "update_action",
    "write_csv",
    "year_start",
]
