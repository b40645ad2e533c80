"""field-level merging: per-field versions, per-field conflicts, export marks, record aliases

Revision ID: 0002_field_merge
Revises: 0001_initial
Create Date: 2026-12-01 23:55:00

Existing records get empty field versions, which means "every field has the record's own
version": they merge exactly as before until a field is next changed.
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_field_merge"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

SYNCED_TABLES = (
    "school",
    "review_group",
    "review_group_member",
    "reviewer",
    "school_priority",
    "visit",
    "visit_reviewer",
    "evidence",
    "drop_in",
    "judgement",
    "action",
    "import_record",
    "conflict",
)


def upgrade() -> None:
    for table in SYNCED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("field_versions", sa.JSON(), nullable=False, server_default="{}")
            )
    with op.batch_alter_table("conflict", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field_name", sa.String(length=300), nullable=True))
    op.create_table(
        "export_mark",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("vclock", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_export_mark")),
    )
    op.create_table(
        "record_alias",
        sa.Column("alias_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("alias_id", name=op.f("pk_record_alias")),
    )
    with op.batch_alter_table("record_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_alias_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_alias_record_id"))
    op.drop_table("record_alias")
    op.drop_table("export_mark")
    with op.batch_alter_table("conflict", schema=None) as batch_op:
        batch_op.drop_column("field_name")
    for table in reversed(SYNCED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("field_versions")
