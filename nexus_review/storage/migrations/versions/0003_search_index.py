"""the note search index (FTS5 trigram, kept by triggers; SQLite only) and the visit list's index

Revision ID: 0003_search_index
Revises: 0002_field_merge
Create Date: 2026-12-02 02:30:00

An existing database gets the index built from its live records. PostgreSQL, and SQLite built
without FTS5, keep searching by reading the notes: nothing is made there.
"""

from alembic import op

from nexus_review.storage import search

revision = "0003_search_index"
down_revision = "0002_field_merge"
branch_labels = None
depends_on = None


LIST_COLUMNS = ["deleted", "visit_date", "id", "host_school_id", "kind", "status"]


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_list", LIST_COLUMNS, unique=False)
    search.install(op.get_bind())


def downgrade() -> None:
    search.uninstall(op.get_bind())
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_list")
