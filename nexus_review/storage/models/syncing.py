"""What a merge needs to know of the tables: which records travel between laptops (parents
before children), which columns are its own bookkeeping, which fields merge key by key, the
records with a natural key and what each record belongs to.
"""

from __future__ import annotations

from nexus_review.storage.models import independent, network, trust, visits
from nexus_review.storage.models.base import SyncMixin

# Fields holding a mapping by natural key (look-for -> result, area -> grade): they merge key by key.
KEYED_FIELDS: dict[str, tuple[str, ...]] = {
    "drop_in": ("look_for_results",),
    "evidence": ("grades",),
}
# Columns that are the merge's own bookkeeping, not what a record says.
BOOKKEEPING = (
    "id",
    "created_at",
    "updated_at",
    "device_id",
    "revision",
    "vclock",
    "field_versions",
)

# Records with a natural key: two laptops that each made one for the same key made one record.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "judgement": ("visit_id", "area_key"),
    "school_priority": ("school_id", "academic_year", "theme"),
    "independent_grade": ("visit_id", "reviewer_id", "area_key", "drop_in_id", "look_for"),
    "calibration_answer": ("exercise_id", "reviewer_id", "area_key"),
    "aim_theme": ("theme",),
    "indicator": ("key",),
    "indicator_value": ("school_id", "academic_year", "pupil_group", "indicator_key"),
    "delivery_progress": ("action_id", "academic_year", "term"),
}
# What a record belongs to (its visit, school, parent or natural key): never changed by an import.
OWNER_COLUMNS: dict[str, tuple[str, ...]] = {
    "visit": ("host_school_id",),
    "visit_reviewer": ("visit_id", "reviewer_id"),
    "evidence": ("visit_id",),
    "drop_in": ("evidence_id",),
    "judgement": ("visit_id", "area_key"),
    "action": ("visit_id",),
    "school_priority": ("school_id", "academic_year", "theme"),
    "review_group_member": ("group_id", "school_id"),
    "independent_grade": NATURAL_KEYS["independent_grade"],
    "calibration_answer": NATURAL_KEYS["calibration_answer"],
    "aim_theme": ("theme",),
    "indicator": ("key",),
    "indicator_value": ("school_id", "academic_year", "pupil_group", "indicator_key"),
    "delivery_action": ("aim_id",),
    "delivery_progress": ("action_id", "academic_year", "term"),
}

# Tables whose records travel between laptops, parents before children.
SYNCED_MODELS: tuple[type[SyncMixin], ...] = (
    network.School,
    network.ReviewGroup,
    network.ReviewGroupMember,
    network.Reviewer,
    network.SchoolPriority,
    visits.Visit,
    visits.VisitReviewer,
    visits.Evidence,
    visits.DropIn,
    visits.Judgement,
    visits.Action,
    independent.IndependentGrade,
    independent.CalibrationExercise,
    independent.CalibrationAnswer,
    trust.Aim,
    trust.AimTheme,
    trust.Indicator,
    trust.IndicatorValue,
    trust.DeliveryAction,
    trust.DeliveryProgress,
)
