"""The ORM: every record of the network, each one able to merge safely.

Every record carries a UUID key, when it was created and last changed (UTC), the device that
last changed it, a revision number, a version vector (how many changes each device has made to
it, which is what lets a merge tell "newer" from "changed on both sides") and a tombstone flag:
normal use never deletes a row, it marks it deleted so that the deletion can travel to the
network database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
)
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql import FromClause

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC without a zone (portable across databases) and gives back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a UTC time")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # JSON lists and dicts track in-place changes (``visit.focus_areas.append(...)`` is saved).
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dict[str, Any]: MutableDict.as_mutable(JSON()),
        list[Any]: MutableList.as_mutable(JSON()),
    }


class SyncMixin:
    """The columns that let a record be merged from many laptops without loss."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    device_id: Mapped[str] = mapped_column(String(64), default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    vclock: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The version of each field (see nexus_review.domain.vclock): what lets two laptops that
    # changed different fields of one record merge without a conflict. Empty for records
    # written before fields had versions: every field then has the record's own version.
    field_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)

    if TYPE_CHECKING:  # what every table class mixing this in has (declared by Base)
        __tablename__: Any
        __table__: ClassVar[FromClause]


class School(SyncMixin, Base):
    __tablename__ = "school"

    name: Mapped[str] = mapped_column(String(200))
    urn: Mapped[str] = mapped_column(String(20), default="")
    phase: Mapped[str] = mapped_column(String(40), default="Primary")
    local_authority: Mapped[str] = mapped_column(String(100), default="")
    headteacher: Mapped[str] = mapped_column(String(200), default="")


class ReviewGroup(SyncMixin, Base):
    """A triad or quartet of schools for one academic year; members hold the hosting rota."""

    __tablename__ = "review_group"

    name: Mapped[str] = mapped_column(String(200))
    academic_year: Mapped[str] = mapped_column(String(7), index=True)  # "2025-26"
    focus: Mapped[str] = mapped_column(Text, default="")

    members: Mapped[list[ReviewGroupMember]] = relationship(
        back_populates="group", order_by="ReviewGroupMember.position"
    )


class ReviewGroupMember(SyncMixin, Base):
    """A school in a review group, with the date it hosts the group's review (the rota)."""

    __tablename__ = "review_group_member"

    group_id: Mapped[str] = mapped_column(ForeignKey("review_group.id"), index=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    host_date: Mapped[dt.date | None] = mapped_column(Date, default=None)

    group: Mapped[ReviewGroup] = relationship(back_populates="members")
    school: Mapped[School] = relationship()


class Reviewer(SyncMixin, Base):
    __tablename__ = "reviewer"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100), default="Headteacher")
    home_school_id: Mapped[str | None] = mapped_column(ForeignKey("school.id"), default=None)
    email: Mapped[str] = mapped_column(String(200), default="")

    home_school: Mapped[School | None] = relationship()


class SchoolPriority(SyncMixin, Base):
    """One development-plan priority of a school for an academic year."""

    __tablename__ = "school_priority"

    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    theme: Mapped[str] = mapped_column(String(100))  # e.g. "Reading and phonics"
    description: Mapped[str] = mapped_column(Text, default="")

    school: Mapped[School] = relationship()


class Visit(SyncMixin, Base):
    """One review of a host school: an evaluation day, a half-day review, a walk or a follow-up.

    Child records (team, evidence, judgements, actions) are loaded with their tombstones, so that
    deletions travel in files; screens and reports read them through the repository, which
    leaves tombstones out.
    """

    __tablename__ = "visit"

    host_school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    framework_key: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(40), default="planned")
    focus_areas: Mapped[list[Any]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")  # "what went well", one per line
    areas_for_development: Mapped[str] = mapped_column(Text, default="")  # "even better if"
    questions: Mapped[str] = mapped_column(Text, default="")  # thought-provoking questions
    # Soft references (no foreign key), so a visit can arrive from a laptop before the group or
    # the earlier visit it names: the review group whose rota it belongs to (collaborative
    # reviews), and the earlier visit whose next steps a follow-up visit checks.
    review_group_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    follow_up_of_id: Mapped[str | None] = mapped_column(String(36), default=None)

    host_school: Mapped[School] = relationship()
    team: Mapped[list[VisitReviewer]] = relationship(
        back_populates="visit", order_by="VisitReviewer.position"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="visit", order_by="Evidence.position"
    )
    judgements: Mapped[list[Judgement]] = relationship(
        back_populates="visit", order_by="Judgement.area_key"
    )
    actions: Mapped[list[Action]] = relationship(back_populates="visit", order_by="Action.position")


class VisitReviewer(SyncMixin, Base):
    """A member of a visit's review team; one of them leads."""

    __tablename__ = "visit_reviewer"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("reviewer.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    visit: Mapped[Visit] = relationship(back_populates="team")
    reviewer: Mapped[Reviewer] = relationship()


class Evidence(SyncMixin, Base):
    """One activity of a visit: a lesson observation, a learning walk, work scrutiny, ..."""

    __tablename__ = "evidence"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    time_in: Mapped[dt.time | None] = mapped_column(Time, default=None)
    time_out: Mapped[dt.time | None] = mapped_column(Time, default=None)
    class_name: Mapped[str] = mapped_column(String(100), default="")
    year_group: Mapped[str] = mapped_column(String(40), default="")
    subject: Mapped[str] = mapped_column(String(100), default="")
    staff: Mapped[str] = mapped_column(String(200), default="")  # named staff; anonymised on export
    who_what: Mapped[str] = mapped_column(String(300), default="")  # e.g. "6 pupils from Year 5"
    participants: Mapped[int | None] = mapped_column(Integer, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    areas_for_development: Mapped[str] = mapped_column(Text, default="")
    focus_links: Mapped[list[Any]] = mapped_column(default=list)  # focus areas it speaks to
    grades: Mapped[dict[str, Any]] = mapped_column(default=dict)  # area key -> grade key
    look_fors: Mapped[list[Any]] = mapped_column(default=list)  # learning walk look-fors

    visit: Mapped[Visit] = relationship(back_populates="evidence")
    drop_ins: Mapped[list[DropIn]] = relationship(
        back_populates="evidence", order_by="DropIn.position"
    )


class DropIn(SyncMixin, Base):
    """One classroom visited on a learning walk."""

    __tablename__ = "drop_in"

    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    class_name: Mapped[str] = mapped_column(String(100), default="")
    year_group: Mapped[str] = mapped_column(String(40), default="")
    time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    look_for_results: Mapped[dict[str, Any]] = mapped_column(default=dict)  # look-for -> result
    note: Mapped[str] = mapped_column(Text, default="")

    evidence: Mapped[Evidence] = relationship(back_populates="drop_ins")


class Judgement(SyncMixin, Base):
    """The peer judgement of one area of the framework, beside the school's own."""

    __tablename__ = "judgement"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(60))
    peer_grade: Mapped[str | None] = mapped_column(String(60), default=None)
    self_grade: Mapped[str | None] = mapped_column(String(60), default=None)
    rationale: Mapped[str] = mapped_column(Text, default="")
    evidence_ids: Mapped[list[Any]] = mapped_column(default=list)

    visit: Mapped[Visit] = relationship(back_populates="judgements")


class Action(SyncMixin, Base):
    """An agreed next step, followed up at later meetings."""

    __tablename__ = "action"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(40), default="open")
    follow_up: Mapped[list[Any]] = mapped_column(default=list)  # [{"date": ..., "note": ...}]

    visit: Mapped[Visit] = relationship(back_populates="actions")


class ImportRecord(SyncMixin, Base):
    """What one imported review package brought into the network database."""

    __tablename__ = "import_record"

    file_name: Mapped[str] = mapped_column(String(500))
    package_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    reviewer_name: Mapped[str] = mapped_column(String(200), default="")
    source_device_id: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)


class Conflict(SyncMixin, Base):
    """Two versions of one record changed on both sides; both kept until someone chooses."""

    __tablename__ = "conflict"

    import_id: Mapped[str | None] = mapped_column(ForeignKey("import_record.id"), default=None)
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    ours: Mapped[dict[str, Any]] = mapped_column()  # version held before the import
    theirs: Mapped[dict[str, Any]] = mapped_column()  # version the package brought
    shown: Mapped[str] = mapped_column(String(10), default="ours")  # which one the record holds
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(String(10), default=None)  # "ours"/"theirs"
    # The one field whose two versions disagree (a look-for or grade as "look_for_results[Oracy]");
    # None for conflicts recorded before fields merged one by one (the whole record).
    field_name: Mapped[str | None] = mapped_column(String(300), default=None)


class DatabaseInfo(Base):
    """Key-value facts about this database: its device id, when it last exported a package."""

    __tablename__ = "database_info"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ExportMark(Base):
    """How far this database's own changes to a record have gone out in review packages:
    the record's version-vector entries for this database's device ids when last exported."""

    __tablename__ = "export_mark"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vclock: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RecordAlias(Base):
    """A record another laptop made for the same natural key (a judgement of the same visit
    and area, the same priority) under its own id; it merged into ``record_id`` here."""

    __tablename__ = "record_alias"

    alias_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(36), index=True)


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
}

# Tables whose records travel between laptops, parents before children.
SYNCED_MODELS: tuple[type[SyncMixin], ...] = (
    School,
    ReviewGroup,
    ReviewGroupMember,
    Reviewer,
    SchoolPriority,
    Visit,
    VisitReviewer,
    Evidence,
    DropIn,
    Judgement,
    Action,
)

Index("ix_visit_status_date", Visit.status, Visit.visit_date)


class IndependentGrade(SyncMixin, Base):
    """One reviewer's own grade, given before the team agrees: of an area of a visit, or
    (``drop_in_id`` and ``look_for`` set, ``area_key`` empty) of a look-for in one classroom of
    a learning walk, as seen / partly seen / not seen. Kept apart from the agreed judgement;
    its natural key includes the reviewer, so one reviewer's grade never replaces another's."""

    __tablename__ = "independent_grade"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("reviewer.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(60), default="")
    drop_in_id: Mapped[str | None] = mapped_column(ForeignKey("drop_in.id"), default=None)
    look_for: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[str | None] = mapped_column(String(60), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")

    # So that a flush writes the visit, reviewer and classroom before the grade.
    visit: Mapped[Visit] = relationship()
    reviewer: Mapped[Reviewer] = relationship()
    drop_in: Mapped[DropIn | None] = relationship()


NATURAL_KEYS["independent_grade"] = (
    "visit_id",
    "reviewer_id",
    "area_key",
    "drop_in_id",
    "look_for",
)
OWNER_COLUMNS["independent_grade"] = NATURAL_KEYS["independent_grade"]
SYNCED_MODELS = (*SYNCED_MODELS, IndependentGrade)
Index(
    "ix_independent_grade_visit_reviewer", IndependentGrade.visit_id, IndependentGrade.reviewer_id
)


class CalibrationExercise(SyncMixin, Base):
    """A piece of anonymised evidence (a written-up lesson visit, a work-scrutiny note) that
    every head grades on their own, so the network can see how far their judgements agree."""

    __tablename__ = "calibration_exercise"

    title: Mapped[str] = mapped_column(String(200))
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    framework_key: Mapped[str] = mapped_column(String(60))
    evidence_kind: Mapped[str] = mapped_column(String(40), default="")
    evidence_text: Mapped[str] = mapped_column(Text, default="")  # staff and school names removed
    area_keys: Mapped[str] = mapped_column(Text, default="")  # the areas to grade, one key a line


class CalibrationAnswer(SyncMixin, Base):
    """One head's grade of one area of a calibration exercise, with their reason."""

    __tablename__ = "calibration_answer"

    exercise_id: Mapped[str] = mapped_column(ForeignKey("calibration_exercise.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("reviewer.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(60))
    grade: Mapped[str | None] = mapped_column(String(60), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")

    exercise: Mapped[CalibrationExercise] = relationship()
    reviewer: Mapped[Reviewer] = relationship()


NATURAL_KEYS["calibration_answer"] = ("exercise_id", "reviewer_id", "area_key")
OWNER_COLUMNS["calibration_answer"] = NATURAL_KEYS["calibration_answer"]
SYNCED_MODELS = (*SYNCED_MODELS, CalibrationExercise, CalibrationAnswer)

# The visit list's order and filters read from this index alone (it holds every column they
# use), never from the visits' rows with their long texts.
Index(
    "ix_visit_list",
    Visit.deleted,
    Visit.visit_date,
    Visit.id,
    Visit.host_school_id,
    Visit.kind,
    Visit.status,
)


# ---------------------------------------------------------------------------- the trust's view
#
# Aims, indicators and the delivery plan: school-level figures only, never a pupil's.


class Aim(SyncMixin, Base):
    """One of the network's aims (a trust's "Big 3"), under which schools' priorities gather."""

    __tablename__ = "aim"

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class AimTheme(SyncMixin, Base):
    """A priority theme ("Reading and phonics") and the one aim it belongs under."""

    __tablename__ = "aim_theme"

    theme: Mapped[str] = mapped_column(String(100), index=True)
    aim_id: Mapped[str] = mapped_column(ForeignKey("aim.id"), index=True)


class Indicator(SyncMixin, Base):
    """An indicator the network tracks beyond (or instead of) the shipped defaults."""

    __tablename__ = "indicator"

    key: Mapped[str] = mapped_column(String(60), index=True)
    name: Mapped[str] = mapped_column(String(200))
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    unit: Mapped[str] = mapped_column(String(20), default="%")
    position: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorValue(SyncMixin, Base):
    """One school-level figure: school x academic year x pupil group x indicator.

    The value is kept in tenths (67.7 is 677) so that it travels exactly; the pupil count is
    the number of pupils in the group, never anything about a pupil.
    """

    __tablename__ = "indicator_value"

    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    pupil_group: Mapped[str] = mapped_column(String(40))
    indicator_key: Mapped[str] = mapped_column(String(60))
    value_tenths: Mapped[int] = mapped_column(Integer)
    pupils: Mapped[int] = mapped_column(Integer, default=0)


class DeliveryAction(SyncMixin, Base):
    """A measurable action of the network's delivery plan under one aim."""

    __tablename__ = "delivery_action"

    aim_id: Mapped[str] = mapped_column(ForeignKey("aim.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(Text)
    how: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")  # the measurable outcome
    lead: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)


class DeliveryProgress(SyncMixin, Base):
    """How a delivery action stands at the end of one term, as reported to the board."""

    __tablename__ = "delivery_progress"

    action_id: Mapped[str] = mapped_column(ForeignKey("delivery_action.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7))
    term: Mapped[str] = mapped_column(String(10))  # autumn, spring, summer
    status: Mapped[str] = mapped_column(String(20), default="on_track")
    note: Mapped[str] = mapped_column(Text, default="")


NATURAL_KEYS.update(
    {
        "aim_theme": ("theme",),
        "indicator": ("key",),
        "indicator_value": ("school_id", "academic_year", "pupil_group", "indicator_key"),
        "delivery_progress": ("action_id", "academic_year", "term"),
    }
)
OWNER_COLUMNS.update(
    {
        "aim_theme": ("theme",),
        "indicator": ("key",),
        "indicator_value": ("school_id", "academic_year", "pupil_group", "indicator_key"),
        "delivery_action": ("aim_id",),
        "delivery_progress": ("action_id", "academic_year", "term"),
    }
)
SYNCED_MODELS = (
    *SYNCED_MODELS,
    Aim,
    AimTheme,
    Indicator,
    IndicatorValue,
    DeliveryAction,
    DeliveryProgress,
)
