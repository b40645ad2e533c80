"""The newest schema revision this program knows, checked without importing Alembic.

A test proves it equals the head of the migration scripts, so the two cannot drift apart.
"""

SCHEMA_HEAD = "0005_trust_data"
