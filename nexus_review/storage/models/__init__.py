"""The ORM: every record of the network, each one able to merge safely (see ``base``), in one
module per area; every name is importable from here, as the rest of storage does.
"""

from __future__ import annotations

from nexus_review.storage.models.base import (
    NAMING_CONVENTION,
    Base,
    SyncMixin,
    UTCDateTime,
    new_id,
    utcnow,
)
from nexus_review.storage.models.independent import (
    CalibrationAnswer,
    CalibrationExercise,
    IndependentGrade,
)
from nexus_review.storage.models.network import (
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    School,
    SchoolPriority,
)
from nexus_review.storage.models.packages import (
    Conflict,
    DatabaseInfo,
    ExportMark,
    ImportRecord,
    RecordAlias,
)
from nexus_review.storage.models.syncing import (
    BOOKKEEPING,
    KEYED_FIELDS,
    NATURAL_KEYS,
    OWNER_COLUMNS,
    SYNCED_MODELS,
)
from nexus_review.storage.models.trust import (
    Aim,
    AimTheme,
    DeliveryAction,
    DeliveryProgress,
    Indicator,
    IndicatorValue,
)
from nexus_review.storage.models.visits import (
    Action,
    DropIn,
    Evidence,
    Judgement,
    Visit,
    VisitReviewer,
)

__all__ = [
    "BOOKKEEPING",
    "KEYED_FIELDS",
    "NAMING_CONVENTION",
    "NATURAL_KEYS",
    "OWNER_COLUMNS",
    "SYNCED_MODELS",
    "Action",
    "Aim",
    "AimTheme",
    "Base",
    "CalibrationAnswer",
    "CalibrationExercise",
    "Conflict",
    "DatabaseInfo",
    "DeliveryAction",
    "DeliveryProgress",
    "DropIn",
    "Evidence",
    "ExportMark",
    "ImportRecord",
    "IndependentGrade",
    "Indicator",
    "IndicatorValue",
    "Judgement",
    "RecordAlias",
    "ReviewGroup",
    "ReviewGroupMember",
    "Reviewer",
    "School",
    "SchoolPriority",
    "SyncMixin",
    "UTCDateTime",
    "Visit",
    "VisitReviewer",
    "new_id",
    "utcnow",
]
