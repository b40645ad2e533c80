"""The newest schema revision this program knows, importable without SQLAlchemy or Alembic
(the desktop program's first screen and the self-test read it before either is loaded).

A test proves it equals the head of the migration scripts, so the two cannot drift apart.
"""

SCHEMA_HEAD = "0005_trust_data"
