"""the note search index: FTS5 trigram index of every note, kept by triggers (SQLite only)

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


def upgrade() -> None:
    search.install(op.get_bind())


def downgrade() -> None:
    search.uninstall(op.get_bind())
