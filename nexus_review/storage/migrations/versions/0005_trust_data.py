"""the trust's view: aims, themes under aims, indicators, indicator values, the delivery plan

Revision ID: 0005_trust_data
Revises: 0002_field_merge
Create Date: 2026-12-02 02:40:00

Only school-level figures are kept (an indicator value per school x year x pupil group x
indicator, with the number of pupils in the group); nothing about any one pupil.
"""

from alembic import op
import sqlalchemy as sa


revision = "0005_trust_data"
down_revision = "0004_independent_grades"
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column]:
    """The columns every record that merges carries (SyncMixin)."""
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


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "aim",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aim")),
    )
    op.create_table(
        "aim_theme",
        sa.Column("theme", sa.String(length=100), nullable=False),
        sa.Column("aim_id", sa.String(length=36), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(["aim_id"], ["aim.id"], name=op.f("fk_aim_theme_aim_id_aim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aim_theme")),
    )
    _index("aim_theme", "theme")
    _index("aim_theme", "aim_id")
    op.create_table(
        "indicator",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
    )
    _index("indicator", "key")
    op.create_table(
        "indicator_value",
        sa.Column("school_id", sa.String(length=36), nullable=False),
        sa.Column("academic_year", sa.String(length=7), nullable=False),
        sa.Column("pupil_group", sa.String(length=40), nullable=False),
        sa.Column("indicator_key", sa.String(length=60), nullable=False),
        sa.Column("value_tenths", sa.Integer(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_indicator_value_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
    )
    _index("indicator_value", "school_id")
    _index("indicator_value", "academic_year")
    op.create_table(
        "delivery_action",
        sa.Column("aim_id", sa.String(length=36), nullable=False),
        sa.Column("academic_year", sa.String(length=7), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("how", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("lead", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        *_sync_columns(),
        sa.ForeignKeyConstraint(["aim_id"], ["aim.id"], name=op.f("fk_delivery_action_aim_id_aim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_action")),
    )
    _index("delivery_action", "aim_id")
    _index("delivery_action", "academic_year")
    op.create_table(
        "delivery_progress",
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("academic_year", sa.String(length=7), nullable=False),
        sa.Column("term", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["delivery_action.id"],
            name=op.f("fk_delivery_progress_action_id_delivery_action"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_progress")),
    )
    _index("delivery_progress", "action_id")


def downgrade() -> None:
    for table in (
        "delivery_progress",
        "delivery_action",
        "indicator_value",
        "indicator",
        "aim_theme",
        "aim",
    ):
        op.drop_table(table)
