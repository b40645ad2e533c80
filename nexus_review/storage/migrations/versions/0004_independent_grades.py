"""independent grades and calibration exercises: each reviewer's own grade before the team
agrees, and anonymised evidence every head grades on their own

Revision ID: 0004_independent_grades
Revises: 0002_field_merge
Create Date: 2026-12-02 02:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_independent_grades"
down_revision = "0003_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "independent_grade",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer_id", sa.String(length=36), nullable=False),
        sa.Column("area_key", sa.String(length=60), nullable=False),
        sa.Column("drop_in_id", sa.String(length=36), nullable=True),
        sa.Column("look_for", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("vclock", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["drop_in_id"], ["drop_in.id"], name=op.f("fk_independent_grade_drop_in_id_drop_in")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["reviewer.id"], name=op.f("fk_independent_grade_reviewer_id_reviewer")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_independent_grade_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_independent_grade")),
    )
    with op.batch_alter_table("independent_grade", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_independent_grade_visit_id"), ["visit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_independent_grade_reviewer_id"), ["reviewer_id"], unique=False
        )
        batch_op.create_index(
            "ix_independent_grade_visit_reviewer", ["visit_id", "reviewer_id"], unique=False
        )


    op.create_table(
        "calibration_exercise",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("academic_year", sa.String(length=7), nullable=False),
        sa.Column("framework_key", sa.String(length=60), nullable=False),
        sa.Column("evidence_kind", sa.String(length=40), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("area_keys", sa.Text(), nullable=False),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_exercise")),
    )
    with op.batch_alter_table("calibration_exercise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calibration_exercise_academic_year"), ["academic_year"], unique=False)
    op.create_table(
        "calibration_answer",
        sa.Column("exercise_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer_id", sa.String(length=36), nullable=False),
        sa.Column("area_key", sa.String(length=60), nullable=False),
        sa.Column("grade", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(["exercise_id"], ["calibration_exercise.id"], name=op.f("fk_calibration_answer_exercise_id_calibration_exercise")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["reviewer.id"], name=op.f("fk_calibration_answer_reviewer_id_reviewer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_answer")),
    )
    with op.batch_alter_table("calibration_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calibration_answer_exercise_id"), ["exercise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_calibration_answer_reviewer_id"), ["reviewer_id"], unique=False)


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("vclock", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
    ]


def downgrade() -> None:
    with op.batch_alter_table("calibration_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_answer_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_calibration_answer_exercise_id"))
    op.drop_table("calibration_answer")
    with op.batch_alter_table("calibration_exercise", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_exercise_academic_year"))
    op.drop_table("calibration_exercise")
    with op.batch_alter_table("independent_grade", schema=None) as batch_op:
        batch_op.drop_index("ix_independent_grade_visit_reviewer")
        batch_op.drop_index(batch_op.f("ix_independent_grade_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_independent_grade_visit_id"))
    op.drop_table("independent_grade")
